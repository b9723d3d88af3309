import { invalid } from "@reelhouse/shared/social/errors";
import { deletePost, setAllowRemix, setPublished } from "@reelhouse/shared/social/posts.server";
import { redirect } from "react-router";
import { str } from "../utils/forms.server.ts";
import { socialAction, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/p.$postId.manage";

/** Owner actions: intent=unpublish|publish|delete|allow-remix|forbid-remix. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const form = await request.formData();
  const v = viewerOf(context);
  const pool = context.services.pool;
  const intent = str(form, "intent");
  if (intent === "delete") {
    const r = await socialAction(() => deletePost(pool, v, params.postId));
    if ("ok" in r && r.ok) throw redirect(`/u/${context.auth.user?.username ?? ""}`);
    return r;
  }
  return socialAction(async () => {
    if (intent === "unpublish" || intent === "publish")
      await setPublished(pool, v, params.postId, intent === "publish");
    else if (intent === "allow-remix" || intent === "forbid-remix")
      await setAllowRemix(pool, v, params.postId, intent === "allow-remix");
    // Anything else is refused rather than answered { ok: true } with nothing done.
    else throw invalid("unknown action");
    return {};
  });
}
