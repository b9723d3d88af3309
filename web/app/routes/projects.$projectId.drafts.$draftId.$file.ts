import { isUuid, projectRole } from "@reelhouse/shared/workspaces/db.server";
import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { fileResponse } from "../utils/social.server.ts";
import type { Route } from "./+types/projects.$projectId.drafts.$draftId.$file";

const FILES = {
  "video.mp4": "video_path",
  "poster.jpg": "poster_path",
  "sprite.jpg": "sprite_path",
} as const;

/**
 * /projects/:projectId/drafts/:draftId/video.mp4 | poster.jpg | sprite.jpg — a draft's files, with
 * HTTP Range (seeking), for members of the project's workspace (any role). Anyone else, a draft of
 * another project, or an unknown file name: 404, the same answer as for a draft that does not exist.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const column = FILES[params.file as keyof typeof FILES];
  if (!column || !isUuid(params.draftId) || !isUuid(params.projectId))
    throw data("Not found", { status: 404 });
  const pool = context.services.pool;
  const role = await projectRole(pool, user.id, params.projectId);
  if (!role) throw data("Not found", { status: 404 });
  const r = await pool.query<{ rel: string }>(
    `SELECT ${column} AS rel FROM drafts WHERE id = $1 AND project_id = $2`,
    [params.draftId, params.projectId],
  );
  const rel = r.rows[0]?.rel;
  if (!rel) throw data("Not found", { status: 404 });
  return fileResponse(request, rel);
}
