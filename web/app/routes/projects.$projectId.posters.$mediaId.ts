import { isUuid, projectRole } from "@reelhouse/shared/workspaces/db.server";
import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { fileResponse } from "../utils/social.server.ts";
import type { Route } from "./+types/projects.$projectId.posters.$mediaId";

/**
 * /projects/:projectId/posters/:mediaId — the poster of one of the project's drafts by its media id
 * (what the storyboard's shot thumbnails know, from latest-renders.server.ts), for members of the
 * project's workspace. Anything else: 404.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  if (!isUuid(params.mediaId) || !isUuid(params.projectId))
    throw data("Not found", { status: 404 });
  const pool = context.services.pool;
  const role = await projectRole(pool, user.id, params.projectId);
  if (!role) throw data("Not found", { status: 404 });
  const r = await pool.query<{ poster_path: string }>(
    "SELECT poster_path FROM drafts WHERE poster_media_id = $1 AND project_id = $2",
    [params.mediaId, params.projectId],
  );
  const rel = r.rows[0]?.poster_path;
  if (!rel) throw data("Not found", { status: 404 });
  return fileResponse(request, rel);
}
