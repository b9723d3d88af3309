/**
 * A cameo owner's instructions ("no political content", "don't show me drinking") read against a
 * prompt. Pure and explainable: each "no X" / "don't … X" / "never … X" clause names topics; a
 * topic is refused when the prompt mentions it or a word of its family (politics → election,
 * president, campaign …). It is a guard for the clear cases; the owner's review of every draft is
 * the final say.
 */

/** Topic families: a clause word on the left refuses every word on the right. */
const FAMILIES: Record<string, readonly string[]> = {
  politic: [
    "politic",
    "election",
    "elect",
    "vote",
    "voting",
    "campaign",
    "president",
    "senator",
    "parliament",
    "protest",
    "rally",
    "party leader",
    "candidate",
  ],
  violen: [
    "violen",
    "fight",
    "punch",
    "gun",
    "shoot",
    "weapon",
    "knife",
    "blood",
    "attack",
    "war",
    "kill",
  ],
  alcohol: [
    "alcohol",
    "beer",
    "wine",
    "vodka",
    "whisky",
    "whiskey",
    "drunk",
    "cocktail",
    "bar ",
    "drinking",
    "champagne",
  ],
  drink: ["drinking", "drunk", "beer", "wine", "alcohol", "cocktail"],
  drug: ["drug", "weed", "cannabis", "cocaine", "smoking", "pills"],
  smok: ["smok", "cigarette", "vape", "cigar"],
  romant: ["romant", "kiss", "date", "dating", "love scene", "flirt"],
  kiss: ["kiss", "romant", "make out"],
  religio: ["religio", "church", "mosque", "temple", "prayer", "god"],
  swear: ["swear", "curse", "profanity", "fuck", "shit", "damn"],
  advert: ["advert", "ad ", "commercial", "sponsor", "brand", "product placement"],
  brand: ["brand", "logo", "sponsor", "advert"],
  horror: ["horror", "zombie", "monster", "ghost", "scary"],
  nud: ["nud", "naked", "topless", "lingerie", "underwear"],
  sex: ["sex", "erotic", "nude", "naked", "lingerie"],
};

const FILLER = new Set([
  "a",
  "an",
  "the",
  "me",
  "my",
  "of",
  "any",
  "in",
  "on",
  "with",
  "as",
  "or",
  "and",
  "to",
  "be",
  "content",
  "videos",
  "video",
  "scenes",
  "scene",
  "stuff",
  "things",
  "themes",
  "topics",
  "please",
  "shown",
  "show",
  "showing",
  "put",
  "use",
  "using",
  "depict",
  "depicting",
  "make",
  "making",
  "anything",
  "something",
  "related",
  "about",
  "being",
  "doing",
  "do",
  "it",
  "i",
  "am",
  "is",
]);

export type InstructionsVerdict =
  | { ok: true }
  | { ok: false; clause: string; matched: string; reason: string };

const norm = (s: string) =>
  ` ${s
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, " ")
    .replace(/\s+/g, " ")} `;

/** The forbidding clauses of an instruction text and the topic words each names. */
export function forbiddenTopics(instructions: string): { clause: string; topics: string[] }[] {
  const out: { clause: string; topics: string[] }[] = [];
  for (const sentence of instructions.split(/[.;!\n,]+/)) {
    const m = /\b(?:no|not|never|don't|dont|do not|avoid|without)\b(.*)$/i.exec(sentence);
    if (!m) continue;
    const words = norm(m[1] ?? "")
      .trim()
      .split(" ")
      .filter((w) => w.length > 2 && !FILLER.has(w));
    if (words.length) out.push({ clause: sentence.trim(), topics: words });
  }
  return out;
}

/** The prompt words a topic word stands for: its family if it has one, else itself (stemmed). */
function familyOf(topic: string): readonly string[] {
  for (const [stem, words] of Object.entries(FAMILIES)) if (topic.startsWith(stem)) return words;
  const stem = topic.replace(/(ing|ed|es|s)$/, "");
  return [stem.length >= 3 ? stem : topic];
}

export function checkInstructions(
  ownerName: string,
  instructions: string,
  prompt: string,
): InstructionsVerdict {
  const text = norm(prompt);
  for (const { clause, topics } of forbiddenTopics(instructions)) {
    for (const t of topics) {
      const hit = familyOf(t).find((w) => text.includes(` ${w}`));
      if (hit)
        return {
          ok: false,
          clause,
          matched: hit.trim(),
          reason: `@${ownerName} asks: "${clause}". This prompt mentions "${hit.trim()}".`,
        };
    }
  }
  return { ok: true };
}
