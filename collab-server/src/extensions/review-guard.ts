import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import {
  notesMap,
  parseReviewDocName,
  type ReviewAuthor,
  type ReviewNote,
  readNote,
} from "@reelhouse/shared/collab/review-doc";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import * as Y from "yjs";
import { CollabRefusal, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { parseMessageCached } from "../protocol.ts";

/**
 * Guards the review documents (docs/collab-spec.md [R2], [R3]). Every write, whoever sends it, is
 * applied to a scratch copy first and the result must be the schema of review-doc.ts — notes with
 * a frame anchor, drawings of the allowed shapes in normalized coordinates, messages — and every
 * message it adds must carry the connection's own identity as its author (id, name and guest flag
 * from the collab token, so a guest's comment is always marked a guest's). Commenters and guests
 * may add notes and replies and resolve or reopen; they may not delete or rewrite anything.
 * Owners and editors may also delete notes (moderation); nobody rewrites another's message.
 * A refused update closes the connection with 4403 and nothing of it is applied.
 */
export class ReviewGuardExtension implements Extension {
  extensionName = "reelhouse-review-guard";
  priority = 140;
  refused = 0;
  constructor(private readonly opts: { log: Logger }) {}

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    if (!parseReviewDocName(documentName)) return;
    const ctx = connection.context;
    if (!isCollabContext(ctx) || ctx.access !== "write" || !ctx.review) return;
    const { update } = parseMessageCached(data);
    if (!update) return;
    const problem = checkReviewChange(document, update, ctx.review.author, ctx.review.moderator);
    if (!problem) return;
    this.refused++;
    this.opts.log("warn", "review change refused", {
      doc: documentName,
      user: ctx.userId,
      reason: problem,
    });
    throw new CollabRefusal(CLOSE_CODES.forbidden, `review change not allowed: ${problem}`);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Why `update` is not a change `author` may make, or null if it is. */
export function checkReviewChange(
  current: Y.Doc,
  update: Uint8Array,
  author: ReviewAuthor,
  moderator: boolean,
): string | null {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current));
  const before = new Map<string, ReviewNote>();
  for (const [id, t] of notesMap(scratch).entries()) {
    const n = readNote(id, t);
    if (typeof n !== "string") before.set(id, n);
  }
  let changed = false;
  scratch.on("update", () => {
    changed = true;
  });
  try {
    Y.applyUpdate(scratch, update);
  } catch {
    return "malformed update";
  }
  if (!changed) return null;
  for (const name of scratch.share.keys()) if (name !== "notes") return `unknown root ${name}`;
  const after = new Map<string, ReviewNote>();
  for (const [id, t] of notesMap(scratch).entries()) {
    const n = readNote(id, t);
    if (typeof n === "string") return n;
    after.set(id, n);
  }
  const mine = (m: { author: ReviewAuthor }) => same(m.author, author);
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) {
      if (moderator) continue;
      return "note removed";
    }
    if (
      !same(now.anchor, old.anchor) ||
      !same(now.shapes, old.shapes) ||
      now.createdAt !== old.createdAt
    )
      return "note rewritten";
    const ids = new Set(old.messages.map((m) => m.id));
    const kept = new Map(now.messages.map((m) => [m.id, m]));
    for (const m of old.messages) if (!same(kept.get(m.id), m)) return "message removed or edited";
    for (const m of now.messages)
      if (!ids.has(m.id) && !mine(m)) return "message written as someone else";
  }
  for (const [id, n] of after) {
    if (before.has(id)) continue;
    if (!n.messages.every(mine)) return "note written as someone else";
  }
  return null;
}
