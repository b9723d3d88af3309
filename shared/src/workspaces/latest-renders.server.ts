import type { Queryable } from "./db.server.ts";

/**
 * Latest renders (drafts) for the workspace pages: project cover thumbnails and the storyboard's
 * per-shot thumbnails. The CALLER must already have checked the actor's role on the project(s);
 * these functions only read poster ids.
 */

/** Poster media id of each project's newest draft, by project id. */
export async function projectCovers(
  q: Queryable,
  projectIds: string[],
): Promise<Map<string, string>> {
  if (projectIds.length === 0) return new Map();
  const r = await q.query<{ project_id: string; poster_media_id: string }>(
    `SELECT DISTINCT ON (project_id) project_id, poster_media_id
       FROM drafts WHERE project_id = ANY($1::uuid[])
      ORDER BY project_id, created_at DESC`,
    [projectIds],
  );
  return new Map(r.rows.map((x) => [x.project_id, x.poster_media_id]));
}

/**
 * Poster media ids of a project's drafts, keyed both by draft id (a shot's `latestRenderId`) and by
 * `shot:<shotId>` for the newest draft of each storyboard shot. Bounded to the newest 500 drafts.
 */
export async function shotPosters(
  q: Queryable,
  projectId: string,
): Promise<Record<string, string>> {
  const r = await q.query<{ id: string; shot_id: string | null; poster_media_id: string }>(
    `SELECT id, shot_id, poster_media_id FROM drafts WHERE project_id = $1
      ORDER BY created_at DESC LIMIT 500`,
    [projectId],
  );
  const out: Record<string, string> = {};
  for (const row of r.rows) {
    out[row.id] = row.poster_media_id;
    if (row.shot_id && !out[`shot:${row.shot_id}`])
      out[`shot:${row.shot_id}`] = row.poster_media_id;
  }
  return out;
}
