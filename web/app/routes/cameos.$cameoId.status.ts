import { requireOwnCameo } from "@reelhouse/shared/cameos/cameos.server";
import { requireUser } from "../utils/auth.server.ts";
import { cameoRefusal } from "../utils/cameos.server.ts";
import type { Route } from "./+types/cameos.$cameoId.status";

/**
 * `GET /cameos/:cameoId/status` → `{ ok: true, status, stage, progress, reason }` for one of my
 * cameos (polled by the recorder while it is processing); anyone else's is 404.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  try {
    if (!/^[0-9a-f-]{36}$/i.test(params.cameoId)) throw new Error("not a uuid");
    const c = await requireOwnCameo(context.services.pool, user.id, params.cameoId);
    return Response.json(
      { ok: true, status: c.status, stage: c.stage, progress: c.progress, reason: c.statusReason },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    if (err instanceof Error && err.message === "not a uuid")
      return Response.json(
        { ok: false, error: "No such cameo.", code: "cameo_not_found" },
        { status: 404 },
      );
    return cameoRefusal(err);
  }
}
