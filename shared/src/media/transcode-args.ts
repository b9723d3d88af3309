import {
  AUDIO_BITRATE,
  AUDIO_RATE,
  defaultH264,
  type H264Settings,
  h264EncodeArgs,
} from "./ffmpeg-args.ts";
import type { ProbeResult } from "./ffprobe.server.ts";
import { type Container, safeInputArgs } from "./video-check.ts";

/**
 * Turning an uploaded video (already judged by video-check) into the product's playback format:
 * an MP4 with H.264 High yuv420p video at a constant frame rate, at most 1920 px on a side, AAC
 * 48 kHz audio (a silent track when the upload has none: players, the publish renditions and the
 * probe step expect one), moov atom first. Pure: the plan and the argument array.
 */

export const PLAYBACK_MAX_SIDE = 1920;

export interface TranscodePlan {
  /** The video stream is already playable H.264 yuv420p within the size: copied, not re-encoded. */
  copyVideo: boolean;
  audio: "copy" | "encode" | "silent";
  /** Whole frames per second the output runs at (the review player counts frames at this rate). */
  fps: number;
}

export function transcodePlan(p: ProbeResult, container: Container): TranscodePlan {
  const v = p.video;
  const w = v?.width ?? 0;
  const h = v?.height ?? 0;
  const fps = Math.min(60, Math.max(1, Math.round(v?.fps && v.fps < 1000 ? v.fps : 30)));
  const integralFps = v?.fps !== undefined && Math.abs(v.fps - Math.round(v.fps)) < 0.01;
  const copyVideo =
    container === "mp4" &&
    v?.codec === "h264" &&
    v.pixFmt === "yuv420p" &&
    integralFps &&
    w <= PLAYBACK_MAX_SIDE &&
    h <= PLAYBACK_MAX_SIDE &&
    w % 2 === 0 &&
    h % 2 === 0;
  const audio = !p.audio
    ? "silent"
    : p.audio.codec === "aac" && container === "mp4"
      ? "copy"
      : "encode";
  return { copyVideo, audio, fps };
}

/** The argv: input under the upload allow-lists, output to `output` (a temporary name). */
export function playbackTranscodeArgs(o: {
  input: string;
  container: Container;
  output: string;
  plan: TranscodePlan;
  h264?: H264Settings;
}): string[] {
  const h = o.h264 ?? defaultH264;
  const silent = o.plan.audio === "silent";
  const max = PLAYBACK_MAX_SIDE;
  const video = o.plan.copyVideo
    ? ["-c:v", "copy"]
    : [
        "-vf",
        `scale='min(iw,${max})':'min(ih,${max})':force_original_aspect_ratio=decrease:force_divisible_by=2,setsar=1,fps=${o.plan.fps},format=yuv420p`,
        ...h264EncodeArgs(h),
      ];
  const audio =
    o.plan.audio === "copy"
      ? ["-c:a", "copy"]
      : ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", String(AUDIO_RATE), "-ac", "2"];
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-y",
    ...safeInputArgs(o.container),
    "-i",
    o.input,
    ...(silent ? ["-f", "lavfi", "-i", `anullsrc=r=${AUDIO_RATE}:cl=stereo`] : []),
    "-map",
    "0:v:0",
    "-map",
    silent ? "1:a:0" : "0:a:0",
    ...(silent ? ["-shortest"] : []),
    ...video,
    ...audio,
    "-movflags",
    "+faststart",
    "-map_metadata",
    "-1",
    "-progress",
    "pipe:1",
    "-stats_period",
    "0.25",
    "-f",
    "mp4",
    o.output,
  ];
}
