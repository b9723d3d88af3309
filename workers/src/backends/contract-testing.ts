import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { GenerationError } from "@reelhouse/shared/generation/backend";
import {
  type GenerationRequest,
  generationRequestSchema,
} from "@reelhouse/shared/generation/request";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";

/**
 * Test helpers for the backends' contract tests: a local HTTP server on port 0 (the test's handler
 * follows the provider's published contract) and model-like video fixtures made by real ffmpeg.
 */

export interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: Seen & { url: URL }, res: http.ServerResponse) => void | Promise<void>;

export async function contractServer(handler: Handler) {
  const seen: Seen[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://local");
    const entry = {
      method: req.method ?? "GET",
      path: url.pathname,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    seen.push(entry);
    try {
      await handler({ ...entry, url }, res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(err) }));
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    baseUrl,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function sendFile(res: http.ServerResponse, bytes: Buffer, type = "video/mp4") {
  res.writeHead(200, { "content-type": type, "content-length": bytes.length });
  res.end(bytes);
}

/** Sends half the bytes under a Content-Length of all of them, then drops the connection. */
export function sendTruncated(res: http.ServerResponse, bytes: Buffer) {
  res.writeHead(200, { "content-type": "video/mp4", "content-length": bytes.length });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
  setTimeout(() => res.destroy(), 20);
}

/** A clip like a model's: testsrc2 at its own size and frame rate, with or without sound. */
export async function modelClip(
  dir: string,
  o: {
    width: number;
    height: number;
    fps: number;
    seconds: number;
    audio: boolean;
    ext?: "mp4" | "webm";
  },
): Promise<Buffer> {
  const ext = o.ext ?? "mp4";
  const file = path.join(
    dir,
    `clip-${o.width}x${o.height}-${o.fps}-${o.seconds}-${o.audio}.${ext}`,
  );
  await runFfmpeg([
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}:duration=${o.seconds}`,
    ...(o.audio ? ["-f", "lavfi", "-i", `sine=frequency=330:duration=${o.seconds}`] : []),
    ...(ext === "webm"
      ? ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]
      : ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]),
    ...(o.audio ? (ext === "webm" ? ["-c:a", "libopus"] : ["-c:a", "aac"]) : ["-an"]),
    file,
  ]);
  return readFileSync(file);
}

/** A request maker with one backend's test defaults (duration, size, seed), which a test may override. */
export function requestsWith(defaults: Record<string, unknown>) {
  return (text: string, extra: Record<string, unknown> = {}): GenerationRequest =>
    generationRequestSchema.parse({ prompt: { text }, ...defaults, ...extra });
}

/**
 * A job-context maker: each context has its own work folder under `dir` and a live signal, and logs
 * the progress fractions (and, when given, the details) the backend reports.
 */
export function jobContexts(dir: string) {
  let n = 0;
  return (progress: number[] = [], details: (string | undefined)[] = []) => ({
    workDir: path.join(dir, `job${++n}`),
    signal: new AbortController().signal,
    onProgress: (fraction: number, detail?: string) => {
      progress.push(fraction);
      details.push(detail);
    },
  });
}

/** The GenerationError a render rejects with, or undefined when it resolves. */
export const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as GenerationError,
  );
