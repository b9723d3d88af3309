import type { ProbeResult } from "./ffprobe.server.ts";

/**
 * Judging an uploaded video by its content (never its name or declared type), shared by every
 * upload that takes a video: cameo recordings (shared/src/cameos/recording.ts) and new review
 * versions (shared/src/review/upload.server.ts). The container is sniffed from the first bytes,
 * then ffprobe and a full decode run with allow-lists, so ffmpeg never opens a playlist, a network
 * protocol or a demuxer we did not choose. Pure: the argument builders and the verdicts;
 * video-check.server.ts runs them.
 *
 * Refusal codes are `<prefix>_<reason>` (`recording_playlist`, `upload_truncated`, …): each caller
 * names its own prefix so its existing codes stay stable.
 */

/** Demuxers ffmpeg may use (MediaRecorder writes WebM in Chromium/Firefox, MP4 in Safari). */
export const ALLOWED_DEMUXERS = "matroska,webm,mov,mp4,m4a,3gp,3g2,mj2";
export const ALLOWED_VIDEO_CODECS = ["vp8", "vp9", "av1", "h264", "hevc"] as const;
export const ALLOWED_AUDIO_CODECS = ["opus", "vorbis", "aac", "pcm_s16le", "pcm_f32le"] as const;

export type VideoRefusal = { ok: false; code: string; reason: string };
export type Container = "webm" | "mp4";

export interface VideoLimits {
  maxBytes: number;
  minSide: number;
  maxSide: number;
  maxPixels: number;
  minSeconds: number;
  maxSeconds: number;
  maxFps: number;
}

const refuse = (code: string, reason: string): VideoRefusal => ({ ok: false, code, reason });

/** The container by its magic bytes: EBML (WebM/Matroska) or an ISO-BMFF `ftyp` box. */
export function sniffVideoContainer(head: Uint8Array, prefix: string): Container | VideoRefusal {
  if (
    head.length >= 4 &&
    head[0] === 0x1a &&
    head[1] === 0x45 &&
    head[2] === 0xdf &&
    head[3] === 0xa3
  )
    return "webm";
  if (head.length >= 12 && String.fromCharCode(...head.subarray(4, 8)) === "ftyp") return "mp4";
  const text = new TextDecoder("utf-8", { fatal: false }).decode(head.subarray(0, 64)).trimStart();
  if (text.startsWith("#EXTM3U") || /^\[playlist\]|^<\?xml|^<MPD|^ffconcat/i.test(text))
    return refuse(
      `${prefix}_playlist`,
      "This is a playlist, not a video. Record or upload the video itself.",
    );
  return refuse(`${prefix}_not_video`, "This file is not a WebM or MP4 video.");
}

/** Input options for every ffprobe/ffmpeg run on an upload: local file only, our demuxers only. */
export function safeInputArgs(container: Container): string[] {
  return [
    "-protocol_whitelist",
    "file",
    "-format_whitelist",
    ALLOWED_DEMUXERS,
    "-f",
    container === "webm" ? "matroska" : "mov",
  ];
}

/** A full decode of every stream to nothing, stopping at the first error (finds truncation). */
export function decodeCheckArgs(o: { input: string; container: Container }): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-xerror",
    "-err_detect",
    "explode",
    ...safeInputArgs(o.container),
    "-i",
    o.input,
    "-map",
    "0",
    "-nostats",
    "-progress",
    "pipe:1",
    "-f",
    "null",
    "-",
  ];
}

/**
 * The generic verdict on a probe: allowed container and codecs, one video track, pixel and frame
 * rate limits. Callers add their own rules (a cameo of a person needs sound) and wording.
 */
export function checkVideoProbe(
  p: ProbeResult,
  limits: VideoLimits,
  prefix: string,
): { ok: true; width: number; height: number } | VideoRefusal {
  const names = p.formatName.split(",");
  if (!names.some((n) => ALLOWED_DEMUXERS.split(",").includes(n)))
    return refuse(`${prefix}_container`, `Videos must be WebM or MP4, not ${p.formatName}.`);
  const v = p.video;
  if (!v) return refuse(`${prefix}_no_video`, "This file has no video track.");
  if (p.streams.filter((s) => s.type === "video").length > 1)
    return refuse(`${prefix}_streams`, "A video may have one video track only.");
  if (!(ALLOWED_VIDEO_CODECS as readonly string[]).includes(v.codec))
    return refuse(
      `${prefix}_codec`,
      `Video coded as ${v.codec} is not accepted; use VP8, VP9, AV1, H.264 or HEVC.`,
    );
  const a = p.audio;
  if (a && !(ALLOWED_AUDIO_CODECS as readonly string[]).includes(a.codec))
    return refuse(`${prefix}_codec`, `Audio coded as ${a.codec} is not accepted; use Opus or AAC.`);
  const w = v.width ?? 0;
  const h = v.height ?? 0;
  if (w > limits.maxSide || h > limits.maxSide || w * h > limits.maxPixels)
    return refuse(
      `${prefix}_too_large`,
      `The video is ${w}×${h}; the most accepted is ${limits.maxSide} pixels on a side and ${pixels(limits.maxPixels)} in area.`,
    );
  if (Math.min(w, h) < limits.minSide)
    return refuse(
      `${prefix}_too_small`,
      `The video is ${w}×${h}; it needs at least ${limits.minSide} pixels on the short side.`,
    );
  if (v.fps !== undefined && v.fps > limits.maxFps && v.fps < 1000)
    return refuse(
      `${prefix}_fps`,
      `The video runs at ${Math.round(v.fps)} fps; at most ${Math.floor(limits.maxFps)}.`,
    );
  return { ok: true, width: w, height: h };
}

const pixels = (n: number) =>
  n === 1920 * 1080 ? "1920×1080" : n === 3840 * 2160 ? "3840×2160" : `${n} pixels`;

/** The duration rule with plain wording; callers with their own wording write their own. */
export function checkVideoDuration(
  seconds: number,
  limits: VideoLimits,
  prefix: string,
): { ok: true } | VideoRefusal {
  if (seconds > limits.maxSeconds + 0.25)
    return refuse(
      `${prefix}_too_long`,
      `The video is ${seconds.toFixed(1)} s long; at most ${limits.maxSeconds} s is accepted.`,
    );
  if (seconds < limits.minSeconds - 0.25)
    return refuse(
      `${prefix}_too_short`,
      `The video is ${seconds.toFixed(1)} s long; it needs at least ${limits.minSeconds} s.`,
    );
  return { ok: true };
}
