/**
 * Caption parsing: hashtags (#tag) and mentions (@username), as TikTok shows them. Pure functions,
 * shared by the publish workflow (which stores them) and the web tier (which links them).
 */

/** Same alphabet as usernames (0001_accounts.sql). */
const MENTION = /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,30})/g;
const HASHTAG = /(^|[^\p{L}\p{N}_&#])#([\p{L}\p{N}_]{1,50})/gu;

/** Lower-cased, de-duplicated hashtags in order of appearance; only [a-z0-9_] are kept as tags. */
export function parseHashtags(caption: string): string[] {
  const out = new Set<string>();
  for (const m of caption.matchAll(HASHTAG)) {
    const tag = m[2]!.toLowerCase();
    if (/^[a-z0-9_]{1,50}$/.test(tag)) out.add(tag);
  }
  return [...out].slice(0, 30);
}

/** Mentioned usernames (lower-cased, de-duplicated; a trailing dot is punctuation, not name). */
export function parseMentions(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(MENTION)) {
    const name = m[2]!.replace(/\.+$/, "").toLowerCase();
    if (name.length >= 3) out.add(name);
  }
  return [...out].slice(0, 20);
}

export type CaptionPart =
  | { kind: "text"; text: string }
  | { kind: "hashtag"; text: string; tag: string }
  | { kind: "mention"; text: string; username: string };

/** Splits a caption for rendering links to /tag/:tag and /u/:username. */
export function captionParts(caption: string): CaptionPart[] {
  const re = /(#[\p{L}\p{N}_]{1,50})|(@[A-Za-z0-9_.]{3,30})/gu;
  const parts: CaptionPart[] = [];
  let last = 0;
  for (const m of caption.matchAll(re)) {
    const i = m.index ?? 0;
    if (i > last) parts.push({ kind: "text", text: caption.slice(last, i) });
    const token = m[0];
    if (token.startsWith("#"))
      parts.push({ kind: "hashtag", text: token, tag: token.slice(1).toLowerCase() });
    else {
      const username = token.slice(1).replace(/\.+$/, "");
      parts.push({ kind: "mention", text: `@${username}`, username });
      if (username.length + 1 < token.length)
        parts.push({ kind: "text", text: token.slice(username.length + 1) });
    }
    last = i + token.length;
  }
  if (last < caption.length) parts.push({ kind: "text", text: caption.slice(last) });
  return parts;
}
