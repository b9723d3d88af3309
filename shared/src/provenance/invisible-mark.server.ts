import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { runFfmpeg } from "../media/ffmpeg.server.ts";
import { decodeGrayFramesArgs } from "../media/ffmpeg-args.ts";
import { DETECT_SIZE, type Detection, detect, patternFrame } from "./invisible-mark.ts";

/**
 * ffmpeg glue of the invisible mark: the pattern file an encode blends in (publish-args.ts
 * `mark`), and detection in a file (frames sampled at `fps`, averaged at the canonical size).
 */
export async function writePattern(
  file: string,
  payload: number,
  width: number,
  height: number,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.part-${process.pid}`;
  await writeFile(tmp, patternFrame(payload, width, height));
  await rename(tmp, file);
}

/** Averages the luma of a video's frames (or an image's one frame) at DETECT_SIZE². */
export async function averageLuma(
  file: string,
  o: { fps?: number; signal?: AbortSignal } = {},
): Promise<Float32Array> {
  const size = DETECT_SIZE;
  const { stdout } = await runFfmpeg(
    decodeGrayFramesArgs({ input: file, width: size, height: size, fps: o.fps ?? 6 }),
    { captureStdout: true, signal: o.signal },
  );
  const px = size * size;
  const frames = Math.floor(stdout.length / px);
  if (frames < 1) throw new Error("no picture decoded");
  const avg = new Float32Array(px);
  for (let f = 0; f < frames; f++)
    for (let i = 0; i < px; i++) avg[i] = (avg[i] as number) + (stdout[f * px + i] as number);
  for (let i = 0; i < px; i++) avg[i] = (avg[i] as number) / frames;
  return avg;
}

export async function detectInFile(
  file: string,
  o: { fps?: number; signal?: AbortSignal } = {},
): Promise<Detection> {
  return detect(await averageLuma(file, o), DETECT_SIZE, DETECT_SIZE);
}
