import { open } from "node:fs/promises";
import { FfmpegError, runFfmpeg } from "./ffmpeg.server.ts";
import { type ProbeResult, probe } from "./ffprobe.server.ts";
import {
  type Container,
  decodeCheckArgs,
  safeInputArgs,
  sniffVideoContainer,
  type VideoRefusal,
} from "./video-check.ts";

/**
 * Runs the content checks of video-check.ts on a file on disk: size, magic bytes, ffprobe with
 * allow-lists, the caller's verdict on the probe, then a full decode (finds truncation and
 * corruption, and measures the duration — stopping as soon as it is too long, so a long file
 * costs little). Throws a VideoRejected with the reason; never writes anything.
 */

export class VideoRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "VideoRejected";
  }
}

export interface CheckedVideo {
  container: Container;
  width: number;
  height: number;
  /** Measured by decoding, not taken from the header. */
  durationSeconds: number;
  hasAudio: boolean;
  probe: ProbeResult;
}

export interface VideoCheckOptions {
  /** Code prefix: `recording` → `recording_truncated`. */
  prefix: string;
  /** What the person calls it: "recording", "video". */
  noun: string;
  /** What to do about a damaged file, appended to the reason ("record it again"). */
  retry: string;
  maxBytes: number;
  /** The decode stops a little past this (the duration verdict then refuses). */
  maxSeconds: number;
  verdict: (p: ProbeResult) => { ok: true; width: number; height: number } | VideoRefusal;
  duration: (seconds: number) => { ok: true } | VideoRefusal;
  signal?: AbortSignal;
}

export async function checkVideoFile(file: string, o: VideoCheckOptions): Promise<CheckedVideo> {
  const fail = (code: string, reason: string, status = 400) =>
    new VideoRejected(`${o.prefix}_${code}`, reason, status);
  const fh = await open(file, "r");
  let head: Buffer;
  let size: number;
  try {
    size = (await fh.stat()).size;
    head = Buffer.alloc(64);
    await fh.read(head, 0, 64, 0);
  } finally {
    await fh.close();
  }
  if (size === 0) throw fail("empty", `The ${o.noun} is empty.`);
  if (size > o.maxBytes)
    throw fail(
      "too_big",
      `The ${o.noun} is ${(size / 1048576).toFixed(1)} MB; at most ${o.maxBytes / 1048576} MB.`,
      413,
    );
  const container = sniffVideoContainer(head, o.prefix);
  if (typeof container !== "string") throw new VideoRejected(container.code, container.reason);
  const damaged = () => fail("unreadable", `This ${o.noun} is damaged or incomplete; ${o.retry}.`);
  const info = await probe(file, { inputArgs: safeInputArgs(container), signal: o.signal }).catch(
    (err: unknown) => {
      if (err instanceof FfmpegError && err.code !== "aborted") throw damaged();
      throw err;
    },
  );
  const verdict = o.verdict(info);
  if (!verdict.ok) throw new VideoRejected(verdict.code, verdict.reason);
  let seconds = 0;
  const tooLong = new AbortController();
  const max = o.maxSeconds + 0.5;
  const stop = () => tooLong.abort();
  o.signal?.addEventListener("abort", stop, { once: true });
  try {
    await runFfmpeg(decodeCheckArgs({ input: file, container }), {
      signal: tooLong.signal,
      onProgress: (s) => {
        seconds = Math.max(seconds, s);
        if (seconds > max) tooLong.abort();
      },
    });
  } catch (err) {
    if (!(err instanceof FfmpegError)) throw err;
    if (err.code !== "aborted") throw damaged();
  } finally {
    o.signal?.removeEventListener("abort", stop);
  }
  if (o.signal?.aborted) throw new FfmpegError("aborted", "the check was cancelled");
  // The container promised more than there is: the file was cut short.
  if (!tooLong.signal.aborted && info.durationSeconds > 0 && seconds < info.durationSeconds - 0.5)
    throw fail(
      "truncated",
      `The ${o.noun} stops after ${seconds.toFixed(1)} s of its ${info.durationSeconds.toFixed(1)} s; the upload was cut short. Try again.`,
    );
  const d = o.duration(Math.max(seconds, tooLong.signal.aborted ? max : 0));
  if (!d.ok) throw new VideoRejected(d.code, d.reason);
  return {
    container,
    width: verdict.width,
    height: verdict.height,
    durationSeconds: seconds,
    hasAudio: info.audio !== undefined,
    probe: info,
  };
}
