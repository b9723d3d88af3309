/**
 * Extend (issue 13): continue a previz draft by N seconds, as Sora's extend does. The `extend`
 * workflow re-runs the previz backend with the draft's own generation request and seed for D + N
 * seconds (same prompt → the same subjects, setting, camera move and music at the same tempo),
 * then joins: the source's video packets for [0, D) are COPIED (so the first D seconds are the
 * source frame for frame), followed by the re-render's [D, D + N) encoded at the product settings;
 * the sound is the source's up to D, crossfaded in 50 ms into the re-render's from D. The result is
 * a new draft stacked on the source as a version. Pure: the contract and the ffmpeg arguments.
 */
import { z } from "zod";
import { requestIdSchema } from "../generation/jobs.ts";
import { generationRequestSchema, MAX_CLIP_SECONDS } from "../generation/request.ts";
import { AUDIO_RATE, defaultH264, fmt, mp4OutputArgs } from "../media/ffmpeg-args.ts";

/** Backends whose renders can be continued (deterministic for a request and seed). */
export const EXTENDABLE_BACKENDS = ["previz"] as const;

/** The shortest extension (whole seconds, like previz durations). */
export const MIN_EXTEND_SECONDS = 1;

/** One press of Extend: `extend:<draft id>:<request id>`. */
export function extendWorkflowId(draftId: string, requestId: string): string {
  return `extend:${draftId}:${requestId}`;
}

/** The body of `POST /projects/:projectId/drafts/:draftId/extend`. */
export const extendRequestSchema = z.object({
  requestId: requestIdSchema,
  seconds: z.coerce
    .number({ message: "Seconds must be a number." })
    .int("Extend by a whole number of seconds.")
    .min(MIN_EXTEND_SECONDS, `Extend by at least ${MIN_EXTEND_SECONDS} second.`)
    .max(MAX_CLIP_SECONDS, `Extend by at most ${MAX_CLIP_SECONDS} seconds.`),
});

/**
 * Why an extension of a `sourceSeconds` clip by `seconds` is refused, or null: the result must
 * still be a clip previz can render (at most MAX_CLIP_SECONDS long).
 */
export function extendRangeProblem(sourceSeconds: number, seconds: number): string | null {
  if (!Number.isInteger(seconds) || seconds < MIN_EXTEND_SECONDS)
    return `Extend by at least ${MIN_EXTEND_SECONDS} whole second.`;
  const room = MAX_CLIP_SECONDS - sourceSeconds;
  if (room < MIN_EXTEND_SECONDS)
    return `This clip is already ${sourceSeconds} s, the longest a clip can be (${MAX_CLIP_SECONDS} s).`;
  if (seconds > room)
    return `A ${sourceSeconds} s clip can be extended by at most ${room} s (clips are at most ${MAX_CLIP_SECONDS} s).`;
  return null;
}

export const extendInputSchema = z.object({
  workflowId: z.string().min(1),
  projectId: z.string().uuid(),
  userId: z.string().uuid(),
  sourceDraftId: z.string().uuid(),
  /** The source's video file, relative to DATA_DIR. */
  sourcePath: z.string().min(1),
  /** The source's length: whole seconds and its frames (= seconds × fps). */
  sourceSeconds: z.number().int().positive(),
  sourceFrames: z.number().int().positive(),
  seconds: z.number().int().min(MIN_EXTEND_SECONDS),
  backend: z.enum(EXTENDABLE_BACKENDS),
  /** The source's own generation request with `durationSeconds` = source + extension. */
  request: generationRequestSchema,
  title: z.string().max(200).default(""),
});
export type ExtendInput = z.infer<typeof extendInputSchema>;

/** What the result draft carries in `drafts.metadata` (`edit.sourceDraftIds` stacks it as a version). */
export interface ExtendDraftMetadata {
  edit: { sourceDraftIds: string[] };
  extend: { sourceDraftId: string; fromSeconds: number; seconds: number };
}

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];

/** The re-render's frames from `fromFrame` on, video only, at the product's encoder settings. */
export function extendTailArgs(o: {
  rerender: string;
  fromFrame: number;
  output: string;
}): string[] {
  return [
    ...quiet,
    "-i",
    o.rerender,
    "-map",
    "0:v:0",
    "-vf",
    `trim=start_frame=${o.fromFrame},setpts=PTS-STARTPTS,format=yuv420p`,
    // The source's own settings (previz encodes with defaultH264), so the tail's parameter sets
    // match the copied packets in front of it.
    ...mp4OutputArgs(defaultH264, false),
    o.output,
  ];
}

/**
 * The source's video packets alone, copied. The concat demuxer shifts a file by its earliest
 * stream's start, and a source's AAC sound starts 21 ms early (the encoder's priming): concatenated
 * with its sound, the picture would start at 21 ms while the joined sound starts at 0, and a
 * constant-rate re-encode (the marked export) would fill that gap with a repeated frame.
 */
export function extendSourceVideoArgs(o: { source: string; output: string }): string[] {
  return [...quiet, "-i", o.source, "-map", "0:v:0", "-c", "copy", "-f", "mp4", o.output];
}

/**
 * The concat demuxer's list: the source's video (extendSourceVideoArgs), then the tail (both
 * paths absolute). `duration` is the source's length, so the tail starts exactly at D.
 */
export function extendConcatList(source: string, tail: string, sourceSeconds: number): string {
  const q = (p: string) => `'${p.replaceAll("'", "'\\''")}'`;
  return `ffconcat version 1.0\nfile ${q(source)}\nduration ${fmt(sourceSeconds)}\nfile ${q(tail)}\n`;
}

/** The crossfade at the sound's seam, seconds. */
export const EXTEND_AUDIO_CROSSFADE = 0.05;

/**
 * The join: video packets from the concat list (source then tail), copied; the sound from the
 * source up to D crossfaded into the re-render's from D − crossfade, so it lasts D + N exactly.
 */
export function extendJoinArgs(o: {
  list: string;
  source: string;
  rerender: string;
  sourceSeconds: number;
  totalSeconds: number;
  output: string;
}): string[] {
  const x = EXTEND_AUDIO_CROSSFADE;
  const d = o.sourceSeconds;
  return [
    ...quiet,
    "-f",
    "concat",
    "-safe",
    "0",
    "-i",
    o.list,
    "-i",
    o.source,
    "-i",
    o.rerender,
    "-filter_complex",
    `[1:a:0]atrim=end=${fmt(d)},asetpts=PTS-STARTPTS,aresample=${AUDIO_RATE}[ah];` +
      `[2:a:0]atrim=start=${fmt(d - x)}:end=${fmt(o.totalSeconds)},asetpts=PTS-STARTPTS,aresample=${AUDIO_RATE}[at];` +
      `[ah][at]acrossfade=d=${fmt(x)}:c1=tri:c2=tri[a]`,
    "-map",
    "0:v:0",
    "-map",
    "[a]",
    "-c:v",
    "copy",
    "-c:a",
    "aac",
    "-b:a",
    "160k",
    "-ar",
    String(AUDIO_RATE),
    "-movflags",
    "+faststart",
    "-map_metadata",
    "-1",
    "-f",
    "mp4",
    o.output,
  ];
}
