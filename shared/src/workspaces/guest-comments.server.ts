import { docName } from "../collab/docs.ts";
import { listThreads } from "../collab/schema.ts";
import type { Pool } from "../db/pool.server.ts";
import { isUuid } from "./db.server.ts";
import { loadYDoc } from "./documents.server.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "./errors.ts";
import { liveShareLink } from "./share-links.server.ts";

/**
 * A guest's comment on a project share link (`/s/:token`) notifies the project's members (issue
 * 17 item 6): every member of the project's workspace gets a `project.guest_comment`. The guest
 * has no account; who they are is the subject of the collab token the web tier signed for them
 * (`guest:<link id>:<random>`), which the caller has verified. The comment is read from the
 * STORED comments document (never from the request) and must be that guest's own, on a link that
 * is live and allows comments. Idempotent: one notification per (message, member).
 *
 * Payload: { projectId, threadId, messageId, guestName, excerpt, shotId? }.
 */
export async function notifyGuestComment(
  pool: Pool,
  p: { shareLinkId: string; authorId: string; messageId: string },
): Promise<{ notified: string[] }> {
  const link = await liveShareLink(pool, p.shareLinkId);
  if (!link) throw new NotFoundError("share link not found");
  if (link.rights !== "comment") throw new ForbiddenError("this link does not allow comments");
  if (!p.authorId.startsWith(`guest:${link.id}:`))
    throw new ForbiddenError("only the guest who wrote a comment notifies for it");
  if (!isUuid(p.messageId)) throw new NotFoundError("comment not found");
  const doc = await loadYDoc(pool, docName(link.projectId, "comments"));
  for (const t of listThreads(doc)) {
    const m = t.messages.find((x) => x.id === p.messageId);
    if (!m) continue;
    if (m.author.id !== p.authorId)
      throw new ForbiddenError("only the guest who wrote a comment notifies for it");
    const payload = JSON.stringify({
      projectId: link.projectId,
      threadId: t.id,
      messageId: m.id,
      guestName: m.author.name,
      excerpt: m.body.slice(0, 140),
      ...(t.anchor.kind === "shot" ? { shotId: t.anchor.shotId } : {}),
    });
    const r = await pool.query<{ user_id: string }>(
      `INSERT INTO notifications (user_id, kind, payload, dedupe_key)
       SELECT wm.user_id, 'project.guest_comment', $2::jsonb,
              'project.guest_comment:' || $3::text || ':' || wm.user_id::text
         FROM projects pr JOIN workspace_members wm ON wm.workspace_id = pr.workspace_id
        WHERE pr.id = $1
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING user_id`,
      [link.projectId, payload, m.id],
    );
    return { notified: r.rows.map((x) => x.user_id) };
  }
  // The collab server stores edits as it acknowledges them; the caller retries on this.
  throw new ConflictError("comment not stored yet");
}
