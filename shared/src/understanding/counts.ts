import { MAX_COUNT } from "./types.ts";

/** Count words ("three", "a dozen", "several") → a number; null when the word is not a count. */
const COUNT_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  dozen: 12,
  dozens: 12,
  several: 3,
  few: 3,
  many: 6,
  multiple: 3,
  numerous: 8,
  both: 2,
  twin: 2,
  twins: 2,
  hundreds: MAX_COUNT,
  thousands: MAX_COUNT,
};

export function countOfWord(word: string): number | null {
  return COUNT_WORDS[word.toLowerCase()] ?? null;
}

/** Group nouns before "of": "a pair of", "a herd of horses". */
export const GROUP_NOUNS: Record<string, number> = {
  pair: 2,
  couple: 2,
  duo: 2,
  trio: 3,
  quartet: 4,
  group: 4,
  herd: 6,
  flock: 7,
  pack: 5,
  school: 7,
  swarm: 10,
  crowd: 10,
  bunch: 5,
  team: 5,
  family: 4,
  line: 5,
  row: 5,
  pile: 5,
  stack: 4,
  fleet: 5,
  colony: 8,
  gaggle: 5,
  pod: 4,
  set: 3,
  handful: 4,
  dozen: 12,
  lot: 6,
};

/** The drawn count for a phrase: its number, or a small group for a bare plural ("sheep" → 3). */
export function drawnCount(count: number | null, plural: boolean): number {
  const n = count ?? (plural ? 3 : 1);
  return Math.max(1, Math.min(MAX_COUNT, n));
}
