import { getStackForMember } from "@reelhouse/shared/review/stacks.server";
import { requireUser } from "../utils/auth.server.ts";
import { memberCollabToken, orRespond } from "../utils/collab.server.ts";
import type { Route } from "./+types/review.$draftId.collab-token";

/** A fresh collab token for a member on a version's review documents (the server re-checks the role). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  await orRespond(() => getStackForMember(context.services.pool, user.id, params.draftId));
  return Response.json(
    { token: memberCollabToken(context, user) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
