import { getStackForMember } from "@reelhouse/shared/review/stacks.server";
import { requireUser } from "../utils/auth.server.ts";
import { orRespond } from "../utils/collab.server.ts";
import { exportResponse, playerVersions } from "../utils/review.server.ts";
import type { Route } from "./+types/review.$draftId.export.$format";

/**
 * GET /review/:draftId/export/csv | edl — the version's comments (shared and team-only) with
 * timecodes, as CSV or as EDL markers. Members of the workspace only.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const { stack } = await orRespond(() => getStackForMember(pool, user.id, params.draftId));
  const v = (await playerVersions(pool, stack)).find((x) => x.draftId === params.draftId)!;
  return exportResponse(pool, {
    draftId: params.draftId,
    docs: ["shared", "team"],
    fps: v.fps,
    title: `${stack.title} ${v.label}`,
    format: params.format,
  });
}
