import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { env } from "@reelhouse/shared/env.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { SocialError } from "@reelhouse/shared/social/errors";
import { createPublishService, type PublishService } from "@reelhouse/shared/social/publish.server";
import type { Viewer } from "@reelhouse/shared/social/viewer.server";
import { type AppLoadContext, data } from "react-router";

/** Glue between the social domain (shared/src/social) and the routes: viewer, errors, files. */

export function viewerOf(context: AppLoadContext): Viewer {
  const u = context.auth.user;
  if (!u?.username) return null;
  return { id: u.id, isMinor: u.isMinor, isModerator: u.isModerator };
}

/** Runs a domain call; a SocialError becomes an HTTP error response with its status and message. */
export async function social<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SocialError) throw data(err.message, { status: err.status });
    throw err;
  }
}

/** For fetcher actions: `{ ok: false, error }` with the status instead of an error page. */
export async function socialAction<T extends object>(fn: () => Promise<T>) {
  try {
    return { ok: true as const, ...(await fn()) };
  } catch (err) {
    if (err instanceof SocialError)
      return data(
        { ok: false as const, error: err.message, code: err.code },
        { status: err.status },
      );
    throw err;
  }
}

let publishService: Promise<PublishService> | undefined;
/** One DBOS client per web process, created on first use. */
export function publishServiceFor(context: AppLoadContext): Promise<PublishService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to publish");
  publishService ??= createPublishService({ pool: context.services.pool, databaseUrl: url });
  return publishService;
}

const TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".jpg": "image/jpeg",
  ".png": "image/png",
};

/**
 * Streams a stored file (path relative to DATA_DIR, never user-supplied) with HTTP Range support,
 * which video elements need to seek.
 */
export async function fileResponse(
  request: Request,
  relPath: string,
  opts: { download?: string } = {},
): Promise<Response> {
  const root = path.resolve(dataDir());
  const file = path.resolve(root, relPath);
  if (!file.startsWith(root + path.sep)) throw data("Not found", { status: 404 });
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw data("Not found", { status: 404 });
  const type = TYPES[path.extname(file)] ?? "application/octet-stream";
  const headers = new Headers({
    "Content-Type": type,
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, max-age=3600",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": opts.download ? `attachment; filename="${opts.download}"` : "inline",
  });
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get("range") ?? "");
  let start = 0;
  let end = info.size - 1;
  let status = 200;
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), end);
    } else start = Math.max(0, info.size - Number(range[2]));
    if (start > end || start >= info.size) {
      return new Response(null, {
        status: 416,
        headers: { "Content-Range": `bytes */${info.size}` },
      });
    }
    status = 206;
    headers.set("Content-Range", `bytes ${start}-${end}/${info.size}`);
  }
  headers.set("Content-Length", String(end - start + 1));
  if (request.method === "HEAD") return new Response(null, { status, headers });
  const stream = Readable.toWeb(
    createReadStream(file, { start, end }),
  ) as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}
