import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@reelhouse/shared/env.server";
import { byteLimit, MediaTooLargeError } from "@reelhouse/shared/media/storage.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import {
  createReviewUploadService,
  type ReviewUploadService,
  UploadRefusal,
} from "@reelhouse/shared/review/upload.server";
import { type AppLoadContext, data } from "react-router";
import { MultipartError } from "./forms.server.ts";

/** Glue between the review upload service (shared/src/review/upload.server.ts) and its route. */

let service: Promise<ReviewUploadService> | undefined;
/** One DBOS client per web process, created on first use (the web tier enqueues by name only). */
export function reviewUploadServiceFor(context: AppLoadContext): Promise<ReviewUploadService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to upload versions");
  service ??= createReviewUploadService({ pool: context.services.pool, databaseUrl: url }).catch(
    (err: unknown) => {
      service = undefined;
      throw err;
    },
  );
  return service;
}

/** A fresh temporary path for an incoming upload (DATA_DIR/uploads/.incoming). */
export async function incomingPath(): Promise<string> {
  const dir = path.join(dataDir(), "uploads", ".incoming");
  await mkdir(dir, { recursive: true });
  return path.join(dir, `${randomBytes(8).toString("hex")}.upload`);
}

/** Streams an uploaded file to `file`, stopping the upload as soon as it passes `max` bytes. */
export async function streamToFile(stream: Readable, file: string, max: number): Promise<void> {
  try {
    await pipeline(stream, byteLimit(max), createWriteStream(file, { flags: "wx" }));
  } catch (err) {
    stream.resume();
    await rm(file, { force: true });
    throw err;
  }
}

/** A refusal as `{ ok: false, error, code }` with its HTTP status; anything else rethrown. */
export function uploadRefusal(err: unknown) {
  const out = (status: number, code: string, error: string) =>
    data({ ok: false as const, error, code }, { status });
  if (err instanceof UploadRefusal) return out(err.status, err.code, err.message);
  if (err instanceof MediaTooLargeError)
    return out(
      413,
      "upload_too_big",
      `The video is too large: the limit is ${err.maxBytes / 1024 / 1024} MB.`,
    );
  if (err instanceof MultipartError) return out(err.status, "bad_form", err.message);
  throw err;
}
