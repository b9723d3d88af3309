import { mkdir } from "node:fs/promises";
import path from "node:path";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import {
  posterArgs,
  type StitchClip,
  spritesheetArgs,
  stitchArgs,
} from "@reelhouse/shared/media/ffmpeg-args";
import { type ProbeResult, probe } from "@reelhouse/shared/media/ffprobe.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";
import { exists } from "./render.ts";

/** Probes a rendered MP4 and refuses (permanently) one that is not a playable H.264 + AAC video. */
export async function probeStep(workflowId: string, videoPath: string): Promise<ProbeResult> {
  await setStage(workflowId, "probing");
  const result = await probe(videoPath, { signal: stepSignal() });
  const problems: string[] = [];
  if (!result.video) problems.push("no video stream");
  else if (result.video.codec !== "h264")
    problems.push(`video codec ${result.video.codec}, not h264`);
  if (!result.audio) problems.push("no audio stream");
  if (!(result.durationSeconds > 0)) problems.push("zero duration");
  if (problems.length > 0) {
    throw new GenerationError(
      "bad_output",
      `The backend produced an unusable video: ${problems.join(", ")}.`,
      false,
    );
  }
  return result;
}

/** `<outDir>/poster.jpg`: a frame a third of the way in, at the video's own width (max 720). */
export async function posterStep(
  workflowId: string,
  videoPath: string,
  probed: ProbeResult,
): Promise<string> {
  await setStage(workflowId, "poster");
  const { outDir } = jobDirs(workflowId);
  const output = path.join(outDir, "poster.jpg");
  if (await exists(output)) return output;
  await mkdir(outDir, { recursive: true });
  await ffmpegToFile(
    output,
    (tmp) =>
      posterArgs({
        input: videoPath,
        output: tmp,
        atSeconds: probed.durationSeconds / 3,
        width: Math.min(720, probed.video?.width ?? 720),
      }),
    { signal: stepSignal() },
  );
  return output;
}

export interface SpriteInfo {
  columns: number;
  rows: number;
  count: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
}

/** `<outDir>/sprite.jpg`: a 5×4 grid of 160-px-wide thumbnails sampled evenly over the video. */
export async function spriteStep(
  workflowId: string,
  videoPath: string,
  probed: ProbeResult,
): Promise<{ path: string; sprite: SpriteInfo }> {
  const { outDir } = jobDirs(workflowId);
  const output = path.join(outDir, "sprite.jpg");
  const columns = 5;
  const rows = 4;
  const tileWidth = 160;
  const w = probed.video?.width ?? 720;
  const h = probed.video?.height ?? 1280;
  // scale=W:-2 rounds the height to an even number.
  const tileHeight = Math.round((tileWidth * h) / w / 2) * 2;
  const sprite: SpriteInfo = {
    columns,
    rows,
    count: columns * rows,
    tileWidth,
    tileHeight,
    intervalSeconds: probed.durationSeconds / (columns * rows),
  };
  if (await exists(output)) return { path: output, sprite };
  await mkdir(outDir, { recursive: true });
  await ffmpegToFile(
    output,
    (tmp) =>
      spritesheetArgs({
        input: videoPath,
        output: tmp,
        durationSeconds: probed.durationSeconds,
        columns,
        rows,
        tileWidth,
      }),
    { signal: stepSignal() },
  );
  return { path: output, sprite };
}

/** Stitches the shots into `<outDir>/video.mp4` with each shot's transition and one audio track. */
export async function stitchStep(
  workflowId: string,
  clips: StitchClip[],
  size: { width: number; height: number; fps: number },
): Promise<string> {
  await setStage(workflowId, "stitching");
  const { outDir } = jobDirs(workflowId);
  const output = path.join(outDir, "video.mp4");
  if (await exists(output)) return output;
  await mkdir(outDir, { recursive: true });
  let total = 0;
  for (const [i, c] of clips.entries())
    total += c.durationSeconds - (i > 0 ? (c.transition?.durationSeconds ?? 0) : 0);
  const onProgress = progressWriter(workflowId, "stitching", 80, 92);
  await ffmpegToFile(output, (tmp) => stitchArgs({ clips, ...size, output: tmp }), {
    signal: stepSignal(),
    onProgress: (s) => onProgress(s / Math.max(total, 0.001)),
  });
  return output;
}
