import { requireUser } from "../utils/auth.server.ts";
import { editRefusalResponse, editServiceFor } from "../utils/edit.server.ts";
import type { Route } from "./+types/projects.$projectId.edits.$editId.export.$format";

/** GET the edit as `csv` or `edl` (CMX3600), as a download. Any member of the project may export. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const service = await editServiceFor(context);
  const edit = await service.getEdit(user.id, params.editId);
  if (!edit || edit.projectId !== params.projectId) {
    return Response.json({ ok: false, error: "No such edit.", code: "not_found" }, { status: 404 });
  }
  try {
    const file = await service.exportEdit(user.id, params.editId, params.format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (err) {
    return editRefusalResponse(err);
  }
}
