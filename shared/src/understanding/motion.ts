import type { ArtClass } from "./lexicon.server.ts";
import type { Motion, SettingKind } from "./types.ts";

/**
 * How a subject moves: its verb first ("galloping" → gallop), refined by its class (a horse that
 * runs gallops, a car that races drives, a boat that floats sails), else the class's own way of
 * moving when the verb is absent or says only "moves" (a plane flies, a fish swims, a ball
 * bounces, a leaf falls). Pure.
 */

const VERB_MOTION: Record<string, Motion> = {
  gallop: "gallop",
  canter: "gallop",
  trot: "walk",
  walk: "walk",
  stroll: "walk",
  wander: "walk",
  march: "walk",
  stride: "walk",
  pace: "walk",
  amble: "walk",
  hike: "walk",
  stomp: "walk",
  waddle: "walk",
  prowl: "walk",
  strut: "walk",
  trudge: "walk",
  roam: "walk",
  graze: "still",
  run: "run",
  sprint: "run",
  jog: "run",
  chase: "run",
  dash: "run",
  race: "run",
  flee: "run",
  hurry: "run",
  rush: "run",
  charge: "run",
  hop: "hop",
  jump: "hop",
  leap: "hop",
  skip: "hop",
  bound: "hop",
  pounce: "hop",
  fly: "fly",
  soar: "fly",
  glide: "fly",
  flutter: "fly",
  hover: "fly",
  swoop: "fly",
  flap: "fly",
  circle: "fly",
  take: "fly",
  launch: "fly",
  swim: "swim",
  dive: "swim",
  paddle: "swim",
  splash: "swim",
  drive: "drive",
  speed: "drive",
  cruise: "drive",
  zoom: "drive",
  ride: "still",
  roll: "roll",
  tumble: "roll",
  spin: "spin",
  twirl: "spin",
  rotate: "spin",
  whirl: "spin",
  pirouette: "spin",
  fall: "fall",
  drop: "fall",
  plummet: "fall",
  descend: "fall",
  float: "float",
  drift: "float",
  bob: "float",
  sail: "sail",
  slither: "slither",
  crawl: "slither",
  wriggle: "slither",
  sway: "sway",
  wave: "sway",
  rustle: "sway",
  blow: "sway",
  dance: "bounce",
  bounce: "bounce",
  dribble: "bounce",
  sit: "still",
  stand: "still",
  sleep: "still",
  rest: "still",
  lie: "still",
  perch: "still",
  wait: "still",
  eat: "still",
  watch: "still",
  look: "still",
  stare: "still",
  read: "still",
  park: "still",
  sit_: "still",
};

/** Verbs that say only that it moves: the class decides how. */
const GENERIC_MOVE = new Set([
  "move",
  "go",
  "travel",
  "cross",
  "head",
  "pass",
  "come",
  "approach",
  "leave",
  "make",
  "play",
  "explore",
  "journey",
]);

export function verbStem(verb: string): string {
  const v = verb.toLowerCase();
  const tries = [
    v,
    v.replace(/ies$/, "y"),
    v.replace(/es$/, ""),
    v.replace(/s$/, ""),
    v.replace(/ing$/, ""),
    v.replace(/ing$/, "e"),
    v.replace(/(.)\1ing$/, "$1"),
    v.replace(/ying$/, "ie"),
    v.replace(/ed$/, ""),
    v.replace(/ed$/, "e"),
    v.replace(/(.)\1ed$/, "$1"),
  ];
  for (const t of tries) if (VERB_MOTION[t] !== undefined || GENERIC_MOVE.has(t)) return t;
  return v.replace(/ing$|s$/, "");
}

export function isMotionVerb(word: string): boolean {
  const s = verbStem(word);
  return VERB_MOTION[s] !== undefined;
}

function classMotion(
  cls: ArtClass,
  art: string | null,
  setting: SettingKind,
  moving: boolean,
): Motion {
  const a = art ?? "";
  if (/horse|zebra|unicorn/.test(a)) return moving ? "gallop" : "still";
  if (/snake/.test(a)) return "slither";
  if (/ball|disc/.test(a)) return "bounce";
  if (/leaf/.test(a)) return "fall";
  if (/balloon|kite/.test(a)) return "float";
  if (/butterfly|bee|bat$|ladybug|fly$|mosquito/.test(a)) return "fly";
  switch (cls) {
    case "vehicle-air":
      return "fly";
    case "vehicle-water":
      return "sail";
    case "marine":
      return "swim";
    case "bird":
      return moving || setting === "sky" ? "fly" : "still";
    case "vehicle-ground":
      return moving || setting === "road" || setting === "street" ? "drive" : "still";
    case "plant":
      return "sway";
    case "mammal":
    case "reptile":
    case "amphibian":
    case "bug":
    case "person":
      return moving ? "walk" : "still";
    default:
      return "still";
  }
}

export function motionOf(
  verb: string | null,
  cls: ArtClass,
  art: string | null,
  setting: SettingKind,
): Motion {
  if (!verb) return classMotion(cls, art, setting, false);
  const stem = verbStem(verb);
  if (GENERIC_MOVE.has(stem)) return classMotion(cls, art, setting, true);
  const m = VERB_MOTION[stem];
  if (m === undefined) return classMotion(cls, art, setting, false);
  const a = art ?? "";
  if ((m === "run" || m === "walk") && /horse|zebra|unicorn/.test(a) && m === "run")
    return "gallop";
  if ((m === "run" || m === "walk") && cls === "vehicle-ground") return "drive";
  if ((m === "run" || m === "drive" || m === "float") && cls === "vehicle-water") return "sail";
  if ((m === "run" || m === "walk" || m === "drive") && cls === "vehicle-air") return "fly";
  if ((m === "walk" || m === "run") && cls === "marine") return "swim";
  if (m === "drive" && (cls === "person" || cls === "mammal")) return "run";
  return m;
}

/** Travel to the left when the words say so ("walking to the left", "from right to left"). */
export function facingOf(words: string): 1 | -1 {
  return /\b(?:to(?:wards?)? the left|leftwards?|from right to left|westwards?|heading left|moves? left)\b/.test(
    words,
  )
    ? -1
    : 1;
}
