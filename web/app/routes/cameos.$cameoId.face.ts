import { readFile } from "node:fs/promises";
import path from "node:path";
import { requireOwnCameo } from "@reelhouse/shared/cameos/cameos.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { requireUser } from "../utils/auth.server.ts";
import type { Route } from "./+types/cameos.$cameoId.face";

/**
 * `GET /cameos/:cameoId/face.png`: the face cutout of my ready cameo's likeness kit (the page's
 * thumbnail). Mine only, never cached publicly; anyone else's, or a cameo without a kit, is 404.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const none = () => new Response("No such cameo.", { status: 404 });
  if (!/^[0-9a-f-]{36}$/i.test(params.cameoId)) return none();
  try {
    const c = await requireOwnCameo(context.services.pool, user.id, params.cameoId);
    if (c.status !== "ready") return none();
    const png = await readFile(path.join(dataDir(), c.dir, "kit", "face.png"));
    return new Response(png, {
      headers: {
        "Content-Type": "image/png",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch {
    return none();
  }
}
