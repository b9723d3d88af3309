import { createRequire } from "node:module";
import type nlpType from "compromise";
import { isColor } from "./colors.ts";
import { countOfWord, GROUP_NOUNS } from "./counts.ts";
import { directArt } from "./lexicon.server.ts";
import { isMotionVerb } from "./motion.ts";
import { isNoun } from "./wordnet.server.ts";

/**
 * Prompt text → noun phrases with what acts on them and what joins them. compromise tags the
 * words (part of speech, numbers, plurals) and singularises nouns; on top of its tags a small
 * chunker groups determiner/count/adjective/noun runs into phrases, notes the verb after each
 * phrase and keeps the words between two phrases (the connector: "on the left of", "riding").
 * Pure: no data but compromise's own. compromise is loaded from its single-file build (its ESM
 * entry is hundreds of small modules, which take seconds to load under a TypeScript loader).
 */

const nlp = createRequire(import.meta.url)("compromise") as typeof nlpType;

export interface Phrase {
  /** The phrase's words as written, without determiners and counts ("golden retriever puppy"). */
  text: string;
  /** The head noun, singular ("puppy"). */
  head: string;
  /** Nouns before the head ("retriever" in "retriever puppy"), singular. */
  modifiers: string[];
  adjectives: string[];
  /** From a number, a count word or a group noun ("three sheep", "a pair of shoes"); null when none. */
  count: number | null;
  plural: boolean;
  /** The preposition just before the phrase ("in" in "in a garden"), or null. */
  prep: string | null;
  /** Words between the previous phrase (same sentence) and this one, lower case. */
  connector: string;
  /** The first verb after the phrase in its clause, as written ("galloping"). */
  verb: string | null;
  /** Words after the verb up to the next phrase ("to the left"). */
  tail: string;
  sentence: number;
  clause: number;
  /** A person's name as written ("Mia"), when the phrase is one. */
  name: string | null;
}

interface Tok {
  text: string;
  normal: string;
  tags: Set<string>;
  post: string;
}

const DETERMINERS = new Set([
  "a",
  "an",
  "the",
  "some",
  "this",
  "that",
  "these",
  "those",
  "his",
  "her",
  "their",
  "its",
  "my",
  "our",
  "your",
  "another",
  "each",
  "every",
  "one's",
]);
const PREPOSITIONS = new Set([
  "in",
  "at",
  "on",
  "across",
  "over",
  "through",
  "along",
  "into",
  "inside",
  "near",
  "by",
  "around",
  "above",
  "under",
  "beneath",
  "below",
  "underneath",
  "down",
  "up",
  "toward",
  "towards",
  "past",
  "from",
  "to",
  "of",
  "with",
  "behind",
  "beside",
  "between",
  "onto",
  "off",
  "out",
  "within",
  "against",
  "atop",
  "amid",
  "among",
  "upon",
  "for",
  "like",
  "next",
  "front",
]);
const SIDES = new Set([
  "left",
  "right",
  "top",
  "front",
  "back",
  "middle",
  "side",
  "bottom",
  "center",
  "centre",
]);

/** Gerund-looking nouns that are things, not actions. */
const ING_NOUNS = new Set([
  "morning",
  "evening",
  "building",
  "painting",
  "ceiling",
  "clothing",
  "pudding",
  "dumpling",
  "wedding",
  "sibling",
  "string",
  "king",
  "ring",
  "wing",
  "swing",
  "sling",
  "thing",
  "nothing",
  "something",
  "everything",
  "lighting",
  "spring",
  "earring",
  "duckling",
  "ending",
  "icing",
]);
const ADJECTIVE_LIKE = /(?:lit|ful|ous|ish|less|ive|ic|al|y)$/;
const KNOWN_ADJECTIVES = new Set([
  "little",
  "big",
  "small",
  "tiny",
  "giant",
  "huge",
  "old",
  "young",
  "elderly",
  "tall",
  "short",
  "fluffy",
  "hooded",
  "masked",
  "bearded",
  "lone",
  "friendly",
  "happy",
  "sad",
  "wooden",
  "rocky",
  "sunlit",
  "moonlit",
  "steaming",
  "shiny",
  "rusty",
  "vintage",
  "cute",
  "majestic",
  "wild",
  "sleepy",
  "angry",
  "curious",
  "playful",
  "lazy",
  "colorful",
  "colourful",
  "bright",
  "dark",
  "ancient",
  "modern",
  "futuristic",
  "abandoned",
  "empty",
  "busy",
  "quiet",
  "lonely",
  "beautiful",
  "striped",
  "spotted",
]);

const SPEECH =
  /^(says|said|asks|asked|answers|answered|replies|replied|whispers|shouts|yells|responds|exclaims|adds|laughs|sings|speaks|talks|tells)$/;

function isVerb(t: Tok, prev: Tok | undefined): boolean {
  if (t.tags.has("Verb") && !t.tags.has("Noun")) return true;
  if (SPEECH.test(t.normal)) return true;
  // "a horse gallops": compromise may read the verb as a plural noun after a noun.
  if (prev?.tags.has("Noun") && /s$/.test(t.normal) && isMotionVerb(t.normal)) return true;
  if (/ing$/.test(t.normal) && t.normal.length > 4 && !ING_NOUNS.has(t.normal)) return true;
  // "a horse gallops": a present-tense verb straight after a noun phrase.
  if (t.tags.has("PresentTense") && prev && (prev.tags.has("Noun") || prev.tags.has("Plural")))
    return true;
  return false;
}

function kind(
  t: Tok,
  prev: Tok | undefined,
): "det" | "num" | "adj" | "noun" | "verb" | "prep" | "other" {
  const n = t.normal;
  // After "a"/"the" or an adjective, a word WordNet knows as a noun is one ("a beautiful rose",
  // not the past of "rise"; "a key", not the adjective).
  if (
    prev &&
    (DETERMINERS.has(prev.normal) || (prev.tags.has("Adjective") && !prev.tags.has("Noun"))) &&
    !t.tags.has("Adjective") &&
    (t.tags.has("Verb") || !t.tags.has("Noun")) &&
    !/ing$/.test(n) &&
    !PREPOSITIONS.has(n) &&
    !DETERMINERS.has(n) &&
    !SIDES.has(n) &&
    countOfWord(n) === null &&
    isNoun(n)
  )
    return "noun";
  // "riding horses", "carrying boxes": a bare plural straight after a verb is its object.
  if (
    prev &&
    /ing$/.test(prev.normal) &&
    prev.normal.length > 4 &&
    !ING_NOUNS.has(prev.normal) &&
    (t.tags.has("Plural") || t.tags.has("PresentTense")) &&
    /s$/.test(n) &&
    !PREPOSITIONS.has(n) &&
    (isNoun(n.replace(/s$/, "")) || isNoun(n.replace(/es$/, ""))) &&
    !SPEECH.test(n)
  )
    return "noun";
  if (DETERMINERS.has(n)) return "det";
  // Sides and positions are words of a relation ("right of", "on top of"), never a thing.
  if (SIDES.has(n)) return "prep";
  if (countOfWord(n) !== null || t.tags.has("Value")) return "num";
  if (isColor(n) || KNOWN_ADJECTIVES.has(n)) return "adj";
  if (PREPOSITIONS.has(n) || t.tags.has("Preposition")) return "prep";
  if (isVerb(t, prev)) return "verb";
  if (t.tags.has("Pronoun")) return "other";
  if (t.tags.has("Adjective") && !t.tags.has("Noun")) return "adj";
  if (t.tags.has("Noun")) return "noun";
  if (ADJECTIVE_LIKE.test(n) && t.tags.has("Adjective")) return "adj";
  return "other";
}

function singular(word: string, plural: boolean): string {
  // compromise misses some plurals after a number ("two horses"): a word WordNet does not know
  // whose singular it does is a plural.
  if (!plural && !(word.endsWith("s") && !word.endsWith("ss") && !isNoun(word))) return word;
  const s = nlp(word).nouns().toSingular().text().toLowerCase();
  if (s && s !== word) {
    // A word the emoji words know as it is ("ramen") is not the plural of an unknown "raman".
    if (directArt(word) && !isNoun(s) && !directArt(s)) return word;
    return s;
  }
  // Alone, compromise may read the word as a verb ("horses"): strip the ending WordNet confirms.
  for (const c of [word.replace(/ies$/, "y"), word.replace(/es$/, ""), word.replace(/s$/, "")])
    if (c !== word && isNoun(c)) return c;
  return word;
}

function numberOf(t: Tok): number | null {
  const byWord = countOfWord(t.normal);
  if (byWord !== null) return byWord;
  const n = Number(t.normal.replace(/,/g, ""));
  return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

/** Split a sentence's terms into clauses at commas, semicolons and colons. */
function clauses(terms: Tok[]): Tok[][] {
  const out: Tok[][] = [[]];
  for (const t of terms) {
    out[out.length - 1]!.push(t);
    if (/[,;:—–()]/.test(t.post)) out.push([]);
  }
  return out.filter((c) => c.length > 0);
}

export function parsePhrases(text: string): Phrase[] {
  const doc = nlp(text);
  const sentences = doc.json() as {
    terms: { text: string; normal: string; tags: string[]; post: string }[];
  }[];
  const phrases: Phrase[] = [];
  sentences.forEach((sentence, si) => {
    const toks: Tok[] = sentence.terms.map((t) => ({
      text: t.text,
      normal: (t.normal || t.text).toLowerCase().replace(/[^\p{L}\p{N}'&-]/gu, ""),
      tags: new Set(t.tags),
      post: t.post ?? "",
    }));
    let connector: string[] = [];
    let lastInSentence: Phrase | null = null;
    clauses(toks).forEach((clause, ci) => {
      let i = 0;
      let pendingCount: number | null = null;
      while (i < clause.length) {
        const t = clause[i]!;
        const k = kind(t, clause[i - 1]);
        if (k === "det" || k === "num" || k === "adj" || k === "noun") {
          // A noun phrase: [det|num|adj|noun]* ending at its last noun.
          let j = i;
          const run: { t: Tok; k: string }[] = [];
          while (j < clause.length) {
            const kj = kind(clause[j]!, clause[j - 1]);
            if (kj !== "det" && kj !== "num" && kj !== "adj" && kj !== "noun") break;
            run.push({ t: clause[j]!, k: kj });
            j++;
          }
          let lastNoun = -1;
          run.forEach((r, ri) => {
            if (r.k === "noun") lastNoun = ri;
          });
          // No noun, but the run ends on a word that is one too ("a small orange"): the head.
          const tail = run[run.length - 1]!;
          if (lastNoun < 0 && run.length > 1 && tail.k === "adj" && isNoun(tail.t.normal)) {
            tail.k = "noun";
            lastNoun = run.length - 1;
          }
          if (lastNoun < 0) {
            connector.push(...run.map((r) => r.t.normal));
            i = j;
            continue;
          }
          const used = run.slice(0, lastNoun + 1);
          const headTok = used[lastNoun]!.t;
          const head = singular(headTok.normal, headTok.tags.has("Plural"));
          // A word kept as it is despite a plural tag ("ramen") is one thing.
          const kept = head === headTok.normal && !/s$/.test(head) && directArt(head) !== null;
          const plural = (headTok.tags.has("Plural") && !kept) || head !== headTok.normal;
          // "a pair of shoes", "a herd of horses": the group noun is a count for the next phrase.
          const next = clause[i + used.length];
          if (GROUP_NOUNS[head] !== undefined && next?.normal === "of") {
            pendingCount = GROUP_NOUNS[head]!;
            i += used.length + 1;
            continue;
          }
          let count: number | null = pendingCount;
          pendingCount = null;
          for (const r of used) if (r.k === "num") count = numberOf(r.t) ?? count;
          const words = used.filter((r) => r.k !== "det" && r.k !== "num");
          const phrase: Phrase = {
            text: words.map((r) => r.t.normal).join(" "),
            head,
            modifiers: words
              .filter((r, ri) => r.k === "noun" && r.t !== headTok && ri < words.length)
              .map((r) => r.t.normal),
            adjectives: words.filter((r) => r.k === "adj").map((r) => r.t.normal),
            count,
            plural,
            prep: null,
            connector: connector.join(" "),
            verb: null,
            tail: "",
            sentence: si,
            clause: ci,
            name:
              (headTok.tags.has("FirstName") ||
                headTok.tags.has("Person") ||
                headTok.tags.has("MaleName") ||
                headTok.tags.has("FemaleName")) &&
              /^[A-Z]/.test(headTok.text)
                ? words
                    .filter((r) => /^[A-Z]/.test(r.t.text))
                    .map((r) => r.t.text.replace(/[^\p{L}'-]/gu, ""))
                    .join(" ")
                : null,
          };
          const before = connector[connector.length - 1];
          if (before && PREPOSITIONS.has(before)) phrase.prep = before;
          phrases.push(phrase);
          lastInSentence = phrase;
          connector = [];
          i += used.length;
          // Trailing adjectives of the run ("a bicycle next") go back to the connector.
          continue;
        }
        if (
          k === "verb" &&
          lastInSentence &&
          lastInSentence.verb === null &&
          lastInSentence.sentence === si
        ) {
          lastInSentence.verb = t.normal;
        } else if (lastInSentence?.verb && lastInSentence.sentence === si && connector.length < 6) {
          lastInSentence.tail = `${lastInSentence.tail} ${t.normal}`.trim();
        }
        connector.push(t.normal);
        i++;
      }
      connector.push(",");
    });
  });
  return phrases;
}
