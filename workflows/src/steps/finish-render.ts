import type { ProvidedThumbnails } from "@reelhouse/shared/generation/backend";
import { probeStep, spriteInfo, thumbnailsStep } from "./media.ts";
import { finishStep, type StoreDraftInput } from "./store.ts";
import { span } from "./timing.ts";

export interface FinishRenderInput
  extends Omit<StoreDraftInput, "posterPath" | "spritePath" | "sprite" | "probe"> {
  notify: boolean;
  /** The size and duration asked for: what the thumbnails are made for while the probe runs. */
  expected: { durationSeconds: number; width: number; height: number };
  /** The backend's own poster and spritesheet, if it drew them (RenderOutput.thumbnails). */
  provided?: ProvidedThumbnails;
}

export interface FinishRenderOutput {
  draftId: string;
  durationSeconds: number;
  width: number;
  height: number;
}

/**
 * Everything after a render, as ONE step (one checkpoint): the probe (a refusal of a bad video is
 * permanent) beside the thumbnails (the backend's moved into place, or one ffmpeg pass), then
 * `finishStep` (sign · store the draft, notify, job succeeded · remove the work dir). Every part
 * is idempotent — the probe only reads, the thumbnails appear by rename and a re-run moves what is
 * left, signed files are left alone, the draft is keyed by the workflow — so a worker killed
 * anywhere in it re-runs the whole step and stores one draft. Until the draft exists nothing
 * needs a checkpoint of its own: the render's (its video and metadata) is the one that matters.
 */
export async function finishRenderStep(d: FinishRenderInput): Promise<FinishRenderOutput> {
  const { expected, provided, notify, ...draft } = d;
  const [probed, thumbs] = await Promise.all([
    span("probe", () => probeStep(d.workflowId, d.videoPath)),
    span("thumbnails", () => thumbnailsStep(d.workflowId, d.videoPath, expected, provided)),
  ]);
  const width = probed.video?.width ?? expected.width;
  const height = probed.video?.height ?? expected.height;
  const draftId = await finishStep({
    ...draft,
    notify,
    posterPath: thumbs.posterPath,
    spritePath: thumbs.spritePath,
    sprite: spriteInfo(width, height, expected.durationSeconds),
    probe: probed,
  });
  return {
    draftId,
    durationSeconds: probed.durationSeconds,
    width: probed.video?.width ?? 0,
    height: probed.video?.height ?? 0,
  };
}
