import { guestSubject, linkCoversDraft } from "@reelhouse/shared/review/links.server";
import { notifyReviewMessage } from "@reelhouse/shared/review/notify.server";
import { data } from "react-router";
import { z } from "zod";
import { orRespond } from "../utils/collab.server.ts";
import { requireGuest } from "../utils/review.server.ts";
import type { Route } from "./+types/r.$token.notify";

const bodySchema = z.object({ draftId: z.string().uuid(), messageId: z.string().min(1).max(64) });

/** POST /r/:token/notify { draftId, messageId } — a guest's stored comment notifies the team. */
export async function action({ request, context, params }: Route.ActionArgs) {
  const g = await requireGuest(context, request, params.token);
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) throw data("Send { draftId, messageId }.", { status: 400 });
  if (!(await linkCoversDraft(context.services.pool, g.link, body.data.draftId)))
    throw data("Not found", { status: 404 });
  const r = await orRespond(() =>
    notifyReviewMessage(context.services.pool, {
      authorId: guestSubject(g),
      draftId: body.data.draftId,
      doc: "shared",
      messageId: body.data.messageId,
    }),
  );
  return Response.json(r);
}
