import { notifyCommentMentions } from "@reelhouse/shared/workspaces/comment-mentions.server";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { requireUser } from "../utils/auth.server";
import { friendly } from "../utils/collab.server";
import type { Route } from "./+types/projects.$projectId.mentions";

/**
 * POST (form: csrf, messageId) after posting a comment: notifies the workspace members it
 * @mentions. 409 means the collab server has not stored the comment yet; the browser retries.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const form = await request.formData();
  try {
    const r = await notifyCommentMentions(
      context.services.pool,
      user.id,
      params.projectId,
      String(form.get("messageId") ?? ""),
    );
    return Response.json({ ok: true, notified: r.notified });
  } catch (err) {
    if (err instanceof WorkspaceError)
      return Response.json({ ok: false, error: friendly(err) }, { status: err.status });
    throw err;
  }
}
