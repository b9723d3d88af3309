import { guestReviewToken, requireGuest } from "../utils/review.server.ts";
import type { Route } from "./+types/r.$token.collab-token";

/** A fresh guest collab token while the review link is live; 404 once revoked or expired. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const g = await requireGuest(context, request, params.token);
  return Response.json(
    { token: guestReviewToken(context, g) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
