import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { GenerationError, type ProvidedThumbnails } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile, runFfmpeg, tempPathFor } from "@reelhouse/shared/media/ffmpeg.server";
import { type StitchClip, stitchArgs } from "@reelhouse/shared/media/ffmpeg-args";
import type { ProbeResult } from "@reelhouse/shared/media/ffprobe.server";
import { jpegSize } from "@reelhouse/shared/media/images.server";
import { probeVideo } from "@reelhouse/shared/media/mp4-probe.server";
import {
  POSTER_AT_FRACTION,
  posterSize,
  SPRITE,
  spriteInfo,
  spriteSheetSize,
} from "@reelhouse/shared/media/thumbnails";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";
import { exists } from "./render.ts";
import { thumbnailsArgs } from "./thumbnail-args.ts";
import { span } from "./timing.ts";

/**
 * Probes a rendered MP4 and refuses (permanently) one that is not a playable H.264 + AAC video.
 * The MP4's own boxes are read in-process (shared/src/media/mp4-probe.ts: ffprobe's facts without
 * its 100-250 ms process start); anything that reader declines goes to ffprobe.
 */
export async function probeStep(workflowId: string, videoPath: string): Promise<ProbeResult> {
  // The stage is written while the file is read (a progress write needs no wait of its own).
  const [, result] = await Promise.all([
    span("setStage", () => setStage(workflowId, "probing")),
    span("probeVideo", () => probeVideo(videoPath, { signal: stepSignal() })),
  ]);
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

// The layout lives in shared (backends that draw their own thumbnails use it too).
export { type SpriteInfo, spriteInfo } from "@reelhouse/shared/media/thumbnails";

/**
 * `<outDir>/poster.jpg` (a frame a third of the way in, at most 720 px wide) and `<outDir>/sprite.jpg`
 * (5×4 tiles of 160 px sampled over the video). If the backend handed over its own (`provided`,
 * see GenerationResult.thumbnails) and they check out — inside the work dir, complete JPEGs, the
 * layout and pixel sizes `spriteInfo`/`posterSize` give for `expected` — they are renamed into
 * place. Otherwise ONE ffmpeg pass decodes the video and writes both; it runs beside the probe, so
 * it takes the size and duration the video should have. Files appear only by rename (no
 * half-written file is visible); if both exist already (a re-run), nothing is done, and a re-run
 * after a crash between the two renames finds the one moved file in place and moves the other.
 */
export async function thumbnailsStep(
  workflowId: string,
  videoPath: string,
  expected: { durationSeconds: number; width: number; height: number },
  provided?: ProvidedThumbnails,
): Promise<{ posterPath: string; spritePath: string }> {
  const { outDir, workDir } = jobDirs(workflowId);
  const posterPath = path.join(outDir, "poster.jpg");
  const spritePath = path.join(outDir, "sprite.jpg");
  if ((await exists(posterPath)) && (await exists(spritePath))) return { posterPath, spritePath };
  await mkdir(outDir, { recursive: true });
  if (
    provided &&
    (await span("adopt", () =>
      adoptThumbnails(provided, expected, workDir, { posterPath, spritePath }),
    ))
  )
    return { posterPath, spritePath };
  // Partial files of a killed attempt stay in the work dir (removed with it), never in outDir.
  const scratch = path.join(workDir, "thumbnails");
  await mkdir(scratch, { recursive: true });
  const posterTmp = tempPathFor(path.join(scratch, "poster.jpg"));
  const spriteTmp = tempPathFor(path.join(scratch, "sprite.jpg"));
  try {
    await span("ffmpeg", () =>
      runFfmpeg(
        thumbnailsArgs({
          input: videoPath,
          posterOutput: posterTmp,
          spriteOutput: spriteTmp,
          durationSeconds: expected.durationSeconds,
          posterAt: expected.durationSeconds * POSTER_AT_FRACTION,
          posterWidth: posterSize(expected.width, expected.height).width,
          ...SPRITE,
        }),
        { signal: stepSignal() },
      ),
    );
    await rename(posterTmp, posterPath);
    await rename(spriteTmp, spritePath);
  } finally {
    await Promise.all([rm(posterTmp, { force: true }), rm(spriteTmp, { force: true })]);
  }
  return { posterPath, spritePath };
}

/**
 * Moves a backend's thumbnails into place if they are what the ffmpeg pass would have made (same
 * layout, same pixel sizes, complete JPEGs in the job's work dir); false, touching nothing, if not.
 * Checks headers only (no decode): a few ms against the ffmpeg pass's full decode.
 */
async function adoptThumbnails(
  provided: ProvidedThumbnails,
  expected: { durationSeconds: number; width: number; height: number },
  workDir: string,
  dest: { posterPath: string; spritePath: string },
): Promise<boolean> {
  const want = spriteInfo(expected.width, expected.height, expected.durationSeconds);
  const sameLayout =
    provided.columns === want.columns &&
    provided.rows === want.rows &&
    provided.tileWidth === want.tileWidth &&
    provided.tileHeight === want.tileHeight;
  if (!sameLayout) return false;
  const files = [
    {
      from: provided.posterPath,
      to: dest.posterPath,
      size: posterSize(expected.width, expected.height),
    },
    { from: provided.spritePath, to: dest.spritePath, size: spriteSheetSize(want) },
  ];
  const inWorkDir = (p: unknown) =>
    typeof p === "string" && path.isAbsolute(p) && !path.relative(workDir, p).startsWith("..");
  if (!files.every((f) => inWorkDir(f.from))) return false;
  // A previous attempt may have moved one of them before it died: check the one in place.
  const sources = await Promise.all(files.map(async (f) => ((await exists(f.to)) ? f.to : f.from)));
  const sizes = await Promise.all(sources.map((s) => jpegSize(s)));
  const fits = files.every(
    (f, i) => sizes[i]?.width === f.size.width && sizes[i]?.height === f.size.height,
  );
  if (!fits) return false;
  for (const [i, f] of files.entries()) if (sources[i] !== f.to) await rename(f.from, f.to);
  return true;
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
