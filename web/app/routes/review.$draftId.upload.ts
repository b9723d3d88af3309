import { rm } from "node:fs/promises";
import { cleanFileName, UPLOAD_LIMITS } from "@reelhouse/shared/review/upload";
import { UploadRefusal } from "@reelhouse/shared/review/upload.server";
import { requireUser } from "../utils/auth.server.ts";
import { parseMultipart } from "../utils/forms.server.ts";
import {
  incomingPath,
  reviewUploadServiceFor,
  streamToFile,
  uploadRefusal,
} from "../utils/review-upload.server.ts";
import type { Route } from "./+types/review.$draftId.upload";

/**
 * Uploading a video file as the next version of the stack `:draftId` belongs to (docs/api.md).
 * - `POST /review/:draftId/upload` (multipart: `csrf` first, `requestId` (8-64 of A-Z a-z 0-9 _ -,
 *   one per upload: a retry with the same id makes no second version), then the file `video`,
 *   WebM or MP4 at most 500 MB) → `{ ok: true, workflowId, duplicate }`, or
 *   `{ ok: false, error, code }`: 404 for a version you cannot see, 403 for viewers and
 *   commenters (both before the body is read), 400/413 for a file refused by content. A refusal
 *   stores nothing.
 * - `GET /review/:draftId/upload?job=<workflowId>` → `{ status, stage, progress, draftId, error }`
 *   (polled by the page's progress bar while the worker transcodes).
 */

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const job = new URL(request.url).searchParams.get("job") ?? "";
  try {
    const service = await reviewUploadServiceFor(context);
    return Response.json(await service.status(user.id, job), {
      headers: { "Cache-Control": "no-store" },
    });
  } catch (err) {
    return uploadRefusal(err);
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const tmp: string[] = [];
  try {
    const service = await reviewUploadServiceFor(context);
    // Refuse people who may not upload before a byte of the file is read.
    await service.authorize(user.id, params.draftId);
    const { fields, files } = await parseMultipart(request, {
      files: ["video"],
      maxFileBytes: UPLOAD_LIMITS.maxBytes,
      onFile: async (_field, stream) => {
        const file = await incomingPath();
        tmp.push(file);
        await streamToFile(stream, file, UPLOAD_LIMITS.maxBytes);
        return file;
      },
    });
    const file = files.get("video");
    if (!file) throw new UploadRefusal("upload_missing", "Choose a video file to upload.", 400);
    const fileName = cleanFileName(fields.get("fileName") ?? fields.get("name"));
    const result = await service.submit(user.id, params.draftId, {
      file,
      fileName,
      requestId: fields.get("requestId"),
    });
    return Response.json({ ok: true, ...result });
  } catch (err) {
    return uploadRefusal(err);
  } finally {
    // The accepted file was moved away; anything left here is a refused or broken upload.
    await Promise.all(tmp.map((f) => rm(f, { force: true })));
  }
}
