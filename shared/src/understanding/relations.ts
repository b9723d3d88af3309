import type { RelationKind } from "./types.ts";

/**
 * The relation the words between two noun phrases state ("on the left of", "riding", "next to"),
 * from the earlier phrase to the later one. In priority order: "on top of" before "on", "in front
 * of" before "in". Pure.
 */
const RELATIONS: readonly [RegExp, RelationKind][] = [
  [
    /\b(?:on|to|at) (?:the|its|his|her|their) left(?: side)? of\b|\bleft of\b|\bleft side of\b/,
    "left-of",
  ],
  [
    /\b(?:on|to|at) (?:the|its|his|her|their) right(?: side)? of\b|\bright of\b|\bright side of\b/,
    "right-of",
  ],
  [/\bin front of\b|\bbefore\b|\bahead of\b/, "in-front-of"],
  [/\bbehind\b|\bin back of\b|\bat the back of\b/, "behind"],
  [
    /\bon top of\b|\batop\b|\bon the top of\b|\bstanding on\b|\bsitting on\b|\bperched on\b|\bsits on\b|\bstands on\b|\bon\b|\bonto\b|\bupon\b/,
    "on-top-of",
  ],
  [/\brid(?:e|es|ing)\b|\bastride\b|\bon the back of\b|\bmounted on\b/, "riding"],
  [
    /\bhold(?:s|ing)?\b|\bcarr(?:y|ies|ying)\b|\bgrip(?:s|ping)?\b|\bclutch(?:es|ing)?\b/,
    "holding",
  ],
  [/\bunder(?:neath)?\b|\bbeneath\b/, "under"],
  [/\babove\b|\bover\b|\bhigh above\b/, "above"],
  [/\bbelow\b|\blower than\b/, "below"],
  [
    /\bnext to\b|\bbeside\b|\balongside\b|\bby\b|\bnear\b|\bwith\b|\bclose to\b|\bfacing\b/,
    "next-to",
  ],
  [/\binside\b|\bin\b|\bwithin\b/, "inside"],
];

/** Camera moves whose particle reads like a relation ("dolly in", "push in", "pan over"). */
const CAMERA_MOVE =
  /\b(?:dolly|dollies|dollying|zoom|zooms|zooming|push|pushes|pushing|pull|pulls|pulling|track|tracks|tracking|truck|trucking|crane|craning|pan|pans|panning|tilt|tilts|tilting|camera moves?|moving)\s+(?:in|out|up|down|over|on|left|right|back|away|closer|forward)\b/gi;

/** The words with every camera move taken out ("through snow, slow dolly in, soft" → no "in"). */
export function withoutCameraMoves(words: string): string {
  return words.replace(CAMERA_MOVE, " ");
}

export function relationOf(connector: string): RelationKind | null {
  const c = connector.toLowerCase();
  // "rides on" is riding, not standing on top.
  if (/\brid(?:e|es|ing)\b/.test(c)) return "riding";
  for (const [re, kind] of RELATIONS) if (re.test(c)) return kind;
  return null;
}
