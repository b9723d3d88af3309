import { type Rule, w } from "./rules.ts";
import type { CameraMovement, ShotType } from "./types.ts";

export const shotRules: readonly Rule<ShotType>[] = [
  [w("extreme close[- ]?up|macro"), "extreme-close-up"],
  [w("close[- ]?up|closeup|tight shot"), "close-up"],
  [w("over[- ]the[- ]shoulder"), "over-the-shoulder"],
  [w("medium shot|mid shot|waist[- ]up|medium close[- ]?up"), "medium"],
  [w("extreme wide|establishing shot|aerial|drone shot|bird'?s[- ]eye"), "extreme-wide"],
  [w("wide(?: angle| shot)?|long shot|full shot|wide-angle"), "wide"],
];

export const movementRules: readonly Rule<CameraMovement>[] = [
  [w("handheld|hand-held|shaky cam|found footage"), "handheld"],
  [
    w(
      "orbit(?:s|ing)?|rotat(?:es|ing) around|circl(?:es|ing)(?: around)?|360|revolv(?:es|ing)|rotating around",
    ),
    "orbit",
  ],
  [w("tracking|tracks?|follow(?:s|ing)? (?:the|a|an|him|her|them|it)|following shot"), "tracking"],
  [w("dolly(?: in| out| zoom)?|push(?:es)? in|pull(?:s)? (?:back|out)|dollies"), "dolly"],
  [w("zoom(?:s|ing)?(?: in| out)?|crash zoom"), "zoom"],
  [w("pan(?:s|ning)?(?: left| right)?|sweep(?:s|ing)? across"), "pan"],
  [w("tilt(?:s|ing)?(?: up| down)?|crane (?:up|down)"), "tilt"],
  [w("static|locked[- ]off|tripod|still camera|fixed camera"), "static"],
];
