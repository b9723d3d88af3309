import type { ExplainPlan } from "./plan.ts";
import type { Motion, Style } from "./types.ts";

/**
 * The plan in words for the prompt checker: "Subjects: horse (galloping), field · Style: Van
 * Gogh", and the nouns nothing could draw. Pure and light: safe in the browser bundle.
 */

export const STYLE_NAMES: Record<Style, string> = {
  cinematic: "Cinematic",
  documentary: "Documentary",
  anime: "Anime",
  noir: "Film noir",
  neon: "Neon",
  "pastel-symmetric": "Pastel symmetry (Wes Anderson)",
  vintage: "Vintage film",
  watercolor: "Watercolour",
  plain: "Plain",
  "van-gogh": "Van Gogh",
  "oil-painting": "Oil painting",
  "ukiyo-e": "Ukiyo-e woodblock",
  "black-and-white": "Black and white",
  "pixel-art": "Pixel art",
  cyberpunk: "Cyberpunk",
  cartoon: "Cartoon",
  surreal: "Surreal",
  claymation: "Claymation",
  comic: "Comic book",
  sketch: "Pencil sketch",
};

const MOTION_WORDS: Record<Motion, string | null> = {
  still: null,
  walk: "walking",
  run: "running",
  gallop: "galloping",
  hop: "hopping",
  fly: "flying",
  swim: "swimming",
  drive: "driving",
  sail: "sailing",
  roll: "rolling",
  spin: "spinning",
  fall: "falling",
  float: "floating",
  slither: "slithering",
  sway: "swaying",
  bounce: "bouncing",
};

export interface PlanSummary {
  /** One entry per subject: "3 red sheep (walking)". */
  subjects: string[];
  setting: string;
  style: string;
  /** Nouns drawn as a generic shape because no drawing fits: rephrase these. */
  unplaced: string[];
  /** The one-line summary the checker shows. */
  line: string;
}

export function describePlan(plan: ExplainPlan): PlanSummary {
  const subjects = plan.subjects.map((s) => {
    const how = MOTION_WORDS[s.motion];
    const what = [s.count > 1 ? String(s.count) : "", s.color ?? "", s.noun]
      .filter(Boolean)
      .join(" ");
    return how ? `${what} (${how})` : what;
  });
  const setting = plan.defaulted.includes("setting") ? `${plan.setting} (assumed)` : plan.setting;
  const style = STYLE_NAMES[plan.style] ?? plan.style;
  const unplaced = [...new Set(plan.subjects.filter((s) => s.art === null).map((s) => s.noun))];
  return {
    subjects,
    setting,
    style,
    unplaced,
    line: `Subjects: ${[...subjects, setting].join(", ")} · Style: ${style}`,
  };
}
