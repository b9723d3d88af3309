import { impliedTimeRules, lightingRules, timeRules, weatherRules } from "./light.ts";
import type { Rule } from "./rules.ts";
import { styleRules } from "./styles.ts";

/**
 * An edit prompt applied to the prompt of the video it edits (the Videos API's edits): for each
 * family of phrases the animatic reads one value of — time of day, weather, lighting, art style —
 * that the edit names, the source's phrases of that family are taken out, so the edit's wins ("…,
 * midday sun" edited "At night." reads as night: the first time word would otherwise win). The
 * rest of the source (its subjects, setting, action, camera) stays, and the edit follows it, so
 * anything new it names is added. Pure; the same rule tables as understand.server.ts.
 */

const FAMILIES: readonly (readonly Rule<unknown>[])[] = [
  [...timeRules, ...impliedTimeRules],
  weatherRules,
  lightingRules,
  styleRules,
];

const global = (re: RegExp) =>
  new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);

export function applyEditPrompt(source: string, edit: string): string {
  let text = source.trim();
  const e = edit.trim();
  for (const rules of FAMILIES) {
    if (!rules.some(([re]) => re.test(e))) continue;
    for (const [re] of rules) text = text.replace(global(re), "");
  }
  const tidy = text
    .replace(/\s+([,.;!?])/g, "$1")
    .replace(/([,;])\s*(?=[,.;!?]|$)/g, "")
    .replace(/\s{2,}/g, " ")
    .trim();
  if (!tidy) return e;
  return `${/[.!?]$/.test(tidy) ? tidy : `${tidy}.`} ${e}`;
}
