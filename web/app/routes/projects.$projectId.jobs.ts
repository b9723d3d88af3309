import { env } from "@reelhouse/shared/env.server";
import { deleteDraft, renameDraft } from "@reelhouse/shared/generation/drafts.server";
import { GenerationRefusal } from "@reelhouse/shared/generation/service.server";
import { MediaTooLargeError } from "@reelhouse/shared/media/storage.server";
import { data } from "react-router";
import type { Refusal } from "../components/generation/types.ts";
import { requireUser } from "../utils/auth.server.ts";
import { MultipartError, parseMultipart } from "../utils/forms.server.ts";
import {
  availableBackends,
  collectUpload,
  generationServiceFor,
  jobsJson,
  refusalResponse,
} from "../utils/generation.server.ts";
import type { Route } from "./+types/projects.$projectId.jobs";

/**
 * The project's generation jobs as JSON (polled by the jobs panel while a job is active), and the
 * mutations: `intent=generate` (one clip, optional image upload), `intent=sequence` (the storyboard),
 * `intent=cancel`, `intent=rename-draft` (`draftId`, `title`), `intent=delete-draft` (`draftId`: the
 * draft, its job, media rows and files; see shared/src/generation/drafts.server.ts). Refusals answer `{ ok: false, error, code, field }` with their status.
 */

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const service = await generationServiceFor(context);
  try {
    const jobs = await service.listJobs(user.id, params.projectId, { limit: 100 });
    return Response.json(
      {
        jobs: await jobsJson(context.services.pool, jobs),
        // After listJobs: it checked the person may see the project.
        ...(await availableBackends(context.services.pool, params.projectId)),
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    return refusalResponse(err);
  }
}

function refuse(status: number, code: string, error: string, field?: string) {
  return data<Refusal>({ ok: false, error, code, ...(field ? { field } : {}) }, { status });
}

/** A number field: empty → undefined (the schema's default), else Number (the schema refuses NaN). */
function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  return Number(v);
}

class EmptyImageError extends Error {}

async function readForm(request: Request): Promise<{
  fields: Map<string, string>;
  image?: Uint8Array;
}> {
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    const max = env().MAX_UPLOAD_BYTES;
    const { fields, files } = await parseMultipart(request, {
      files: ["image"],
      maxFileBytes: max,
      onFile: (_field, stream) => collectUpload(stream, max),
    });
    const image = files.get("image");
    // A file input left empty sends no filename and is skipped by parseMultipart; a chosen file
    // with no bytes is a broken upload, not "no image" (issue 16 B8).
    if (image && image.byteLength === 0) throw new EmptyImageError();
    return { fields, ...(image ? { image } : {}) };
  }
  const form = await request.formData();
  const fields = new Map<string, string>();
  for (const [k, v] of form) if (typeof v === "string" && !fields.has(k)) fields.set(k, v);
  return { fields };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  let form: Awaited<ReturnType<typeof readForm>>;
  try {
    form = await readForm(request);
  } catch (err) {
    if (err instanceof MediaTooLargeError)
      return refuse(
        413,
        "image_too_large",
        `The image is too large: the limit is ${Math.round(err.maxBytes / 1048576)} MB.`,
        "image",
      );
    if (err instanceof MultipartError) return refuse(err.status, "bad_form", err.message);
    if (err instanceof EmptyImageError)
      return refuse(
        400,
        "image_empty",
        "The image file is empty (0 bytes). Choose the picture again, or remove it.",
        "image",
      );
    throw err;
  }
  const f = (k: string) => form.fields.get(k);
  const service = await generationServiceFor(context);
  const pool = context.services.pool;
  try {
    switch (f("intent")) {
      case "generate": {
        const result = await service.submitGeneration(user.id, {
          projectId: params.projectId,
          requestId: f("requestId") ?? "",
          ...(f("backend") ? { backend: f("backend") } : {}),
          ...(f("shotId") ? { shotId: f("shotId") } : {}),
          request: {
            prompt: {
              text: f("prompt") ?? "",
              ...(f("camera") ? { sections: { camera: f("camera") } } : {}),
            },
            durationSeconds: num(f("durationSeconds")),
            size: f("size") || undefined,
            seed: num(f("seed")),
          },
          ...(form.image ? { image: form.image } : {}),
        });
        const [job] = await jobsJson(pool, [result.job]);
        return data(
          { ok: true as const, job: job!, duplicate: result.duplicate },
          { status: result.duplicate ? 200 : 201 },
        );
      }
      case "sequence": {
        let shots: unknown;
        try {
          shots = JSON.parse(f("shots") ?? "");
        } catch {
          return refuse(
            400,
            "invalid_request",
            "The storyboard's shots are not valid JSON.",
            "shots",
          );
        }
        const result = await service.submitSequence(user.id, {
          projectId: params.projectId,
          requestId: f("requestId") ?? "",
          ...(f("backend") ? { backend: f("backend") } : {}),
          shots,
        });
        const [job] = await jobsJson(pool, [result.job]);
        return data(
          { ok: true as const, job: job!, duplicate: result.duplicate },
          { status: result.duplicate ? 200 : 201 },
        );
      }
      case "cancel": {
        const workflowId = f("workflowId") ?? "";
        // A job of another project is "no such job" here, whatever the person's role there.
        const found = await service.getJob(user.id, workflowId);
        if (!found || found.projectId !== params.projectId)
          return refuse(404, "not_found", "No such job.");
        const [job] = await jobsJson(pool, [await service.cancelJob(user.id, workflowId)]);
        return data({ ok: true as const, job: job! });
      }
      case "rename-draft": {
        const r = await renameDraft(pool, user.id, {
          projectId: params.projectId,
          draftId: f("draftId") ?? "",
          title: f("title") ?? "",
        });
        return data({ ok: true as const, title: r.title });
      }
      case "delete-draft": {
        const r = await deleteDraft(pool, user.id, {
          projectId: params.projectId,
          draftId: f("draftId") ?? "",
        });
        return data({ ok: true as const, files: r.files.length });
      }
      default:
        return refuse(400, "unknown_intent", `Unknown action “${f("intent") ?? ""}”.`);
    }
  } catch (err) {
    return refusalResponse(nameTheShot(err));
  }
}

/** A sequence refusal about one shot says which (the storyboard numbers shots from 1). */
function nameTheShot(err: unknown): unknown {
  if (!(err instanceof GenerationRefusal)) return err;
  const m = /^shots\.(\d+)\./.exec(err.field ?? "");
  if (!m || err.message.startsWith("Shot ")) return err;
  return new GenerationRefusal(
    err.code,
    `Shot ${Number(m[1]) + 1}: ${err.message}`,
    err.status,
    err.field,
  );
}
