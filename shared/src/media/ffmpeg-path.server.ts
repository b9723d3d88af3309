import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function onPath(name: string): string | undefined {
  const res = spawnSync(name, ["-version"], { stdio: "ignore" });
  return res.status === 0 ? name : undefined;
}

let ffmpeg: string | undefined;
let ffprobe: string | undefined;

/** FFMPEG_PATH, else `ffmpeg` on PATH, else the binary shipped by @ffmpeg-installer. */
export function ffmpegPath(): string {
  ffmpeg ??=
    process.env.FFMPEG_PATH ||
    onPath("ffmpeg") ||
    (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  return ffmpeg;
}

/** FFPROBE_PATH, else `ffprobe` on PATH, else the binary shipped by @ffprobe-installer. */
export function ffprobePath(): string {
  ffprobe ??=
    process.env.FFPROBE_PATH ||
    onPath("ffprobe") ||
    (require("@ffprobe-installer/ffprobe") as { path: string }).path;
  return ffprobe;
}
