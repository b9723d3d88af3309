import type { Readable } from "node:stream";
import { CameoError } from "@reelhouse/shared/cameos/errors";
import { RECORDING_LIMITS } from "@reelhouse/shared/cameos/recording";
import { type CameoService, createCameoService } from "@reelhouse/shared/cameos/service.server";
import { env } from "@reelhouse/shared/env.server";
import { MediaTooLargeError } from "@reelhouse/shared/media/storage.server";
import { type AppLoadContext, data } from "react-router";
import { MultipartError } from "./forms.server.ts";

/** Glue between the cameo service (shared/src/cameos/service.server.ts) and the /cameos routes. */

let service: Promise<CameoService> | undefined;
/** One DBOS client per web process, created on first use (the web tier enqueues by name only). */
export function cameoServiceFor(context: AppLoadContext): Promise<CameoService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to process cameos");
  service ??= createCameoService({
    pool: context.services.pool,
    databaseUrl: url,
    secret: context.services.authSecret,
  }).catch((err: unknown) => {
    service = undefined;
    throw err;
  });
  return service;
}

export const MAX_RECORDING_BYTES = RECORDING_LIMITS.maxBytes;

/**
 * Reads an uploaded recording into memory while it streams, refusing (and so stopping the upload)
 * as soon as it passes `max` bytes. Nothing is written to disk here: storeRecording judges it.
 */
export async function readRecording(stream: Readable, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > max) {
      stream.destroy();
      throw new MediaTooLargeError(max);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface CameoRefusal {
  ok: false;
  error: string;
  code: string;
}

/** A refusal as `{ ok: false, error, code }` with its HTTP status; anything else rethrown. */
export function cameoRefusal(err: unknown) {
  const out = (status: number, code: string, error: string) =>
    data<CameoRefusal>({ ok: false, error, code }, { status });
  if (err instanceof CameoError) return out(err.status, err.code, err.message);
  if (err instanceof MediaTooLargeError)
    return out(
      413,
      "too_large",
      `The recording is too large: the limit is ${err.maxBytes / 1024 / 1024} MB.`,
    );
  if (err instanceof MultipartError) return out(err.status, "bad_form", err.message);
  throw err;
}
