import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

/**
 * ffprobe/ffmpeg checks of what the specs download (argument arrays, never a shell), and the
 * media files a data dir holds (to prove a refused or cancelled job wrote none).
 */

/** The frame at `seconds`, scaled by area with `scale` (e.g. "1:1"), as raw `pixFmt` bytes. */
function frameBytes(file: string, seconds: number, scale: string, pixFmt: string): Buffer {
  return execFileSync("ffmpeg", [
    "-v",
    "error",
    "-ss",
    String(seconds),
    "-i",
    file,
    "-frames:v",
    "1",
    "-vf",
    `scale=${scale}:flags=area`,
    "-f",
    "rawvideo",
    "-pix_fmt",
    pixFmt,
    "pipe:1",
  ]);
}

/** Mean RGB of the frame at `seconds`, scaled to one pixel by area. */
export function meanRgb(file: string, seconds: number): [number, number, number] {
  const raw = frameBytes(file, seconds, "1:1", "rgb24");
  return [raw[0]!, raw[1]!, raw[2]!];
}

/** The frame at `seconds` as 64×64 grey bytes. */
export function greyFrame(file: string, seconds: number): Buffer {
  return frameBytes(file, seconds, "64:64", "gray");
}

/** Mean absolute difference of two grey frames (0…255). */
export function frameDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - (b[i] ?? 0));
  return sum / a.length;
}

export function probe(file: string): { duration: number; fps: number; frames: number } {
  const out = JSON.parse(
    execFileSync(
      "ffprobe",
      [
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-count_frames",
        "-show_entries",
        "stream=r_frame_rate,nb_read_frames:format=duration",
        "-of",
        "json",
        file,
      ],
      { encoding: "utf8" },
    ),
  );
  const [n, d] = String(out.streams[0].r_frame_rate).split("/").map(Number);
  return {
    duration: Number(out.format.duration),
    fps: n! / (d || 1),
    frames: Number(out.streams[0].nb_read_frames),
  };
}

/** Every video, image or work file under `dir` (relative paths, sorted), the database left out. */
export function mediaFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!/^(pg|postgres|pgdata|run|db)/i.test(e.name)) walk(p);
      } else if (/\.(mp4|mov|webm|mkv|jpe?g|png|trf|tmp|part|m4a|wav)$/i.test(e.name)) {
        out.push(path.relative(dir, p));
      }
    }
  };
  walk(dir);
  return out.sort();
}
