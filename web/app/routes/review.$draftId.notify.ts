import { notifyReviewMessage } from "@reelhouse/shared/review/notify.server";
import { getStackForMember } from "@reelhouse/shared/review/stacks.server";
import { data } from "react-router";
import { z } from "zod";
import { requireUser } from "../utils/auth.server.ts";
import { orRespond } from "../utils/collab.server.ts";
import type { Route } from "./+types/review.$draftId.notify";

export const notifyBodySchema = z.object({
  doc: z.enum(["shared", "team"]),
  messageId: z.string().min(1).max(64),
});

/**
 * POST /review/:draftId/notify { doc, messageId } — after a member's review comment is stored,
 * notifies the members it @mentions and the earlier members of its thread. 409 until stored.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const body = notifyBodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) throw data("Send { doc: shared|team, messageId }.", { status: 400 });
  await orRespond(() => getStackForMember(context.services.pool, user.id, params.draftId));
  const r = await orRespond(() =>
    notifyReviewMessage(context.services.pool, {
      authorId: user.id,
      draftId: params.draftId,
      ...body.data,
    }),
  );
  return Response.json(r);
}
