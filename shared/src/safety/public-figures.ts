import nlp from "compromise";
import wikipedia from "compromise-wikipedia";

/**
 * Public figures named in a prompt, recognised by language rather than fixed phrasings: the
 * prompt's phrases are matched against the ~38,000 popular Wikipedia article titles that ship in
 * `compromise-wikipedia` (MIT), and a match counts as a person when compromise tags the name as
 * one (first/last names, known people), however the prompt is cased or phrased ("Taylor Swift
 * says hello", "taylor swift dancing on stage", "a video of TAYLOR SWIFT"). Places, organisations
 * and common nouns that are also article titles ("Paris", "The Beatles", "piano") don't count.
 *
 * Honest limits: a famous mononym that compromise does not know as a name (e.g. "Zendaya") is
 * missed, and a fictional character with a person's name (e.g. "Harry Potter") counts.
 */
const wiki = nlp.extend(wikipedia);

const PERSON_TAGS = ["Person", "FirstName", "LastName", "MaleName", "FemaleName"];
const NOT_PERSON_TAGS = ["Place", "Organization", "Honorific", "Possessive"];

function titleCase(s: string): string {
  return s.replace(
    /\b([a-z])([a-z'’-]*)/gi,
    (_m, a: string, b: string) => a.toUpperCase() + b.toLowerCase(),
  );
}

function isPersonName(name: string): boolean {
  const terms = nlp(titleCase(name)).terms().json() as { terms: { tags: string[] }[] }[];
  const tags = terms.map((t) => t.terms[0]?.tags ?? []);
  if (tags.length === 0) return false;
  if (tags.some((t) => t.some((x) => NOT_PERSON_TAGS.includes(x)))) return false;
  if (tags.length === 1) return tags[0]!.includes("Person");
  if (tags.some((t) => t.some((x) => PERSON_TAGS.includes(x)))) return true;
  // "Elon Musk", "Keanu Reeves": names compromise does not know, but two or more proper nouns with
  // no verb, adjective or adverb among them, that are a popular article's title.
  return (
    tags.some((t) => t.includes("ProperNoun")) &&
    tags.every(
      (t) => t.includes("Noun") && !t.some((x) => ["Verb", "Adjective", "Adverb"].includes(x)),
    )
  );
}

/** Normalises what people type around names: possessives, @handles, odd spacing and case. */
function prepare(text: string): string {
  return text
    .replace(/@[\w.]+/g, " ") // cameo handles are people who consented, not public figures
    .replace(/(\w)['’]s\b/g, "$1")
    .replace(/\s+/g, " ");
}

/** The distinct public figures named in `text`, as the article titles spell them. */
export function namedPublicFigures(text: string): string[] {
  const doc = wiki(prepare(text));
  const found = new Map<string, string>();
  for (const name of doc.wikipedia().out("array") as string[]) {
    const key = name.toLowerCase();
    if (!found.has(key) && isPersonName(name)) found.set(key, titleCase(name));
  }
  return [...found.values()];
}
