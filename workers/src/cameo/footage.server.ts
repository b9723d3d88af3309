import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";

/**
 * Test footage of a real face with no camera and no network: the portrait in @vladmandic/human's
 * own assets (assets/screenshot-faceid.jpg — the library author's webcam still, as the package
 * ships it), cropped to the face and tilted in perspective with ffmpeg to fake head turns (left,
 * right, up), one pose per second, with a voiced buzz (120 Hz and harmonics) where speech should
 * be. Used by the worker tests, the e2e fake camera and the bench.
 */

const require = createRequire(import.meta.url);
export const SAMPLE_PORTRAIT = path.join(
  path.resolve(path.dirname(require.resolve("@vladmandic/human")), ".."),
  "assets",
  "screenshot-faceid.jpg",
);

export type Pose = "center" | "left" | "right" | "up";

/** The ffmpeg perspective filter that tilts the flat face like a head turn. */
export function poseFilter(p: Pose): string {
  switch (p) {
    case "left":
      return "perspective=x0=0:y0=0:x1=W*0.9:y1=H*0.3:x2=0:y2=H:x3=W*0.9:y3=H*0.7:sense=destination";
    case "right":
      return "perspective=x0=W*0.1:y0=H*0.3:x1=W:y1=0:x2=W*0.1:y2=H*0.7:x3=W:y3=H:sense=destination";
    case "up":
      return "perspective=x0=W*0.2:y0=H*0.3:x1=W*0.8:y1=H*0.3:x2=0:y2=H:x3=W:y3=H:sense=destination";
    default:
      return "null";
  }
}

/**
 * Builds a recording: `poses[i]` is shown during second i; speech sounds during the seconds in
 * `speech`. Output WebM (VP8 + Opus) or, for the browser's fake camera, Y4M + WAV.
 */
export async function buildFootage(o: {
  out: string;
  poses: Pose[];
  speech: number[];
  width?: number;
  height?: number;
  format?: "webm" | "y4m" | "mp4";
  audioOut?: string;
  /** Film the take off a screen instead (a replay attack): see `replayFilter`. */
  replay?: boolean;
}): Promise<void> {
  const W = o.width ?? 640;
  const H = o.height ?? 480;
  const seconds = o.poses.length;
  await mkdir(path.dirname(o.out), { recursive: true });
  const face = `crop=200:190:0:120,scale=320:304,${"%POSE%"},pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=0x404a55`;
  const parts = o.poses.map(
    (p, i) =>
      `[0:v]${face.replace("%POSE%", poseFilter(p))},fps=15,trim=duration=1,setpts=PTS-STARTPTS,format=yuv420p[v${i}]`,
  );
  const concat = `${o.poses.map((_, i) => `[v${i}]`).join("")}concat=n=${seconds}:v=1:a=0${o.replay ? `,${replayFilter(W, H)}` : ""}[v]`;
  const speak = o.speech.map((s) => `between(t,${s + 0.1},${s + 0.9})`).join("+") || "0";
  const audio = `aevalsrc='0.25*(sin(2*PI*120*t)+0.5*sin(4*PI*120*t)+0.25*sin(6*PI*120*t))*(${speak})+0.002*sin(2*PI*50*t)':s=48000:d=${seconds}`;
  const fmt = o.format ?? "webm";
  const video =
    fmt === "y4m"
      ? ["-map", "[v]", "-f", "yuv4mpegpipe", "-y", o.out]
      : fmt === "mp4"
        ? [
            "-map",
            "[v]",
            "-map",
            "1:a",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-y",
            o.out,
          ]
        : [
            "-map",
            "[v]",
            "-map",
            "1:a",
            "-c:v",
            "libvpx",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-b:v",
            "800k",
            "-c:a",
            "libopus",
            "-f",
            "webm",
            "-y",
            o.out,
          ];
  await runFfmpeg([
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-loop",
    "1",
    "-framerate",
    "15",
    "-t",
    String(seconds),
    "-i",
    SAMPLE_PORTRAIT,
    "-f",
    "lavfi",
    "-i",
    audio,
    "-filter_complex",
    `${parts.join(";")};${concat}`,
    ...video,
    ...(fmt === "y4m" && o.audioOut ? ["-map", "1:a", "-c:a", "pcm_s16le", "-y", o.audioOut] : []),
  ]);
}

/**
 * A recording re-filmed off a screen, as a replay attack held to the camera would look: the take
 * shrunk into a phone's or monitor's glass (a near-black bezel, the room around it), the screen's
 * pixel grid beating with the camera's (moiré: a fine slanted grating over the picture), the flat
 * low-contrast light of a backlit panel, and the judder of a 12 fps playback captured at 15 fps
 * (every fourth frame repeated).
 */
export function replayFilter(W: number, H: number): string {
  const sw = Math.round((W * 0.9) / 2) * 2;
  const sh = Math.round((H * 0.9) / 2) * 2;
  return [
    `scale=${sw}:${sh}`,
    "eq=contrast=0.7:brightness=0.05:saturation=0.75",
    "geq=lum='clip(lum(X,Y)*(0.92+0.08*sin(X*1.0+Y*0.25)),0,255)':cb='cb(X,Y)':cr='cr(X,Y)'",
    `pad=${sw + 24}:${sh + 24}:12:12:color=0x0a0a0c`,
    `pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=0x6b6258`,
    "fps=12",
    "fps=15",
    "format=yuv420p",
  ].join(",");
}

/** The poses and speech of someone following a liveness plan (baseline first, then each prompt). */
export function followPlan(plan: { prompts: { kind: "left" | "right" | "up" | "digits" }[] }): {
  poses: Pose[];
  speech: number[];
} {
  const poses: Pose[] = ["center"];
  const speech: number[] = [];
  plan.prompts.forEach((p, i) => {
    if (p.kind === "digits") {
      poses.push("center");
      speech.push(i + 1);
    } else poses.push(p.kind);
  });
  return { poses, speech };
}
