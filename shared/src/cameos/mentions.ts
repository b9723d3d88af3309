import type { CastMember } from "./consent.server.ts";

/**
 * The cast a prompt names: "@mia as the barista" casts @mia's cameo in the role "the barista"
 * (previz puts the face on the figure that role names). A bare "@mia" is a mention, not a cast:
 * it casts nobody. The role is the article and one noun, with one describing word before it when
 * it is a known one ("a young nurse"). Pure; the generation service uses it when a request carries
 * no cast of its own.
 */
const CAST_RE =
  /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{2,30})\s+as\s+((?:the|an?)\s+[A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*)?)/gi;

/** Describing words that come before the role's noun ("a young nurse", "the old sailor"). */
const ADJECTIVES = new Set(
  "young old little tall short tired happy sad grumpy friendly angry night head new retired famous".split(
    " ",
  ),
);

export function castFromPrompt(text: string): CastMember[] {
  const out: CastMember[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CAST_RE)) {
    const username = m[2]!;
    const [article, first, second] = m[3]!.toLowerCase().split(/\s+/);
    const role = [article, first, ...(second && ADJECTIVES.has(first!) ? [second] : [])].join(" ");
    const key = username.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ role, username });
  }
  return out;
}
