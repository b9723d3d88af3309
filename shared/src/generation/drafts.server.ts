import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { type Pool, type PoolClient, transaction } from "../db/pool.server.ts";
import { dataDir } from "../paths.server.ts";
import { projectRole } from "../workspaces/db.server.ts";
import { GenerationRefusal } from "./service.server.ts";

/**
 * Managing the drafts in a project's renders list (issue 17 item 5): rename and delete.
 *
 * Who: the person who made the draft, or an owner of the workspace. Another editor, and a viewer,
 * are refused (403) with a sentence saying why; a draft of a project the person is not a member of
 * is "no such draft" (404), like every other draft route.
 *
 * Delete removes the draft row, its generation job (so it leaves the renders list; a sequence's
 * shot jobs go with it, their shot drafts stay as the storyboard's renders), its three media rows
 * (video, poster, spritesheet) and, after the transaction commits, their files on disk. It is
 * refused (409), and nothing is removed, while the draft:
 *  - is published (a post made from it exists: delete the post first),
 *  - is being published (a queued or running publish job),
 *  - is open to guests on a review link that is neither revoked nor expired,
 *  - is a source of an edit (its timeline would lose the clip).
 */

export const draftTitleSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(
    z
      .string()
      .min(1, "Give the draft a name.")
      .max(120, "A draft's name is at most 120 characters."),
  );

interface DraftRow {
  id: string;
  project_id: string;
  created_by: string;
  workflow_id: string;
  video_path: string;
  poster_path: string;
  sprite_path: string;
  export_path?: string | null;
  video_media_id: string;
  poster_media_id: string;
  sprite_media_id: string;
}

async function requireManager(
  pool: Pool | PoolClient,
  userId: string,
  projectId: string,
  draftId: string,
  verb: "rename" | "delete",
): Promise<DraftRow> {
  const role = await projectRole(pool, userId, projectId);
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!role || !uuid.test(draftId)) throw new GenerationRefusal("not_found", "No such draft.", 404);
  const r = await pool.query<DraftRow>(
    `SELECT id, project_id, created_by, workflow_id, video_path, poster_path, sprite_path,
            video_media_id, poster_media_id, sprite_media_id
       FROM drafts WHERE id = $1 AND project_id = $2`,
    [draftId, projectId],
  );
  const d = r.rows[0];
  if (!d) throw new GenerationRefusal("not_found", "No such draft.", 404);
  if (role.role === "viewer")
    throw new GenerationRefusal(
      "forbidden",
      `Viewers can't ${verb} drafts; ask an editor or the workspace's owner.`,
      403,
    );
  if (d.created_by !== userId && role.role !== "owner")
    throw new GenerationRefusal(
      "forbidden",
      `Only the person who made this draft, or a workspace owner, can ${verb} it.`,
      403,
    );
  return d;
}

/** Renames a draft; returns the clean title. */
export async function renameDraft(
  pool: Pool,
  userId: string,
  input: { projectId: string; draftId: string; title: unknown },
): Promise<{ title: string }> {
  const parsed = draftTitleSchema.safeParse(input.title ?? "");
  if (!parsed.success)
    throw new GenerationRefusal("invalid_title", parsed.error.issues[0]!.message, 400, "title");
  await requireManager(pool, userId, input.projectId, input.draftId, "rename");
  await pool.query("UPDATE drafts SET title = $2 WHERE id = $1", [input.draftId, parsed.data]);
  return { title: parsed.data };
}

/** Why this draft can't be deleted now, or null. Runs inside the deleting transaction. */
async function deleteBlocker(q: Pool | PoolClient, draftId: string): Promise<string | null> {
  const post = await q.query("SELECT 1 FROM posts WHERE draft_id = $1 AND status <> 'deleted'", [
    draftId,
  ]);
  if (post.rowCount)
    return "This draft is published. Delete the post first (on the post's page), then the draft.";
  const pub = await q.query(
    "SELECT 1 FROM publish_jobs WHERE draft_id = $1 AND status IN ('queued', 'running')",
    [draftId],
  );
  if (pub.rowCount) return "This draft is being published right now; try again when it is done.";
  const link = await q.query(
    `SELECT 1 FROM review_links l
       LEFT JOIN review_versions v ON v.item_id = l.item_id
      WHERE (l.draft_id = $1 OR v.draft_id = $1) AND l.revoked_at IS NULL
        AND (l.expires_at IS NULL OR l.expires_at > now())`,
    [draftId],
  );
  if (link.rowCount)
    return "Guests are reviewing this draft on a review link. Revoke the link first (Share for review).";
  const edit = await q.query<{ title: string | null }>(
    "SELECT title FROM edits WHERE $1 = ANY(source_draft_ids) LIMIT 1",
    [draftId],
  );
  if (edit.rowCount)
    return `This draft is a clip in the edit “${edit.rows[0]!.title || "Untitled edit"}”. Remove it from the edit first.`;
  return null;
}

/**
 * Deletes a draft with its job, media rows and files. `files` lists what was removed from disk
 * (relative to the data dir).
 */
export async function deleteDraft(
  pool: Pool,
  userId: string,
  input: { projectId: string; draftId: string },
  root: string = dataDir(),
): Promise<{ files: string[]; media: string[] }> {
  await requireManager(pool, userId, input.projectId, input.draftId, "delete");
  const out = await transaction(pool, async (c) => {
    const r = await c.query<DraftRow>(
      `SELECT id, project_id, created_by, workflow_id, video_path, poster_path, sprite_path,
              export_path, video_media_id, poster_media_id, sprite_media_id
         FROM drafts WHERE id = $1 FOR UPDATE`,
      [input.draftId],
    );
    const d = r.rows[0];
    if (!d) throw new GenerationRefusal("not_found", "No such draft.", 404);
    const blocker = await deleteBlocker(c, d.id);
    if (blocker) throw new GenerationRefusal("draft_in_use", blocker, 409);
    // A storyboard shot or item whose current render this was points at nothing (ON DELETE SET NULL).
    await c.query("DELETE FROM drafts WHERE id = $1", [d.id]);
    await c.query("DELETE FROM generation_jobs WHERE workflow_id = $1", [d.workflow_id]);
    const media = [...new Set([d.video_media_id, d.poster_media_id, d.sprite_media_id])];
    // A media row another draft still uses (none today) is kept.
    const gone = await c.query<{ id: string }>(
      `DELETE FROM media m WHERE m.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM drafts o
                           WHERE m.id IN (o.video_media_id, o.poster_media_id, o.sprite_media_id))
        RETURNING m.id`,
      [media],
    );
    const stillUsed = await c.query<{ p: string }>(
      `SELECT unnest(ARRAY[video_path, poster_path, sprite_path]) AS p FROM drafts
        WHERE video_path = ANY($1) OR poster_path = ANY($1) OR sprite_path = ANY($1)
       UNION SELECT unnest(ARRAY[video_path, poster_path, download_path]) FROM posts
        WHERE video_path = ANY($1) OR poster_path = ANY($1) OR download_path = ANY($1)`,
      [[d.video_path, d.poster_path, d.sprite_path]],
    );
    const keep = new Set(stillUsed.rows.map((x) => x.p));
    const files = [d.video_path, d.poster_path, d.sprite_path, d.export_path].filter(
      (f): f is string => Boolean(f) && !keep.has(f as string),
    );
    return { files, media: gone.rows.map((x) => x.id) };
  });
  await removeFiles(root, out.files);
  return out;
}

/** Unlinks files under `root` (never outside it), then their folders if left empty. */
async function removeFiles(root: string, files: string[]): Promise<void> {
  const base = path.resolve(root);
  const dirs = new Set<string>();
  for (const f of files) {
    const abs = path.resolve(base, f);
    if (!abs.startsWith(base + path.sep)) continue;
    await rm(abs, { force: true }).catch(() => {});
    dirs.add(path.dirname(abs));
  }
  for (const d of dirs) if (d !== base) await rmdir(d).catch(() => {});
}
