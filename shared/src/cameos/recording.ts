import type { ProbeResult } from "../media/ffprobe.server.ts";
import {
  type Container,
  checkVideoProbe,
  safeInputArgs,
  sniffVideoContainer,
  type VideoLimits,
  type VideoRefusal,
} from "../media/video-check.ts";

/**
 * What a cameo recording may be, decided by its content (never its name or declared type). The
 * checks themselves (magic bytes, ffprobe and a full decode with allow-lists) are the shared ones
 * of shared/src/media/video-check.ts; this module adds the cameo's limits and rules (a person
 * needs sound) and the analysis argument builders. recording.server.ts runs them.
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

export {
  ALLOWED_AUDIO_CODECS,
  ALLOWED_DEMUXERS,
  ALLOWED_VIDEO_CODECS,
  type Container,
  decodeCheckArgs,
  safeInputArgs,
} from "../media/video-check.ts";

export type RecordingRefusal = VideoRefusal;

/** The limits as the shared video checks take them, for one kind of cameo. */
export function recordingLimits(kind: RecordingKind): VideoLimits {
  const L = RECORDING_LIMITS;
  return {
    maxBytes: L.maxBytes,
    minSide: L.minSide,
    maxSide: L.maxSide,
    maxPixels: L.maxPixels,
    minSeconds: L.seconds[kind].min,
    maxSeconds: L.seconds[kind].max,
    maxFps: L.maxFps,
  };
}

/** The container by its magic bytes (shared/src/media/video-check.ts), with the cameo's codes. */
export const sniffContainer = (head: Uint8Array) => sniffVideoContainer(head, "recording");

const refuse = (code: string, reason: string): RecordingRefusal => ({ ok: false, code, reason });

/** The probe's verdict before decoding: codecs, sizes, the duration when the container knows it. */
export function checkProbe(
  p: ProbeResult,
  kind: RecordingKind,
): { ok: true; width: number; height: number } | RecordingRefusal {
  const generic = checkVideoProbe(p, recordingLimits(kind), "recording");
  const whatItIs = [
    "recording_container",
    "recording_no_video",
    "recording_streams",
    "recording_codec",
  ];
  if (!generic.ok && whatItIs.includes(generic.code)) return generic;
  if (kind === "person" && !p.audio)
    return refuse(
      "recording_no_audio",
      "A person's cameo needs sound: read the digits aloud with the microphone on.",
    );
  if (!generic.ok) {
    if (generic.code === "recording_too_small")
      return refuse(
        generic.code,
        `${generic.reason.split(";")[0]}; a face needs at least ${RECORDING_LIMITS.minSide} pixels on the short side.`,
      );
    return generic;
  }
  // MediaRecorder's WebM often has no duration in its header: then the decode measures it.
  if (p.durationSeconds > 0) {
    const d = checkDuration(p.durationSeconds, kind);
    if (!d.ok) return d;
  }
  return generic;
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
