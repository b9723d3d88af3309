import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import {
  type CommentMessage,
  listThreads,
  type Thread,
  threadsMap,
} from "@reelhouse/shared/collab/schema";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import * as Y from "yjs";
import { CollabRefusal, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { parseMessageCached } from "../protocol.ts";

/**
 * Commenters and share-link guests may write the comments document, but only as commenters
 * (docs/collab-spec.md [C17]): add threads and messages under their own id, and resolve or reopen
 * threads. Before such an update is applied, it is applied to a scratch copy and the result is
 * compared with the current threads; deleting or rewriting anything, or writing as someone else,
 * is refused (4403) and nothing of it is applied. Owners and editors are not checked (moderation).
 */
export class CommentsGuardExtension implements Extension {
  extensionName = "reelhouse-comments-guard";
  priority = 140;
  refused = 0;
  constructor(private readonly opts: { log: Logger }) {}

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    const ctx = connection.context;
    if (!isCollabContext(ctx) || ctx.docKind !== "comments" || ctx.access !== "write") return;
    if (ctx.role === "owner" || ctx.role === "editor") return;
    const { update } = parseMessageCached(data);
    if (!update) return;
    const problem = check(document, update, ctx.userId);
    if (!problem) return;
    this.refused++;
    this.opts.log("warn", "comment change refused", {
      doc: documentName,
      user: ctx.userId,
      reason: problem,
    });
    throw new CollabRefusal(CLOSE_CODES.forbidden, `comment change not allowed: ${problem}`);
  }
}

const sameMessage = (a: CommentMessage, b: CommentMessage) =>
  JSON.stringify(a) === JSON.stringify(b);

/** Why `update` is not a commenter's change by `userId`, or null if it is. */
export function check(current: Y.Doc, update: Uint8Array, userId: string): string | null {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current));
  const before = new Map(listThreads(scratch).map((t) => [t.id, t]));
  const rawBefore = threadsMap(scratch).size;
  let changed = false;
  scratch.on("update", () => {
    changed = true;
  });
  Y.applyUpdate(scratch, update);
  if (!changed) return null;
  const after = new Map(listThreads(scratch).map((t) => [t.id, t]));
  if (threadsMap(scratch).size !== after.size || threadsMap(scratch).size < rawBefore)
    return "malformed or removed thread";
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) return "thread removed";
    if (
      JSON.stringify(now.anchor) !== JSON.stringify(old.anchor) ||
      now.createdAt !== old.createdAt
    )
      return "thread rewritten";
    const msgs = new Map(now.messages.map((m) => [m.id, m]));
    for (const m of old.messages) {
      const n = msgs.get(m.id);
      if (!n || !sameMessage(m, n)) return "message removed or edited";
    }
    for (const m of now.messages)
      if (!old.messages.some((o) => o.id === m.id) && m.author.id !== userId)
        return "message written as someone else";
  }
  for (const [id, t] of after) {
    if (before.has(id)) continue;
    if (!allAuthoredBy(t, userId)) return "thread written as someone else";
  }
  return null;
}

const allAuthoredBy = (t: Thread, userId: string) =>
  t.messages.length > 0 && t.messages.every((m) => m.author.id === userId);
