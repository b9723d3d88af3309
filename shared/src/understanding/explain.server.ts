import { structuredPromptSchema } from "../generation/request.ts";
import type { Motion, SettingKind, Style } from "./types.ts";
import { understand } from "./understand.server.ts";

/**
 * The plan the renderer will draw, in the shape `previz explain` prints and the prompt checker
 * shows: per subject the noun understood, the drawing (null: a generic shape), the colour asked
 * for, the count and the centre at mid-shot (fractions of width and height from the top left).
 */
export interface ExplainedSubject {
  noun: string;
  art: string | null;
  color: string | null;
  count: number;
  x: number;
  y: number;
  motion: Motion;
  verb: string | null;
}

export interface ExplainPlan {
  prompt: string;
  subjects: ExplainedSubject[];
  setting: SettingKind;
  style: Style;
  defaulted: string[];
}

export function explain(prompt: string, sections: Record<string, string> = {}): ExplainPlan {
  const spec = understand(structuredPromptSchema.parse({ text: prompt, sections }));
  return {
    prompt,
    subjects: spec.subjects.map((s) => ({
      noun: s.noun,
      art: s.art,
      color: s.color,
      count: s.count,
      x: s.place.x,
      y: s.place.y,
      motion: s.motion,
      verb: s.verb,
    })),
    setting: spec.setting.kind,
    style: spec.style,
    defaulted: spec.defaulted,
  };
}
