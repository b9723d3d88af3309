import http from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { RefusedError } from "./security.ts";

/**
 * Limits against slow clients (issue 16 B7): how long a request may take to arrive, how long an
 * idle connection stays open, and how many request bodies may be arriving at once, per client
 * address and in all. Without them, a client that sends one byte a second, or a Content-Length
 * larger than what it sends, holds a connection (and a parser, and a half-read upload) forever.
 */
export interface ServerLimits {
  /** All request headers must arrive within this (Node answers 408 and closes). */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (408 and close). */
  requestTimeoutMs: number;
  /** A connection with no bytes either way for this long is closed (above the SSE heartbeat). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection between requests is closed after this. */
  keepAliveTimeoutMs: number;
  /** Request bodies arriving at once from one client address; more are refused with 429. */
  maxUploadsPerClient: number;
  /** Request bodies arriving at once in all; more are refused with 503. */
  maxUploads: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxUploadsPerClient: 4,
  maxUploads: 64,
};

/** The HTTP server for `app` with the timeouts of `limits` applied. */
export function createHttpServer(app: http.RequestListener, limits: ServerLimits): http.Server {
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often Node checks the two timeouts above (its default, 30 s, would let a 10 s
      // header timeout run to 40 s).
      connectionsCheckingInterval: Math.max(
        100,
        Math.min(1000, limits.headersTimeoutMs / 4, limits.requestTimeoutMs / 4),
      ),
    },
    app,
  );
  server.setTimeout(limits.idleTimeoutMs);
  return server;
}

/** Whether a request carries a body (declared length above 0, or chunked). */
function hasBody(req: Request): boolean {
  const length = Number(req.headers["content-length"] ?? 0);
  return length > 0 || req.headers["transfer-encoding"] !== undefined;
}

/**
 * Counts request bodies while they arrive, per client address: past `maxUploadsPerClient` from
 * one address a request is refused at once (429, Retry-After, connection closed) instead of
 * holding another connection; past `maxUploads` in all, 503. A slot is released when the response
 * is done or the connection closes, whichever is first.
 */
export function uploadSlots(
  limits: ServerLimits,
  clientOf: (req: Request) => string,
): RequestHandler & { active(): number } {
  const perClient = new Map<string, number>();
  let total = 0;
  const handler = (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req) || req.complete) return next();
    const client = clientOf(req);
    const mine = perClient.get(client) ?? 0;
    if (mine >= limits.maxUploadsPerClient || total >= limits.maxUploads) {
      res.setHeader("Retry-After", "5");
      return next(
        mine >= limits.maxUploadsPerClient
          ? new RefusedError(
              429,
              `Too many uploads at once from your address (at most ${limits.maxUploadsPerClient}). Wait for one to finish and try again.`,
            )
          : new RefusedError(503, "The server is receiving too many uploads. Try again shortly."),
      );
    }
    perClient.set(client, mine + 1);
    total++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      total--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    };
    res.once("close", release);
    res.once("finish", release);
    req.once("close", release);
    next();
  };
  return Object.assign(handler, { active: () => total });
}
