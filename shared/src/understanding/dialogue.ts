import type { DialogueLine } from "./types.ts";

/**
 * Quoted lines and who says them: `Mia says "Hi"`, `The woman says "…" The man answers "…"`,
 * `"Hi," she whispers`, `NARRATOR: "…"`. Returns the lines with the speaker's words; the caller
 * ties each speaker to a drawn subject.
 */

export const quoteRe = /["“”«»]([^"“”«»]{1,400})["“”«»]/g;

const SPEECH_VERBS =
  "says|said|asks|asked|whispers|whispered|shouts|shouted|yells|yelled|replies|replied|answers|answered|responds|responded|tells \\w+|exclaims|calls out|sings|adds|laughs|mutters|murmurs|continues|speaks";

export interface RawLine {
  speaker: string | null;
  text: string;
}

export function parseQuotes(text: string): RawLine[] {
  const lines: RawLine[] = [];
  const beforeRe = new RegExp(
    `([A-Z][\\w'-]*(?:\\s+[A-Z][\\w'-]*)?|(?:the|a|an|his|her|their)\\s+(?:[\\w-]+\\s+)?[\\w-]+|he|she|they)\\s*(?:${SPEECH_VERBS})\\s*(?:,|:)?\\s*(?:softly|quietly|loudly|happily|sadly)?\\s*[:,]?\\s*$`,
    "i",
  );
  const afterRe = new RegExp(
    `^\\s*,?\\s*(?:${SPEECH_VERBS})\\s+((?:the|a|an)\\s+[\\w-]+|[A-Z][\\w'-]*|he|she|they)`,
    "i",
  );
  const afterPronounRe = new RegExp(
    `^\\s*,?\\s*((?:the|a|an)\\s+[\\w-]+|he|she|they)\\s+(?:${SPEECH_VERBS})`,
    "i",
  );
  for (const m of text.matchAll(quoteRe)) {
    const line = m[1]!.trim();
    if (!line) continue;
    const before = text.slice(Math.max(0, m.index! - 60), m.index!);
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 40);
    const speaker =
      beforeRe.exec(before)?.[1] ??
      /([A-Z][\w'-]*|(?:the|a|an)\s+[\w-]+)\s*:\s*$/.exec(before)?.[1] ??
      afterRe.exec(after)?.[1] ??
      afterPronounRe.exec(after)?.[1] ??
      null;
    lines.push({
      speaker: speaker?.replace(/^(the|a|an|his|her|their)\s+/i, "").trim() ?? null,
      text: line,
    });
  }
  return lines;
}

export type { DialogueLine };
