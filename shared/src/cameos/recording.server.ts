import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "../db/pool.server.ts";
import { FfmpegError, runFfmpeg } from "../media/ffmpeg.server.ts";
import { probe } from "../media/ffprobe.server.ts";
import { dataDir } from "../paths.server.ts";
import { type CameoKind, type CameoView, createCameo, requireOwnCameo } from "./cameos.server.ts";
import { CameoError } from "./errors.ts";
import {
  type Container,
  checkDuration,
  checkProbe,
  decodeCheckArgs,
  RECORDING_LIMITS,
  type RecordingKind,
  safeInputArgs,
  sniffContainer,
} from "./recording.ts";

/**
 * Accepting a cameo recording: the bytes go to a temporary file, are judged by content
 * (recording.ts: magic bytes, then ffprobe and a full decode with protocol and demuxer allow-lists),
 * and only a recording that passes is moved to cameos/<id>/recording.<ext> and recorded in the
 * row. A refused upload leaves no file and no row.
 */

export interface RecordingInfo {
  container: Container;
  width: number;
  height: number;
  durationSeconds: number;
  hasAudio: boolean;
}

const fail = (code: string, reason: string, status = 400) => new CameoError(code, reason, status);

/** Judges a file on disk; throws a CameoError with the reason, or returns what it is. */
export async function validateRecording(file: string, kind: RecordingKind): Promise<RecordingInfo> {
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
  if (size === 0) throw fail("recording_empty", "The recording is empty.");
  if (size > RECORDING_LIMITS.maxBytes)
    throw fail(
      "recording_too_big",
      `The recording is ${(size / 1048576).toFixed(1)} MB; at most ${RECORDING_LIMITS.maxBytes / 1048576} MB.`,
      413,
    );
  const container = sniffContainer(head);
  if (typeof container !== "string") throw fail(container.code, container.reason);
  const info = await probe(file, { inputArgs: safeInputArgs(container) }).catch((err: unknown) => {
    if (err instanceof FfmpegError)
      throw fail("recording_unreadable", "This video is damaged or incomplete; record it again.");
    throw err;
  });
  const verdict = checkProbe(info, kind);
  if (!verdict.ok) throw fail(verdict.code, verdict.reason);
  // Decode every frame: a truncated or corrupt file fails here; the decode also measures the
  // duration (stopping as soon as it is too long, so a long file costs little).
  let seconds = 0;
  const tooLong = new AbortController();
  const max = RECORDING_LIMITS.seconds[kind].max + 0.5;
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
    if (err.code !== "aborted")
      throw fail("recording_unreadable", "This video is damaged or incomplete; record it again.");
  }
  // The container promised more than there is: the file was cut short.
  if (!tooLong.signal.aborted && info.durationSeconds > 0 && seconds < info.durationSeconds - 0.5)
    throw fail(
      "recording_truncated",
      `The recording stops after ${seconds.toFixed(1)} s of its ${info.durationSeconds.toFixed(1)} s; the upload was cut short. Try again.`,
    );
  const d = checkDuration(Math.max(seconds, tooLong.signal.aborted ? max : 0), kind);
  if (!d.ok) throw fail(d.code, d.reason);
  return {
    container,
    width: verdict.width,
    height: verdict.height,
    durationSeconds: seconds,
    hasAudio: info.audio !== undefined,
  };
}

/**
 * Stores a recording: a new cameo (kind, name) or a retake of `cameoId`. The cameo row is made or
 * changed only after the recording passed; a retake replaces the old recording and clears what
 * was made from it (kit, voice, embedding), to be made again by the cameo workflow.
 */
export async function storeRecording(
  pool: Pool,
  ownerId: string,
  target: { cameoId: string } | { kind: CameoKind; name?: string },
  bytes: Uint8Array,
  root: string = dataDir(),
): Promise<{ cameo: CameoView; recording: RecordingInfo }> {
  const existing =
    "cameoId" in target ? await requireOwnCameo(pool, ownerId, target.cameoId) : null;
  const kind = existing ? existing.kind : (target as { kind: CameoKind }).kind;
  const incoming = path.join(root, "cameos", ".incoming");
  await mkdir(incoming, { recursive: true });
  const tmp = path.join(incoming, `${randomBytes(8).toString("hex")}.upload`);
  try {
    await writeFile(tmp, bytes);
    const recording = await validateRecording(tmp, kind);
    const cameo =
      existing ?? (await createCameo(pool, ownerId, target as { kind: CameoKind; name?: string }));
    const dir = path.join(root, cameo.dir);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const rel = path.posix.join(cameo.dir, `recording.${recording.container}`);
    await rename(tmp, path.join(root, rel));
    await pool.query(
      `UPDATE cameos SET recording_path = $2, status = 'processing', status_reason = NULL, stage = 'uploaded',
              progress = 0, voice = NULL, embedding = NULL WHERE id = $1`,
      [cameo.id, rel],
    );
    return { cameo: { ...cameo, status: "processing", stage: "uploaded", progress: 0 }, recording };
  } finally {
    await rm(tmp, { force: true });
  }
}
