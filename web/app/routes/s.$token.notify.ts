import { verifyCollabToken } from "@reelhouse/shared/collab/token.server";
import { notifyGuestComment } from "@reelhouse/shared/workspaces/guest-comments.server";
import { resolveShareToken } from "@reelhouse/shared/workspaces/share-links.server";
import { data } from "react-router";
import { z } from "zod";
import { orRespond } from "../utils/collab.server.ts";
import type { Route } from "./+types/s.$token.notify";

const bodySchema = z.object({ messageId: z.string().min(1).max(64), token: z.string().max(4000) });

/**
 * POST /s/:token/notify { messageId, token } (JSON, X-CSRF-Token) — after a guest's comment on a
 * share link is stored, notifies the project's members. `token` is the guest's collab token: its
 * signed subject says which guest wrote the comment (guests have no account or cookie). 409 while
 * the collab server has not stored the comment yet (the page retries); 404 for a dead link.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const pool = context.services.pool;
  const link = await orRespond(() => resolveShareToken(pool, params.token));
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) throw data("Send { messageId, token }.", { status: 400 });
  // The page keeps the token it was first given (its comments carry that subject), so an expired
  // one still proves authorship; the link itself must be live (resolveShareToken above).
  const t = verifyCollabToken(context.services.authSecret, body.data.token, { ignoreExpiry: true });
  if (!t.ok || t.payload.shareLinkId !== link.id)
    throw data("This comment is not yours to announce.", { status: 403 });
  const r = await orRespond(() =>
    notifyGuestComment(pool, {
      shareLinkId: link.id,
      authorId: t.payload.sub,
      messageId: body.data.messageId,
    }),
  );
  return Response.json({ ok: true, notified: r.notified.length });
}
