import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import path from "node:path";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { playbackTranscodeArgs, transcodePlan } from "@reelhouse/shared/media/transcode-args";
import { safeInputArgs } from "@reelhouse/shared/media/video-check";
import { dataDir } from "@reelhouse/shared/paths.server";
import type { ReviewUploadInput } from "@reelhouse/shared/review/upload";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";

/**
 * The `reviewUpload` workflow's transcode step: the judged upload (kept as the version's
 * original) → `outDir/video.mp4` in the playback format (shared/src/media/transcode-args.ts:
 * stream copy when it already is H.264 + AAC, else one encode). ffmpeg writes a temporary name in
 * the work dir, renamed into place when complete, so a killed worker leaves no half file and its
 * recovery starts the encode again; a re-run that finds the video in place reuses it.
 */
export async function transcodeUploadStep(
  input: ReviewUploadInput,
): Promise<{ videoPath: string }> {
  const { outDir, workDir } = jobDirs(input.workflowId);
  const videoPath = path.join(outDir, "video.mp4");
  await setStage(input.workflowId, "transcoding");
  if (existsSync(videoPath)) return { videoPath };
  const source = path.join(dataDir(), input.sourcePath);
  if (!existsSync(source))
    throw new GenerationError("source_missing", "The uploaded file is missing.", false);
  const inputArgs = safeInputArgs(input.container);
  const probed = await probe(source, { inputArgs, signal: stepSignal() });
  const plan = transcodePlan(probed, input.container);
  const scratch = path.join(workDir, "transcode");
  await mkdir(scratch, { recursive: true });
  await mkdir(outDir, { recursive: true });
  const encoded = path.join(scratch, "video.mp4");
  const onProgress = progressWriter(input.workflowId, "transcoding", 5, 80);
  const total = Math.max(probed.durationSeconds, 0.001);
  await ffmpegToFile(
    encoded,
    (tmp) =>
      playbackTranscodeArgs({ input: source, container: input.container, output: tmp, plan }),
    { signal: stepSignal(), onProgress: (s) => onProgress(s / total) },
  );
  await rename(encoded, videoPath);
  return { videoPath };
}
