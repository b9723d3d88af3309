import { isUuid } from "@reelhouse/shared/workspaces/db.server";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { resolveShareToken } from "@reelhouse/shared/workspaces/share-links.server";
import { data } from "react-router";
import { fileResponse } from "../utils/social.server.ts";
import type { Route } from "./+types/s.$token.posters.$mediaId";

/**
 * /s/:token/posters/:mediaId — a render poster for a share-link guest: only while the link is live,
 * and only posters of drafts of the shared project. Anything else: 404.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  if (!isUuid(params.mediaId)) throw data("Not found", { status: 404 });
  const pool = context.services.pool;
  const link = await resolveShareToken(pool, params.token).catch((e) => {
    if (e instanceof WorkspaceError) throw data("Not found", { status: 404 });
    throw e;
  });
  const r = await pool.query<{ poster_path: string }>(
    "SELECT poster_path FROM drafts WHERE poster_media_id = $1 AND project_id = $2",
    [params.mediaId, link.projectId],
  );
  const rel = r.rows[0]?.poster_path;
  if (!rel) throw data("Not found", { status: 404 });
  const res = await fileResponse(request, rel);
  // The link may be revoked at any time: never let a shared cache keep the bytes.
  res.headers.set("Cache-Control", "private, no-store");
  return res;
}
