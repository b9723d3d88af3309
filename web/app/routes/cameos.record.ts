import type { CameoKind } from "@reelhouse/shared/cameos/cameos.server";
import { CameoError } from "@reelhouse/shared/cameos/errors";
import { issuePlan } from "@reelhouse/shared/cameos/service.server";
import { requireUser } from "../utils/auth.server.ts";
import {
  cameoRefusal,
  cameoServiceFor,
  MAX_RECORDING_BYTES,
  readRecording,
} from "../utils/cameos.server.ts";
import { parseMultipart } from "../utils/forms.server.ts";
import type { Route } from "./+types/cameos.record";

/**
 * The recorder's HTTP interface.
 * - `GET /cameos/record` → `{ plan, token, maxBytes }`: four liveness prompts in a fresh random
 *   order, signed; the page shows them while recording and sends `token` back with the upload.
 * - `POST /cameos/record` (multipart, `csrf` first): `consent=yes`, then either `kind` (person /
 *   pet / object) and, for a pet or object, `name` — or `cameoId` to retake one's own cameo;
 *   `planToken` for a person; the file `recording` last (WebM or MP4, at most 40 MB, counted while
 *   it streams). Answers `{ ok: true, cameo }` (processing has been queued) or
 *   `{ ok: false, error, code }` with its status; a refusal stores nothing.
 */

export function loader({ request, context }: Route.LoaderArgs) {
  requireUser({ request, context });
  const { plan, token } = issuePlan(context.services.authSecret);
  return Response.json(
    { plan, token, maxBytes: MAX_RECORDING_BYTES },
    { headers: { "Cache-Control": "no-store" } },
  );
}

const KINDS: CameoKind[] = ["person", "pet", "object"];

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  try {
    const { fields, files } = await parseMultipart(request, {
      files: ["recording"],
      maxFileBytes: MAX_RECORDING_BYTES,
      onFile: (_field, stream) => readRecording(stream, MAX_RECORDING_BYTES),
    });
    if (fields.get("consent") !== "yes")
      throw new CameoError(
        "consent_missing",
        "Tick the consent box: a cameo is made only with the agreement of the person (or owner) recorded.",
        400,
      );
    const bytes = files.get("recording");
    if (!bytes || bytes.length === 0)
      throw new CameoError("recording_missing", "No recording was sent; record again.", 400);
    const cameoId = fields.get("cameoId") ?? "";
    const kind = fields.get("kind") ?? "";
    let target: { cameoId: string } | { kind: CameoKind; name?: string };
    if (cameoId) {
      if (!/^[0-9a-f-]{36}$/i.test(cameoId))
        throw new CameoError("cameo_not_found", "No such cameo.", 404);
      target = { cameoId };
    } else if ((KINDS as string[]).includes(kind)) {
      target = { kind: kind as CameoKind, name: fields.get("name") ?? undefined };
    } else {
      throw new CameoError("invalid", "Choose what this cameo is: you, a pet or an object.", 400);
    }
    const service = await cameoServiceFor(context);
    const { cameo } = await service.submit(user.id, target, bytes, fields.get("planToken") ?? null);
    return Response.json({ ok: true, cameo: { id: cameo.id, name: cameo.name, kind: cameo.kind } });
  } catch (err) {
    return cameoRefusal(err);
  }
}
