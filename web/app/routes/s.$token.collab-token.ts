import { resolveShareToken } from "@reelhouse/shared/workspaces/share-links.server";
import { guestCollabToken, orRespond } from "../utils/collab.server";
import { guestName } from "../utils/guest";
import type { Route } from "./+types/s.$token.collab-token";

/** A fresh guest collab token while the share link is live; 404 once it is revoked or expired. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const link = await orRespond(() => resolveShareToken(context.services.pool, params.token));
  const name = guestName(new URL(request.url).searchParams.get("name"));
  return Response.json(
    { token: guestCollabToken(context, link.id, name) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
