import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { editRefusalResponse, editServiceFor } from "../utils/edit.server.ts";
import type { Route } from "./+types/projects.$projectId.drafts.$draftId.extend";

/**
 * POST `requestId` and `seconds` (form fields or a JSON body): continue this previz draft by
 * `seconds` into a new draft stacked on it (shared/src/edit/README.md, "Extend"). 202
 * `{ ok, workflowId, duplicate, durationSeconds }` — a generation job polled and cancelled through
 * `/projects/:projectId/jobs`; refusals `{ ok: false, error, code, field }`: 404 `not_found` (a
 * draft or project the person cannot see), 403 `forbidden` (viewers), 400 `invalid_seconds`,
 * `invalid_request`, `extend_unsupported` (not a previz clip).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  let body: { requestId: unknown; seconds: unknown };
  if (type.startsWith("application/json")) {
    const parsed = (await request.json().catch(() => null)) as Record<string, unknown> | null;
    body = { requestId: parsed?.requestId, seconds: parsed?.seconds };
  } else {
    const form = await request.formData();
    body = {
      requestId: form.get("requestId") ?? undefined,
      seconds: form.get("seconds") ?? undefined,
    };
  }
  const service = await editServiceFor(context);
  try {
    const job = await service.submitExtend(user.id, params.projectId, params.draftId, body);
    return data({ ok: true as const, ...job }, { status: 202 });
  } catch (err) {
    return editRefusalResponse(err);
  }
}
