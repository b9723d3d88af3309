import { startRemix } from "@reelhouse/shared/social/remix.server";
import { redirect } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { social, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/p.$postId.remix";

/** POST: a new project prefilled from the post, then its page. */
export async function action({ request, context, params }: Route.ActionArgs) {
  requireUser({ request, context });
  const { projectId } = await social(() =>
    startRemix(context.services.pool, viewerOf(context), params.postId),
  );
  throw redirect(`/projects/${projectId}`);
}
