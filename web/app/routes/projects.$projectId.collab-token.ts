import { getProject } from "@reelhouse/shared/workspaces/projects.server";
import { requireUser } from "../utils/auth.server";
import { memberCollabToken, orRespond } from "../utils/collab.server";
import type { Route } from "./+types/projects.$projectId.collab-token";

/**
 * A fresh short-lived collab token for the signed-in member, fetched by the browser's provider on
 * every (re)connection. The role is not in the token: the collab server looks it up each time.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  await orRespond(() => getProject(context.services.pool, user.id, params.projectId));
  return Response.json(
    { token: memberCollabToken(context, user) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
