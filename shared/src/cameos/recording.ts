import type { ProbeResult } from "../media/ffprobe.server.ts";

/**
 * What a cameo recording may be, decided by its content (never its name or declared type): the
 * container sniffed from its first bytes, then ffprobe and a full decode run with allow-lists so
 * ffmpeg never opens a playlist, a network protocol or a demuxer we did not choose. Pure: the
 * argument builders and the verdict; recording.server.ts runs them.
 */

export type RecordingKind = "person" | "pet" | "object";

export const RECORDING_LIMITS = {
  maxBytes: 40 * 1024 * 1024,
  minSide: 240,
  maxSide: 1920,
  maxPixels: 1920 * 1080,
  /** A person records about 5 s; pets and objects 3-10 s. */
  seconds: { person: { min: 3, max: 12 }, pet: { min: 3, max: 10 }, object: { min: 3, max: 10 } },
  maxFps: 61,
} as const;

/** Demuxers ffmpeg may use (MediaRecorder writes WebM in Chromium/Firefox, MP4 in Safari). */
export const ALLOWED_DEMUXERS = "matroska,webm,mov,mp4,m4a,3gp,3g2,mj2";
export const ALLOWED_VIDEO_CODECS = ["vp8", "vp9", "av1", "h264", "hevc"] as const;
export const ALLOWED_AUDIO_CODECS = ["opus", "vorbis", "aac", "pcm_s16le", "pcm_f32le"] as const;

export type RecordingRefusal = { ok: false; code: string; reason: string };
export type Container = "webm" | "mp4";

/** The container by its magic bytes: EBML (WebM/Matroska) or an ISO-BMFF `ftyp` box. */
export function sniffContainer(head: Uint8Array): Container | RecordingRefusal {
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
    return {
      ok: false,
      code: "recording_playlist",
      reason: "This is a playlist, not a video. Record or upload the video itself.",
    };
  return {
    ok: false,
    code: "recording_not_video",
    reason: "This file is not a WebM or MP4 video.",
  };
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

const refuse = (code: string, reason: string): RecordingRefusal => ({ ok: false, code, reason });

/** The probe's verdict before decoding: codecs, sizes, the duration when the container knows it. */
export function checkProbe(
  p: ProbeResult,
  kind: RecordingKind,
): { ok: true; width: number; height: number } | RecordingRefusal {
  const L = RECORDING_LIMITS;
  const names = p.formatName.split(",");
  if (!names.some((n) => ALLOWED_DEMUXERS.split(",").includes(n)))
    return refuse("recording_container", `Videos must be WebM or MP4, not ${p.formatName}.`);
  const v = p.video;
  if (!v) return refuse("recording_no_video", "This file has no video track.");
  if (p.streams.filter((s) => s.type === "video").length > 1)
    return refuse("recording_streams", "A recording has one video track.");
  if (!(ALLOWED_VIDEO_CODECS as readonly string[]).includes(v.codec))
    return refuse(
      "recording_codec",
      `Video coded as ${v.codec} is not accepted; use VP8, VP9, AV1 or H.264.`,
    );
  const a = p.audio;
  if (a && !(ALLOWED_AUDIO_CODECS as readonly string[]).includes(a.codec))
    return refuse("recording_codec", `Audio coded as ${a.codec} is not accepted; use Opus or AAC.`);
  if (kind === "person" && !a)
    return refuse(
      "recording_no_audio",
      "A person's cameo needs sound: read the digits aloud with the microphone on.",
    );
  const w = v.width ?? 0;
  const h = v.height ?? 0;
  if (w > L.maxSide || h > L.maxSide || w * h > L.maxPixels)
    return refuse(
      "recording_too_large",
      `The video is ${w}×${h}; the most a recording may be is ${L.maxSide} pixels on a side and 1920×1080 in area.`,
    );
  if (Math.min(w, h) < L.minSide)
    return refuse(
      "recording_too_small",
      `The video is ${w}×${h}; a face needs at least ${L.minSide} pixels on the short side.`,
    );
  if (v.fps !== undefined && v.fps > L.maxFps && v.fps < 1000)
    return refuse("recording_fps", `The video runs at ${Math.round(v.fps)} fps; at most 60.`);
  // MediaRecorder's WebM often has no duration in its header: then the decode measures it.
  if (p.durationSeconds > 0) {
    const d = checkDuration(p.durationSeconds, kind);
    if (!d.ok) return d;
  }
  return { ok: true, width: w, height: h };
}

export function checkDuration(
  seconds: number,
  kind: RecordingKind,
): { ok: true } | RecordingRefusal {
  const { min, max } = RECORDING_LIMITS.seconds[kind];
  if (seconds > max + 0.25)
    return refuse(
      "recording_too_long",
      `The recording is ${seconds.toFixed(1)} s long; ${kind === "person" ? "about 5 s is enough" : `keep it to ${max} s`} (at most ${max} s).`,
    );
  if (seconds < min - 0.25)
    return refuse(
      "recording_too_short",
      `The recording is ${seconds.toFixed(1)} s long; it needs at least ${min} s.`,
    );
  return { ok: true };
}

/** Frames for the face model: `fps` a second, scaled to width×height, raw RGB on stdout. */
export function sampleFramesArgs(o: {
  input: string;
  container: Container;
  fps: number;
  width: number;
  height: number;
}): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    ...safeInputArgs(o.container),
    "-i",
    o.input,
    "-map",
    "0:v:0",
    "-vf",
    `fps=${o.fps},scale=${o.width}:${o.height}:flags=bicubic,format=rgb24`,
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}

/** The first audio stream as mono float32 PCM at `sampleRate` on stdout. */
export function samplePcmArgs(o: {
  input: string;
  container: Container;
  sampleRate: number;
}): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    ...safeInputArgs(o.container),
    "-i",
    o.input,
    "-map",
    "0:a:0",
    "-ac",
    "1",
    "-ar",
    String(o.sampleRate),
    "-c:a",
    "pcm_f32le",
    "-f",
    "f32le",
    "pipe:1",
  ];
}

/** The analysis size: `width` wide (even), keeping the recording's aspect. */
export function analysisSize(w: number, h: number, width = 480): { width: number; height: number } {
  const scale = Math.min(1, width / w);
  const even = (x: number) => Math.max(2, Math.round((x * scale) / 2) * 2);
  return { width: even(w), height: even(h) };
}
