import { type Rule, w } from "./rules.ts";
import type { ActionKind } from "./types.ts";

// In priority order: the most specific, most visible action wins ("playing … catching a frisbee").
export const actionRules: readonly Rule<ActionKind>[] = [
  [w("catch(?:es|ing)?|caught|fetch(?:es|ing)?"), "catch"],
  [
    w(
      "walk(?:s|ing)?|stroll(?:s|ing)?|wander(?:s|ing)?|strid(?:es|ing)|follow(?:ing)? a|through the crowd|pac(?:es|ing)",
    ),
    "walk",
  ],
  [
    w("run(?:s|ning)?|sprint(?:s|ing)?|chas(?:es|ing)|racing|jog(?:s|ging)?|gallop(?:s|ing)?"),
    "run",
  ],
  [w("jump(?:s|ing)?|leap(?:s|ing)?|hop(?:s|ping)?"), "jump"],
  [
    w(
      "perform(?:s|ing)?|play(?:s|ing)? (?:the |a )?(?:sax|saxophone|trumpet|guitar|bass|drums|piano|violin|music|jazz)|drumming|sing(?:s|ing)?",
    ),
    "perform",
  ],
  [w("play(?:s|ing)?|frolic(?:s|king)?|romp(?:s|ing)?"), "play"],
  [w("danc(?:es|ing)"), "dance"],
  [
    w(
      "talk(?:s|ing)?|say(?:s|ing)?|speak(?:s|ing)?|whisper(?:s|ing)?|shout(?:s|ing)?|asks?|tells?|explain(?:s|ing)?",
    ),
    "talk",
  ],
  [w("fl(?:y|ies|ying)|soar(?:s|ing)?|glid(?:es|ing)"), "fly"],
  [w("driv(?:es|ing)|cruis(?:es|ing)"), "drive"],
  [w("steam(?:s|ing)?"), "steam"],
];
