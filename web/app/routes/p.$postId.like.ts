import { like, unlike } from "@reelhouse/shared/social/interactions.server";
import { str } from "../utils/forms.server.ts";
import { socialAction, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/p.$postId.like";

/** POST intent=like|unlike: idempotent (a repeated like counts once). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const form = await request.formData();
  const v = viewerOf(context);
  const pool = context.services.pool;
  return socialAction(
    async (): Promise<{ liked: boolean; likeCount: number }> =>
      str(form, "intent") === "unlike"
        ? unlike(pool, v, params.postId)
        : like(pool, v, params.postId),
  );
}
