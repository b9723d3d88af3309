/** Small helpers for word-boundary phrase rules: the first, the highest-priority or all matches. */

export type Rule<T> = readonly [RegExp, T];

export function first<T>(text: string, rules: readonly Rule<T>[]): T | undefined {
  let best: { at: number; value: T } | undefined;
  for (const [re, value] of rules) {
    const m = re.exec(text);
    if (m && (best === undefined || m.index < best.at)) best = { at: m.index, value };
  }
  return best?.value;
}

/** The highest-priority rule (earliest in the list) that matches anywhere. */
export function byPriority<T>(text: string, rules: readonly Rule<T>[]): T | undefined {
  for (const [re, value] of rules) if (re.test(text)) return value;
  return undefined;
}

export function all<T>(text: string, rules: readonly Rule<T>[]): T[] {
  const out: T[] = [];
  for (const [re, value] of rules) if (re.test(text) && !out.includes(value)) out.push(value);
  return out;
}

export const w = (s: string) => new RegExp(`\\b(?:${s})\\b`, "i");
