import { editDocName } from "@reelhouse/shared/collab/docs";
import { LUT_MAX_BYTES } from "@reelhouse/shared/edit/lut";
import { MediaTooLargeError } from "@reelhouse/shared/media/storage.server";
import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { editRefusalResponse, editServiceFor } from "../utils/edit.server.ts";
import { MultipartError, parseMultipart } from "../utils/forms.server.ts";
import { collectUpload } from "../utils/generation.server.ts";
import type { Route } from "./+types/projects.$projectId.edits.$editId";

/**
 * One edit as JSON (GET: `{ edit, docName }` — the decision list, its sources with their files and
 * spritesheets, and the collab document of its timeline) and its mutations (POST `intent`):
 * `save` (`edl` as JSON), `render` (`requestId`, `edl`: a generation job of kind `edit`, polled and
 * cancelled through `/projects/:projectId/jobs`), `loop` (`edl`: the best loop point), `lut` (multipart `lut` file: a `.cube`, validated).
 */

function notHere() {
  return data({ ok: false as const, error: "No such edit.", code: "not_found" }, { status: 404 });
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const service = await editServiceFor(context);
  const edit = await service.getEdit(user.id, params.editId);
  if (!edit || edit.projectId !== params.projectId) return notHere();
  return Response.json(
    { edit, docName: editDocName(edit.projectId, edit.id) },
    { headers: { "Cache-Control": "no-store" } },
  );
}

function parseJson(raw: string | undefined): unknown {
  try {
    return JSON.parse(raw ?? "");
  } catch {
    return undefined;
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const service = await editServiceFor(context);
  const current = await service.getEdit(user.id, params.editId);
  if (!current || current.projectId !== params.projectId) return notHere();
  const type = request.headers.get("content-type") ?? "";
  try {
    if (type.toLowerCase().startsWith("multipart/form-data")) {
      const { fields, files } = await parseMultipart(request, {
        files: ["lut"],
        maxFileBytes: LUT_MAX_BYTES,
        onFile: (_f, stream) => collectUpload(stream, LUT_MAX_BYTES),
      });
      const lut = files.get("lut");
      if (fields.get("intent") !== "lut" || !lut) {
        return data(
          { ok: false as const, error: "Send a .cube file as `lut`.", code: "bad_form" },
          { status: 400 },
        );
      }
      return data(
        { ok: true as const, lut: await service.uploadLut(user.id, params.editId, lut) },
        { status: 201 },
      );
    }
    const form = await request.formData();
    const f = (k: string) => {
      const v = form.get(k);
      return typeof v === "string" ? v : undefined;
    };
    const edl = parseJson(f("edl"));
    switch (f("intent")) {
      case "save":
        return data({
          ok: true as const,
          edit: await service.saveEdl(user.id, params.editId, edl),
        });
      case "loop":
        return data({
          ok: true as const,
          loop: await service.findLoop(user.id, params.editId, edl),
        });
      case "render": {
        const r = await service.submitRender(user.id, params.editId, {
          requestId: f("requestId"),
          edl,
        });
        return data({ ok: true as const, ...r }, { status: r.duplicate ? 200 : 201 });
      }
      default:
        return data(
          { ok: false as const, error: "Unknown intent.", code: "bad_form" },
          { status: 400 },
        );
    }
  } catch (err) {
    if (err instanceof MediaTooLargeError) {
      return data(
        { ok: false as const, error: "The LUT is too large.", code: "too_large", field: "lut" },
        { status: 413 },
      );
    }
    if (err instanceof MultipartError) {
      return data(
        { ok: false as const, error: err.message, code: "bad_form" },
        { status: err.status },
      );
    }
    return editRefusalResponse(err);
  }
}
