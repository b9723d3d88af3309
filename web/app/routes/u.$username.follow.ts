import { getUserByUsername } from "@reelhouse/shared/accounts/users.server";
import { block, follow, unblock, unfollow } from "@reelhouse/shared/social/interactions.server";
import { setLikedVisibility } from "@reelhouse/shared/social/profiles.server";
import { str } from "../utils/forms.server.ts";
import { socialAction, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/u.$username.follow";

/** POST intent=follow|unfollow|block|unblock, or liked-visibility (own profile, value=public|private). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const form = await request.formData();
  const v = viewerOf(context);
  const pool = context.services.pool;
  const intent = str(form, "intent");
  return socialAction(async () => {
    if (intent === "liked-visibility") {
      await setLikedVisibility(pool, v, str(form, "value"));
      return {};
    }
    const target = await getUserByUsername(pool, params.username);
    const id = target?.id ?? "";
    if (intent === "unfollow") await unfollow(pool, v, id);
    else if (intent === "block") await block(pool, v, id);
    else if (intent === "unblock") await unblock(pool, v, id);
    else await follow(pool, v, id);
    return {};
  });
}
