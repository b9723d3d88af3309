import { editDocName } from "@reelhouse/shared/collab/docs";
import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { editRefusalResponse, editServiceFor } from "../utils/edit.server.ts";
import type { Route } from "./+types/projects.$projectId.edits";

/**
 * POST `draftIds` (one field per draft, or comma-separated, in order) and optional `title`: opens those drafts of the
 * project in a new edit. 201 `{ ok, edit, docName }`; refusals `{ ok: false, error, code, field }`
 * (404 for a draft or project the person cannot see, 403 for viewers).
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const form = await request.formData();
  const draftIds = form
    .getAll("draftIds")
    .flatMap((v) => (typeof v === "string" ? v.split(",") : []))
    .map((v) => v.trim())
    .filter(Boolean);
  const title = form.get("title");
  const service = await editServiceFor(context);
  try {
    const edit = await service.createEdit(user.id, {
      projectId: params.projectId,
      draftIds,
      title: typeof title === "string" ? title : "",
    });
    return data(
      { ok: true as const, edit, docName: editDocName(edit.projectId, edit.id) },
      { status: 201 },
    );
  } catch (err) {
    return editRefusalResponse(err);
  }
}
