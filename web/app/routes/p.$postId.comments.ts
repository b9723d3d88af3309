import {
  addComment,
  deleteComment,
  editComment,
} from "@reelhouse/shared/social/interactions.server";
import { str } from "../utils/forms.server.ts";
import { socialAction, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/p.$postId.comments";

/** POST intent=add (body, parentId?) | edit (commentId, body) | delete (commentId). */
export async function action({ request, context, params }: Route.ActionArgs) {
  const form = await request.formData();
  const v = viewerOf(context);
  const pool = context.services.pool;
  const intent = str(form, "intent");
  return socialAction(async () => {
    if (intent === "edit") {
      await editComment(pool, v, str(form, "commentId"), str(form, "body"));
      return {};
    }
    if (intent === "delete") {
      await deleteComment(pool, v, str(form, "commentId"));
      return {};
    }
    return addComment(pool, v, params.postId, str(form, "body"), str(form, "parentId") || null);
  });
}
