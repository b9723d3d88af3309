import { report } from "@reelhouse/shared/social/moderation.server";
import { str } from "../utils/forms.server.ts";
import { socialAction, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/report";

/** POST targetKind, targetId, reason, details: a report for the moderators. */
export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  return socialAction(() =>
    report(context.services.pool, viewerOf(context), {
      targetKind: str(form, "targetKind"),
      targetId: str(form, "targetId"),
      reason: str(form, "reason"),
      details: str(form, "details"),
    }),
  );
}
