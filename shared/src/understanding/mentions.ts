import type { StructuredPrompt } from "../generation/request.ts";

/**
 * Cast mentions in a prompt, as understanding reads them (pure): "@mia as the barista pours" is
 * about "the barista" (the cameo cast in that role is the render's business,
 * shared/src/cameos/mentions.ts), and a bare "@mia" is the word "mia". An "@" not followed by a
 * handle ("meet me @ noon") is left alone.
 */
const MENTION_AS = /@([A-Za-z0-9_.]{2,30})\s+as\s+(?=(?:the|an?)\s)/gi;
const MENTION = /@([A-Za-z0-9_.]{2,30})\b/g;

/** "@mia as the barista pours" → "the barista pours"; "@mia waves" → "mia waves". */
export function withoutMentions(text: string): string {
  return text.replace(MENTION_AS, "").replace(MENTION, "$1");
}

export function promptWithoutMentions(p: StructuredPrompt): StructuredPrompt {
  const sections: StructuredPrompt["sections"] = {};
  for (const [k, v] of Object.entries(p.sections ?? {}) as [
    keyof StructuredPrompt["sections"],
    string | undefined,
  ][])
    if (v !== undefined) sections[k] = withoutMentions(v);
  return { text: withoutMentions(p.text), sections };
}
