import { previewSnapshot } from "@reelhouse/shared/workspaces/snapshots.server";
import { requireUser } from "../utils/auth.server";
import { orRespond } from "../utils/collab.server";
import { toPreview } from "../utils/project-preview.server";
import type { Route } from "./+types/projects.$projectId.history.$snapshotId";

/** JSON preview of one snapshot for the history panel (viewer role or better). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const p = await orRespond(() =>
    previewSnapshot(context.services.pool, user.id, params.snapshotId),
  );
  if (p.snapshot.projectId !== params.projectId) throw new Response("Not found", { status: 404 });
  return Response.json(toPreview(p.docs), { headers: { "Cache-Control": "no-store" } });
}
