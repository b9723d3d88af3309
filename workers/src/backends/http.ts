import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import type { z } from "zod";

/**
 * What every HTTP model backend shares: one request wrapper that turns a provider's failures into
 * clear `GenerationError`s (rate limits honoured through Retry-After, timeouts, auth, refusals,
 * malformed answers), the poll sleep, resumable state in the work directory, and a streaming
 * download that refuses truncated files.
 */

export const aborted = () =>
  new GenerationError("cancelled", "The generation was cancelled.", false);

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(aborted());
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from now; undefined if absent/bad. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ProviderHttpOptions {
  /** "Veo", "Runway", …: starts every error message. */
  provider: string;
  /** Each request gives up after this long (a hung connection is a retryable timeout). */
  requestTimeoutMs?: number;
  /** A 429 whose Retry-After is at most this is waited out here (else the job retries later). */
  maxRetryAfterMs?: number;
  /** How many 429s one call waits out before failing. */
  maxRateLimitWaits?: number;
  /** The provider's error message from a parsed error body, if it has one. */
  errorMessage: (body: unknown) => string | undefined;
  /** A 4xx whose message means the provider's moderation refused the prompt or image. */
  isModeration?: (status: number, body: unknown, message: string) => boolean;
}

export type ProviderFetch = (
  url: string,
  init: RequestInit,
  signal: AbortSignal,
) => Promise<Response>;

export function providerFetch(o: ProviderHttpOptions): ProviderFetch {
  const timeoutMs = o.requestTimeoutMs ?? 60_000;
  const maxWait = o.maxRetryAfterMs ?? 60_000;
  const maxWaits = o.maxRateLimitWaits ?? 3;
  return async function call(url, init, signal) {
    for (let waits = 0; ; waits++) {
      let res: Response;
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        res = await fetch(url, { ...init, signal: AbortSignal.any([signal, timeout]) });
      } catch (err) {
        if (signal.aborted) throw aborted();
        if (timeout.aborted)
          throw new GenerationError(
            "backend_timeout",
            `${o.provider} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
            true,
          );
        throw new GenerationError(
          "backend_unreachable",
          `${o.provider} is unreachable: ${(err as Error).message}`,
          true,
        );
      }
      if (res.ok) return res;
      const text = await res.text().catch(() => "");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {}
      const message =
        (body !== undefined ? o.errorMessage(body) : undefined) ||
        text.slice(0, 300) ||
        res.statusText;
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get("retry-after"));
        if (wait !== undefined && wait <= maxWait && waits < maxWaits) {
          await sleep(wait, signal);
          continue;
        }
        throw new GenerationError(
          "backend_rate_limited",
          `${o.provider} is rate limiting this workspace's key (429${wait !== undefined ? `, retry after ${Math.ceil(wait / 1000)} s` : ""}): ${message}`,
          true,
        );
      }
      if (res.status === 401 || res.status === 403)
        throw new GenerationError(
          "backend_auth",
          `${o.provider} refused the API key (${res.status}): ${message}. Check it in Settings → Model backends.`,
          false,
        );
      if (res.status >= 500 || res.status === 408)
        throw new GenerationError(
          "backend_unavailable",
          `${o.provider} is failing (${res.status}): ${message}`,
          true,
        );
      if (o.isModeration?.(res.status, body, message))
        throw new GenerationError(
          "moderation_refused",
          `${o.provider} refused the prompt under its content policy: ${message}`,
          false,
        );
      throw new GenerationError(
        "backend_rejected",
        `${o.provider} rejected the request (${res.status}): ${message}`,
        false,
      );
    }
  };
}

/** Parses a JSON answer with a schema: anything else is a clear protocol error. */
export async function readJson<S extends z.ZodTypeAny>(
  provider: string,
  res: Response,
  schema: S,
  what: string,
): Promise<z.infer<S>> {
  const text = await res.text().catch(() => "");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GenerationError(
      "backend_protocol",
      `${provider} answered ${what} with something that is not JSON: ${text.slice(0, 120)}`,
      true,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GenerationError(
      "backend_protocol",
      `${provider} answered ${what} in an unexpected shape (${issue?.path.join(".") || "body"}: ${issue?.message}).`,
      true,
    );
  }
  return parsed.data;
}

/** Resumable state of one remote job (its id), kept in the attempt's stable work directory. */
export function remoteState<T extends object>(workDir: string, name: string) {
  const file = path.join(workDir, `${name}.json`);
  return {
    async load(): Promise<T | undefined> {
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (!text) return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        return undefined;
      }
    },
    async save(state: T): Promise<void> {
      await mkdir(workDir, { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, JSON.stringify(state));
      await rename(tmp, file);
    },
    /** The remote job is over (failed): a retry must start a new one. */
    async clear(): Promise<void> {
      await rm(file, { force: true });
    },
  };
}

export const MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3;

/**
 * Streams `res` to `file` (via a temporary name). A body shorter than its Content-Length (a dropped
 * connection, a partial output) or empty is a retryable `backend_download` error and leaves no file.
 */
export async function saveBody(
  provider: string,
  res: Response,
  file: string,
  signal: AbortSignal,
): Promise<number> {
  if (!res.body) throw new GenerationError("backend_download", `${provider} sent no video.`, true);
  const declared = Number(res.headers.get("content-length") ?? Number.NaN);
  const tmp = `${file}.part-${process.pid}`;
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_DOWNLOAD_BYTES) return done(new Error("the video is larger than 2 GiB"));
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      count,
      createWriteStream(tmp),
      { signal },
    );
    if (bytes === 0) throw new Error("the file is empty");
    if (Number.isFinite(declared) && bytes !== declared)
      throw new Error(`got ${bytes} of ${declared} bytes (a partial file)`);
    await rename(tmp, file);
    return (await stat(file)).size;
  } catch (err) {
    await rm(tmp, { force: true });
    if (signal.aborted) throw aborted();
    const why =
      Number.isFinite(declared) && bytes < declared
        ? `the connection dropped after ${bytes} of ${declared} bytes (a partial file)`
        : (err as Error).message;
    throw new GenerationError(
      "backend_download",
      `Downloading the video from ${provider} failed: ${why}.`,
      true,
    );
  }
}

/** An image file as a data URI (providers that take inline images). */
export async function imageDataUri(
  file: string,
): Promise<{ uri: string; mime: string; b64: string }> {
  const bytes = await readFile(file);
  const ext = path.extname(file).slice(1).toLowerCase();
  const mime = ext === "png" ? "image/png" : ext === "webp" ? "image/webp" : "image/jpeg";
  const b64 = bytes.toString("base64");
  return { uri: `data:${mime};base64,${b64}`, mime, b64 };
}

/** Same origin: only then does a provider's key go along with a URL the provider handed back. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
