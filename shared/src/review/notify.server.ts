import { listNotes, type ReviewDocKind, reviewDocName } from "../collab/review-doc.ts";
import type { Pool } from "../db/pool.server.ts";
import { isUuid } from "../workspaces/db.server.ts";
import { loadYDoc } from "../workspaces/documents.server.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../workspaces/errors.ts";

/**
 * Notifications for a review comment, called by the page after the collab server acknowledged
 * it. The message is read from the STORED review document (never from the request) and must be
 * the caller's own (`authorId`: a user id, or a guest's `rguest:` subject). Who is told:
 * - `review.mention`: workspace members @mentioned in it (anyone else's name is ignored);
 * - `review.reply`: members who wrote earlier in the same note (a reply to their thread).
 * Idempotent: one notification per (message, person). Team notes never mention anyone outside
 * the team, since only members are ever notified.
 */
export async function notifyReviewMessage(
  pool: Pool,
  p: { authorId: string; draftId: string; doc: ReviewDocKind; messageId: string },
): Promise<{ mentioned: string[]; replied: string[] }> {
  if (!isUuid(p.draftId)) throw new NotFoundError("version not found");
  const d = await pool.query<{ project_id: string; workspace_id: string; number: number }>(
    `SELECT d.project_id, pr.workspace_id, v.number FROM review_versions v
       JOIN drafts d ON d.id = v.draft_id JOIN projects pr ON pr.id = d.project_id WHERE v.draft_id = $1`,
    [p.draftId],
  );
  const v = d.rows[0];
  if (!v) throw new NotFoundError("version not found");
  const doc = await loadYDoc(pool, reviewDocName(p.draftId, p.doc));
  for (const note of listNotes(doc)) {
    const i = note.messages.findIndex((m) => m.id === p.messageId);
    if (i < 0) continue;
    const m = note.messages[i]!;
    if (m.author.id !== p.authorId) throw new ForbiddenError("only the author notifies");
    const earlier = note.messages
      .slice(0, i)
      .map((x) => x.author.id)
      .filter((id) => isUuid(id) && id !== p.authorId);
    const payload = (extra: Record<string, unknown>) =>
      JSON.stringify({
        projectId: v.project_id,
        draftId: p.draftId,
        number: v.number,
        noteId: note.id,
        messageId: m.id,
        frame: note.anchor.frame,
        actorName: m.author.name,
        guest: m.author.guest,
        excerpt: m.body.slice(0, 140),
        ...extra,
      });
    const members = await pool.query<{ id: string; username: string }>(
      `SELECT u.id, lower(u.username) AS username FROM workspace_members wm JOIN users u ON u.id = wm.user_id
        WHERE wm.workspace_id = $1 AND (lower(u.username) = ANY($2::text[]) OR u.id = ANY($3::uuid[]))`,
      [v.workspace_id, m.mentions, earlier],
    );
    const mentioned: string[] = [];
    const replied: string[] = [];
    for (const u of members.rows) {
      if (u.id === p.authorId) continue;
      const kind = m.mentions.includes(u.username) ? "review.mention" : "review.reply";
      const r = await pool.query(
        `INSERT INTO notifications (user_id, kind, payload, dedupe_key) VALUES ($1, $2, $3, $4)
         ON CONFLICT (dedupe_key) DO NOTHING`,
        [u.id, kind, payload({}), `${kind}:${m.id}:${u.id}`],
      );
      if ((r.rowCount ?? 0) > 0) (kind === "review.mention" ? mentioned : replied).push(u.id);
    }
    return { mentioned, replied };
  }
  throw new ConflictError("comment not stored yet");
}
