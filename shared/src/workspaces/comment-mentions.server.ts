import { docName } from "../collab/docs.ts";
import { listThreads } from "../collab/schema.ts";
import type { Pool } from "../db/pool.server.ts";
import { isUuid } from "./db.server.ts";
import { loadYDoc } from "./documents.server.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "./errors.ts";
import { requireProjectRole } from "./projects.server.ts";

/**
 * Notifies the workspace members @mentioned in a project comment. The comment is read from the
 * STORED comments document (never from the request), must be the actor's own, and only members of
 * the project's workspace are notified — a mention of anyone else is ignored. Idempotent: one
 * notification per (message, person), however often it is called.
 *
 * Notification: kind `project.mention`, payload { projectId, threadId, messageId, actorId, excerpt }.
 */
export async function notifyCommentMentions(
  pool: Pool,
  actorId: string,
  projectId: string,
  messageId: string,
): Promise<{ notified: string[] }> {
  await requireProjectRole(pool, actorId, projectId, "commenter");
  if (!isUuid(messageId)) throw new NotFoundError("comment not found");
  const doc = await loadYDoc(pool, docName(projectId, "comments"));
  let found: { threadId: string; body: string; authorId: string; mentions: string[] } | null = null;
  for (const t of listThreads(doc)) {
    const m = t.messages.find((x) => x.id === messageId);
    if (m) {
      found = { threadId: t.id, body: m.body, authorId: m.author.id, mentions: m.mentions };
      break;
    }
  }
  // The collab server stores edits as it acknowledges them; the caller retries on this.
  if (!found) throw new ConflictError("comment not stored yet");
  if (found.authorId !== actorId) throw new ForbiddenError("only the author notifies mentions");
  if (found.mentions.length === 0) return { notified: [] };
  const members = await pool.query<{ id: string; username: string }>(
    `SELECT u.id, u.username FROM projects p
       JOIN workspace_members m ON m.workspace_id = p.workspace_id
       JOIN users u ON u.id = m.user_id
      WHERE p.id = $1 AND lower(u.username) = ANY($2::text[]) AND u.id <> $3`,
    [projectId, found.mentions, actorId],
  );
  const notified: string[] = [];
  for (const u of members.rows) {
    const r = await pool.query(
      `INSERT INTO notifications (user_id, kind, payload, dedupe_key) VALUES ($1, 'project.mention', $2, $3)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        u.id,
        JSON.stringify({
          projectId,
          threadId: found.threadId,
          messageId,
          actorId,
          excerpt: found.body.slice(0, 140),
        }),
        `project.mention:${messageId}:${u.id}`,
      ],
    );
    if ((r.rowCount ?? 0) > 0) notified.push(u.username);
  }
  return { notified };
}
