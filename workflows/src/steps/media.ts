import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile, runFfmpeg, tempPathFor } from "@reelhouse/shared/media/ffmpeg.server";
import { type StitchClip, stitchArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { type ProbeResult, probe } from "@reelhouse/shared/media/ffprobe.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";
import { exists } from "./render.ts";
import { thumbnailsArgs } from "./thumbnail-args.ts";

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

export interface SpriteInfo {
  columns: number;
  rows: number;
  count: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
}

const SPRITE = { columns: 5, rows: 4, tileWidth: 160 } as const;

/** The spritesheet's layout for a video of this size, sampled over `durationSeconds`. */
export function spriteInfo(width: number, height: number, durationSeconds: number): SpriteInfo {
  const count = SPRITE.columns * SPRITE.rows;
  return {
    ...SPRITE,
    count,
    // scale=W:-2 rounds the height to an even number.
    tileHeight: Math.round((SPRITE.tileWidth * height) / width / 2) * 2,
    intervalSeconds: durationSeconds / count,
  };
}

/**
 * `<outDir>/poster.jpg` (a frame a third of the way in, at most 720 px wide) and `<outDir>/sprite.jpg`
 * (5×4 tiles of 160 px sampled over the video) from ONE ffmpeg decode. It runs beside the probe,
 * so it takes the duration the video should have. Both files are written under temporary names
 * and renamed into place; if both exist already (a re-run), nothing is done.
 */
export async function thumbnailsStep(
  workflowId: string,
  videoPath: string,
  expected: { durationSeconds: number; width: number },
): Promise<{ posterPath: string; spritePath: string }> {
  const { outDir, workDir } = jobDirs(workflowId);
  const posterPath = path.join(outDir, "poster.jpg");
  const spritePath = path.join(outDir, "sprite.jpg");
  if ((await exists(posterPath)) && (await exists(spritePath))) return { posterPath, spritePath };
  await mkdir(outDir, { recursive: true });
  // Partial files of a killed attempt stay in the work dir (removed with it), never in outDir.
  const scratch = path.join(workDir, "thumbnails");
  await mkdir(scratch, { recursive: true });
  const posterTmp = tempPathFor(path.join(scratch, "poster.jpg"));
  const spriteTmp = tempPathFor(path.join(scratch, "sprite.jpg"));
  try {
    await runFfmpeg(
      thumbnailsArgs({
        input: videoPath,
        posterOutput: posterTmp,
        spriteOutput: spriteTmp,
        durationSeconds: expected.durationSeconds,
        posterAt: expected.durationSeconds / 3,
        posterWidth: Math.min(720, expected.width),
        ...SPRITE,
      }),
      { signal: stepSignal() },
    );
    await rename(posterTmp, posterPath);
    await rename(spriteTmp, spritePath);
  } finally {
    await Promise.all([rm(posterTmp, { force: true }), rm(spriteTmp, { force: true })]);
  }
  return { posterPath, spritePath };
}

/** Stitches the shots into `<outDir>/video.mp4` with each shot's transition and one audio track. */
export async function stitchStep(
  workflowId: string,
  clips: StitchClip[],
  size: { width: number; height: number; fps: number },
): Promise<string> {
  await setStage(workflowId, "stitching");
  const { outDir, workDir } = jobDirs(workflowId);
  const output = path.join(outDir, "video.mp4");
  if (await exists(output)) return output;
  await mkdir(outDir, { recursive: true });
  const scratch = path.join(workDir, "stitch");
  await mkdir(scratch, { recursive: true });
  const stitched = path.join(scratch, "video.mp4");
  let total = 0;
  for (const [i, c] of clips.entries())
    total += c.durationSeconds - (i > 0 ? (c.transition?.durationSeconds ?? 0) : 0);
  const onProgress = progressWriter(workflowId, "stitching", 80, 92);
  await ffmpegToFile(stitched, (tmp) => stitchArgs({ clips, ...size, output: tmp }), {
    signal: stepSignal(),
    onProgress: (s) => onProgress(s / Math.max(total, 0.001)),
  });
  await rename(stitched, output);
  return output;
}
