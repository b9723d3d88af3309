import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Pool } from "../db/pool.server.ts";
import { checkVideoFile, VideoRejected } from "../media/video-check.server.ts";
import { dataDir } from "../paths.server.ts";
import { type CameoKind, type CameoView, createCameo, requireOwnCameo } from "./cameos.server.ts";
import { CameoError } from "./errors.ts";
import {
  type Container,
  checkDuration,
  checkProbe,
  RECORDING_LIMITS,
  type RecordingKind,
} from "./recording.ts";

/**
 * Accepting a cameo recording: the bytes go to a temporary file, are judged by content
 * (the shared checks of media/video-check.server.ts with the cameo's rules from recording.ts),
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

/** Judges a file on disk (shared/src/media/video-check.server.ts); throws a CameoError with the reason. */
export async function validateRecording(file: string, kind: RecordingKind): Promise<RecordingInfo> {
  try {
    const v = await checkVideoFile(file, {
      prefix: "recording",
      noun: "recording",
      retry: "record it again",
      maxBytes: RECORDING_LIMITS.maxBytes,
      maxSeconds: RECORDING_LIMITS.seconds[kind].max,
      verdict: (p) => checkProbe(p, kind),
      duration: (s) => checkDuration(s, kind),
    });
    return {
      container: v.container,
      width: v.width,
      height: v.height,
      durationSeconds: v.durationSeconds,
      hasAudio: v.hasAudio,
    };
  } catch (err) {
    if (err instanceof VideoRejected) throw new CameoError(err.code, err.message, err.status);
    throw err;
  }
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
