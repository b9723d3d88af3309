import { rm } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { dataDir } from "../paths.server.ts";
import { notify } from "../social/notifications.server.ts";
import { erasePost, removePostFiles } from "../social/posts.server.ts";
import { CameoError } from "./errors.ts";
import { draftCameoIds } from "./reviews.server.ts";

/**
 * A person cast in a draft deletes it (from "Cameos of me"), whoever made it: the draft's row
 * (its reviews, publish records and review versions cascade), every post published from it
 * (emptied as its author's delete would), and their files. Only someone whose cameo the draft
 * casts may do it; anyone else gets "No such draft." and nothing is touched. The maker is told.
 */
export async function deleteDraftOfMe(
  pool: Pool,
  ownerId: string,
  draftId: string,
  root: string = dataDir(),
): Promise<{ posts: string[]; files: string[] }> {
  const out = await transaction(pool, async (c) => {
    const d = await c.query<{
      created_by: string;
      workflow_id: string;
      video_path: string;
      poster_path: string;
      sprite_path: string;
      export_path: string | null;
    }>(
      "SELECT created_by, workflow_id, video_path, poster_path, sprite_path, export_path FROM drafts WHERE id = $1 FOR UPDATE",
      [draftId],
    );
    const draft = d.rows[0];
    const ids = draft ? await draftCameoIds(c, draftId) : [];
    const mine = await c.query<{ name: string }>(
      "SELECT name FROM cameos WHERE owner_id = $1 AND id = ANY($2::uuid[])",
      [ownerId, ids],
    );
    if (!draft || mine.rowCount === 0)
      throw new CameoError("draft_not_found", "No such draft.", 404);
    const posts = await c.query<{ id: string }>(
      "SELECT id FROM posts WHERE draft_id = $1 AND status <> 'deleted' FOR UPDATE",
      [draftId],
    );
    const postFiles: string[] = [];
    for (const p of posts.rows) postFiles.push(...(await erasePost(c, p.id)).files);
    await c.query("DELETE FROM drafts WHERE id = $1", [draftId]);
    if (draft.created_by !== ownerId)
      await notify(c, {
        userId: draft.created_by,
        actorId: ownerId,
        kind: "cameo_draft_deleted",
        payload: { cameo: mine.rows[0]!.name, posts: posts.rowCount },
        dedupeKey: `cameo-draft-deleted:${draftId}`,
      });
    return {
      posts: posts.rows.map((p) => p.id),
      postFiles,
      // The marked export too: no copy of the person's face is left behind.
      draftFiles: [
        draft.video_path,
        draft.poster_path,
        draft.sprite_path,
        draft.export_path,
      ].filter((f): f is string => Boolean(f)),
    };
  });
  await removePostFiles(root, out.postFiles);
  // The draft's own files live under generations/<job>/: anything else is never removed.
  const inside = path.resolve(root, "generations") + path.sep;
  const removed: string[] = [];
  for (const rel of out.draftFiles) {
    const abs = path.resolve(root, rel);
    if (!abs.startsWith(inside)) continue;
    await rm(abs, { force: true });
    removed.push(rel);
  }
  return { posts: out.posts, files: [...out.postFiles, ...removed] };
}
