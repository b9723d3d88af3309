import type { beforeHandleMessagePayload, Extension } from "@hocuspocus/server";
import {
  type CommentMessage,
  ROOT_TYPES,
  threadShapeProblem,
  threadsMap,
} from "@reelhouse/shared/collab/schema";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import * as Y from "yjs";
import { CollabRefusal, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { parseMessageCached } from "../protocol.ts";

/**
 * Guards every write to a comments document (docs/collab-spec.md [C17], [C40], [C41]). Before an
 * update is applied it is applied to a scratch copy, and the result is checked:
 * - for every role, only the schema's shapes: no root type but `threads`, every new or changed
 *   thread exactly a thread of the schema (no extra keys), and the document must not depend on
 *   changes the server does not have ([C40]);
 * - for every role, a new message is authored by the connection's token: its id AND name ([C41]);
 * - for commenters and share-link guests, append-only: nothing deleted or rewritten, only
 *   `resolved` may flip ([C17]). Owners and editors may delete and edit (moderation).
 * A refused update closes the document with `4403 comment change not allowed: <why>` and nothing
 * of it is applied.
 */
export class CommentsGuardExtension implements Extension {
  extensionName = "reelhouse-comments-guard";
  priority = 140;
  refused = 0;
  /**
   * Updates accepted in the last seconds, per document. Hocuspocus runs the hooks of several
   * messages concurrently, so an accepted update may not be applied yet when the next one is
   * checked; the scratch copy includes them (applying an update twice is a no-op in Yjs).
   */
  private readonly accepted = new Map<string, { at: number; update: Uint8Array }[]>();
  constructor(private readonly opts: { log: Logger }) {}

  private recent(documentName: string): Uint8Array[] {
    const list = (this.accepted.get(documentName) ?? []).filter(
      (e) => e.at > Date.now() - ACCEPTED_KEEP_MS,
    );
    if (list.length) this.accepted.set(documentName, list.slice(-ACCEPTED_MAX));
    else this.accepted.delete(documentName);
    return list.map((e) => e.update);
  }

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    const ctx = connection.context;
    if (!isCollabContext(ctx) || ctx.docKind !== "comments" || ctx.access !== "write") return;
    const { update } = parseMessageCached(data);
    if (!update) return;
    const moderator = ctx.role === "owner" || ctx.role === "editor";
    const who = { userId: ctx.userId, name: ctx.name, moderator };
    const problem = check(document, update, who, this.recent(documentName));
    if (!problem) {
      const list = this.accepted.get(documentName) ?? [];
      list.push({ at: Date.now(), update });
      this.accepted.set(documentName, list);
      return;
    }
    this.refused++;
    this.opts.log("warn", "comment change refused", {
      doc: documentName,
      user: ctx.userId,
      reason: problem,
    });
    throw new CollabRefusal(CLOSE_CODES.forbidden, `comment change not allowed: ${problem}`);
  }
}

const ACCEPTED_KEEP_MS = 10_000;
const ACCEPTED_MAX = 500;

/** Who is writing: the token's subject and name, and whether their role may moderate. */
export type CommentWriter = { userId: string; name: string; moderator: boolean };

const ALLOWED_ROOTS = new Set(Object.keys(ROOT_TYPES.comments));

/** The name of the root type `type` lives under. */
// biome-ignore lint/suspicious/noExplicitAny: a Yjs type of any kind (generic over its event type)
type AnyType = Y.AbstractType<any>;

function rootName(doc: Y.Doc, type: AnyType): string | null {
  let t: AnyType = type;
  while (t._item) t = t._item.parent as AnyType;
  for (const [name, root] of doc.share) if (root === t) return name;
  return null;
}

type ThreadSnapshot = { json: string; messages: Map<string, CommentMessage> };

function snapshot(doc: Y.Doc): Map<string, ThreadSnapshot> {
  const out = new Map<string, ThreadSnapshot>();
  for (const [id, t] of threadsMap(doc).entries()) {
    const json = JSON.stringify(t instanceof Y.AbstractType ? t.toJSON() : t);
    const messages = new Map<string, CommentMessage>();
    const msgs = t instanceof Y.Map ? t.get("messages") : null;
    if (msgs instanceof Y.Array)
      for (const m of msgs.toArray() as CommentMessage[])
        if (m && typeof m.id === "string") messages.set(m.id, m);
    out.set(id, { json, messages });
  }
  return out;
}

const sameMessage = (a: CommentMessage, b: CommentMessage) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Why `update` is not a change `who` may make to the comments document `current` (plus `recent`:
 * updates accepted but perhaps not yet applied), or null.
 */
export function check(
  current: Y.Doc,
  update: Uint8Array,
  who: CommentWriter,
  recent: Uint8Array[] = [],
): string | null {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(current));
  for (const u of recent) Y.applyUpdate(scratch, u);
  const pendingBefore = Boolean(scratch.store.pendingStructs || scratch.store.pendingDs);
  const before = snapshot(scratch);
  const rootsTouched = new Set<string | null>();
  scratch.on("afterTransaction", (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) rootsTouched.add(rootName(scratch, type));
  });
  try {
    Y.applyUpdate(scratch, update);
  } catch {
    return "malformed update";
  }
  // Content that cannot integrate yet would be checked later under whoever sends the missing
  // part; a real client never depends on changes the server has not accepted, so refuse it.
  if (!pendingBefore && (scratch.store.pendingStructs || scratch.store.pendingDs))
    return "update depends on changes the server does not have";
  for (const root of rootsTouched)
    if (root === null || !ALLOWED_ROOTS.has(root)) return `unknown root type "${root ?? "?"}"`;
  if (rootsTouched.size === 0) return null;

  const after = snapshot(scratch);
  for (const [id, now] of after) {
    const old = before.get(id);
    if (old && old.json === now.json) continue;
    if (id.length > 64) return "thread id too long";
    const shape = threadShapeProblem(threadsMap(scratch).get(id));
    if (shape) return shape;
    for (const [mid, m] of now.messages) {
      if (old?.messages.has(mid)) continue;
      if (m.author.id !== who.userId) return "message written as someone else";
      if (m.author.name !== who.name) return "author name is not the one you signed in with";
    }
  }
  if (who.moderator) return null;

  // Commenters and guests: append-only ([C17]).
  for (const [id, old] of before) {
    const now = after.get(id);
    if (!now) return "thread removed";
    if (old.json === now.json) continue;
    const t0 = threadsMap(current).get(id);
    const t1 = threadsMap(scratch).get(id)!;
    if (
      t0 instanceof Y.Map &&
      (JSON.stringify(t0.get("anchor")) !== JSON.stringify(t1.get("anchor")) ||
        t0.get("createdAt") !== t1.get("createdAt"))
    )
      return "thread rewritten";
    for (const [mid, m] of old.messages) {
      const n = now.messages.get(mid);
      if (!n || !sameMessage(m, n)) return "message removed or edited";
    }
  }
  for (const [id, now] of after)
    if (!before.has(id) && now.messages.size === 0) return "thread without a message";
  return null;
}
