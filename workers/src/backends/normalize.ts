import { GenerationError } from "@reelhouse/shared/generation/backend";
import { type GenerationRequest, parseSize } from "@reelhouse/shared/generation/request";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { AUDIO_RATE, fmt, mp4OutputArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";

/**
 * A model's file → the product MP4 every backend returns (H.264 yuv420p + AAC, faststart, the
 * requested size at 30 fps and exactly the requested duration). Models answer in their own sizes
 * (ComfyUI's Wan renders 1280×704), frame rates (16, 24 fps), containers (WebM) and often without
 * sound: the picture is scaled to cover the frame and centre-cropped, the last frame held if the
 * clip is a little short, and silence added when there is no audio track.
 */

export interface NormalizeOptions {
  input: string;
  output: string;
  width: number;
  height: number;
  durationSeconds: number;
  hasAudio: boolean;
}

/** The ffmpeg argv (pure; ./normalize.test.ts checks it). */
export function normalizeClipArgs(o: NormalizeOptions): string[] {
  const d = fmt(o.durationSeconds);
  const video = `[0:v:0]scale=${o.width}:${o.height}:force_original_aspect_ratio=increase,crop=${o.width}:${o.height},setsar=1,fps=30,format=yuv420p,tpad=stop_mode=clone:stop_duration=${d}[v]`;
  const audio = o.hasAudio
    ? `[0:a:0]aresample=${AUDIO_RATE},aformat=channel_layouts=stereo,apad[a]`
    : `[1:a:0]anull[a]`;
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-y",
    "-i",
    o.input,
    ...(o.hasAudio ? [] : ["-f", "lavfi", "-i", `anullsrc=r=${AUDIO_RATE}:cl=stereo`]),
    "-filter_complex",
    `${video};${audio}`,
    "-map",
    "[v]",
    "-map",
    "[a]",
    "-t",
    d,
    ...mp4OutputArgs(),
    o.output,
  ];
}

/** The shortest a model's clip may be before it counts as a partial output, not a short one. */
export function minimumAcceptedSeconds(requested: number): number {
  return Math.max(1, requested * 0.75);
}

/**
 * Checks the downloaded file is a video of (nearly) the requested length and normalises it.
 * A file that is not a video, or much shorter than asked (a partial output), is a clear error.
 */
export async function normalizeClip(
  provider: string,
  input: string,
  output: string,
  request: GenerationRequest,
  signal: AbortSignal,
): Promise<{
  sourceSeconds: number;
  sourceWidth: number;
  sourceHeight: number;
  hadAudio: boolean;
}> {
  let probed: Awaited<ReturnType<typeof probe>>;
  try {
    probed = await probe(input, { signal });
  } catch {
    throw new GenerationError(
      "backend_output",
      `${provider} returned a file that is not a playable video.`,
      false,
    );
  }
  if (!probed.video)
    throw new GenerationError(
      "backend_output",
      `${provider} returned a file with no video.`,
      false,
    );
  const seconds = probed.durationSeconds || probed.video.durationSeconds;
  if (seconds < minimumAcceptedSeconds(request.durationSeconds))
    throw new GenerationError(
      "backend_partial_output",
      `${provider} returned ${seconds.toFixed(1)} s of the ${request.durationSeconds} s asked for (a partial output).`,
      false,
    );
  const { width, height } = parseSize(request.size);
  await ffmpegToFile(
    output,
    (tmp) =>
      normalizeClipArgs({
        input,
        output: tmp,
        width,
        height,
        durationSeconds: request.durationSeconds,
        hasAudio: Boolean(probed.audio),
      }),
    { signal },
  );
  return {
    sourceSeconds: seconds,
    sourceWidth: probed.video.width ?? 0,
    sourceHeight: probed.video.height ?? 0,
    hadAudio: Boolean(probed.audio),
  };
}
