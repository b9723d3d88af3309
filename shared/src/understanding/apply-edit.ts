import { impliedTimeRules, lightingRules, timeRules, weatherRules } from "./light.ts";
import { type Rule, w } from "./rules.ts";
import { styleRules } from "./styles.ts";

/**
 * An edit prompt applied to the prompt of the video it edits (the Videos API's edits): for each
 * family of phrases the animatic reads one value of — time of day, weather, lighting, art style —
 * that the edit names, the source's phrases of that family are taken out, so the edit's wins ("…,
 * midday sun" edited "At night." reads as night, and its sun goes with the midday: the first time
 * word would otherwise win). The rest of the source (its subjects, setting, action, camera) stays, and the edit follows it, so
 * anything new it names is added. Pure; the same rule tables as understand.server.ts.
 */

/** What names a family in the edit, and what of it is taken out of the source. */
const FAMILIES: readonly { names: readonly Rule<unknown>[]; remove: readonly RegExp[] }[] = [
  {
    names: [...timeRules, ...impliedTimeRules],
    // The sun or moon goes with the time it belonged to ("midday sun" is not drawn at night).
    remove: [...timeRules, ...impliedTimeRules]
      .map(([re]) => re)
      .concat(w("(?:the )?(?:sun|moon)")),
  },
  ...[weatherRules, lightingRules, styleRules].map((rules) => ({
    names: rules,
    remove: rules.map(([re]) => re),
  })),
];

const global = (re: RegExp) =>
  new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);

export function applyEditPrompt(source: string, edit: string): string {
  let text = source.trim();
  const e = edit.trim();
  for (const family of FAMILIES) {
    if (!family.names.some(([re]) => re.test(e))) continue;
    for (const re of family.remove) text = text.replace(global(re), "");
  }
  const tidy = text
    .replace(/\s+([,.;!?])/g, "$1")
    .replace(/([,;])\s*(?=[,.;!?]|$)/g, "")
    .replace(/\s{2,}/g, " ")
    .trim();
  if (!tidy) return e;
  return `${/[.!?]$/.test(tidy) ? tidy : `${tidy}.`} ${e}`;
}
