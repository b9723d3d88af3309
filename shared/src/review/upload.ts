import { z } from "zod";
import { requestIdSchema } from "../generation/jobs.ts";
import type { VideoLimits } from "../media/video-check.ts";

/**
 * The contract of a review upload (a video file sent as the next version of a stack), shared by
 * the web tier, which judges the file and enqueues the `reviewUpload` workflow by name, and the
 * worker, which runs it. Pure.
 */

/** What an uploaded version may be. Larger than a cameo: a finished cut, up to 4K and 10 minutes. */
export const UPLOAD_LIMITS: VideoLimits = {
  maxBytes: 500 * 1024 * 1024,
  minSide: 64,
  maxSide: 3840,
  maxPixels: 3840 * 2160,
  minSeconds: 0.5,
  maxSeconds: 600,
  maxFps: 61,
};

/** One upload per press of Upload: `upload:<version it was uploaded to>:<request id>`. */
export function uploadWorkflowId(stackDraftId: string, requestId: string): string {
  return `upload:${stackDraftId}:${requestId}`;
}

export const reviewUploadInputSchema = z.object({
  workflowId: z.string().min(1),
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
  /** The version the file was uploaded to: the new draft stacks on its item. */
  stackDraftId: z.string().uuid(),
  /** The judged upload, relative to DATA_DIR (kept: it is the original of the version). */
  sourcePath: z.string().min(1),
  container: z.enum(["webm", "mp4"]),
  fileName: z.string().max(200),
});
export type ReviewUploadInput = z.infer<typeof reviewUploadInputSchema>;

/** What the stored draft carries in `drafts.metadata.upload` (stack-key.ts reads stackDraftId). */
export interface UploadDraftMetadata {
  stackDraftId: string;
  fileName: string;
  originalPath: string;
}

/** A file name as the person sent it, made safe to show and store (no path, no control chars). */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).at(-1) ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return clean.slice(0, 200) || "video";
}

export { requestIdSchema };
