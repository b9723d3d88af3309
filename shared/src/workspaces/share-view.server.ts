import type { Queryable } from "./db.server.ts";
import type { ShareLink } from "./share-links.server.ts";

/**
 * What a share-link guest may see about the project besides its documents: its title. The caller
 * must have resolved the link first (resolveShareToken), which is the guest's only authorization.
 */
export async function sharedProjectTitle(q: Queryable, link: ShareLink): Promise<string> {
  const r = await q.query<{ title: string }>("SELECT title FROM projects WHERE id = $1", [
    link.projectId,
  ]);
  return r.rows[0]?.title ?? "Untitled project";
}
