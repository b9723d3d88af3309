import { Server } from "@hocuspocus/server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import {
  DOC_UPDATE_CHANNEL,
  REVOCATION_CHANNEL,
} from "@reelhouse/shared/workspaces/documents.server";
import { z } from "zod";
import { AuthExtension } from "./extensions/auth.ts";
import { AuthorizationExtension } from "./extensions/authorization.ts";
import { CommentsGuardExtension } from "./extensions/comments-guard.ts";
import { LimitsExtension } from "./extensions/limits.ts";
import { PersistenceExtension } from "./extensions/persistence.ts";
import { PresenceExtension } from "./extensions/presence.ts";
import { ReviewGuardExtension } from "./extensions/review-guard.ts";
import { RevocationExtension } from "./extensions/revocation.ts";
import { ChangeFeed } from "./feed.ts";
import { limitHttpConnections } from "./http-limits.ts";
import { createLogger, type Logger } from "./log.ts";

export type CollabServerOptions = {
  pool: Pool;
  /** AUTH_SECRET (collab tokens are HMAC-signed with it by the web app). */
  secret: string;
  /** 0: any free port. */
  port: number;
  host?: string;
  /** Compaction debounce (Hocuspocus `debounce` / `maxDebounce`), ms. */
  debounceMs?: number;
  maxDebounceMs?: number;
  maxMessageBytes?: number;
  messagesPerSecond?: number;
  burst?: number;
  /** Periodic access re-check, ms. */
  pollMs?: number;
  /** A connection must have upgraded to a WebSocket within this, else 408 (default 10 s). */
  httpRequestTimeoutMs?: number;
  /** Request headers must arrive within this (default 10 s, at most the request timeout). */
  httpHeadersTimeoutMs?: number;
  log?: Logger;
};

export type CollabServer = {
  server: Server;
  port: number;
  url: string;
  persistence: PersistenceExtension;
  authorization: AuthorizationExtension;
  commentsGuard: CommentsGuardExtension;
  presence: PresenceExtension;
  reviewGuard: ReviewGuardExtension;
  revocation: RevocationExtension;
  /** Compacts every open document, closes all connections, stops listening. Leaves the pool open. */
  close(): Promise<void>;
};

const optionsSchema = z.object({
  secret: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  port: z.number().int().min(0).max(65535),
});

/** Builds and starts the collab server (used by main.ts and by tests on port 0). */
export async function createCollabServer(opts: CollabServerOptions): Promise<CollabServer> {
  optionsSchema.parse({ secret: opts.secret, port: opts.port });
  const log = opts.log ?? createLogger();
  const { pool } = opts;
  const limits = new LimitsExtension({
    log,
    maxMessageBytes: opts.maxMessageBytes,
    messagesPerSecond: opts.messagesPerSecond,
    burst: opts.burst,
  });
  const auth = new AuthExtension({ pool, secret: opts.secret, log });
  const authorization = new AuthorizationExtension({ log });
  const commentsGuard = new CommentsGuardExtension({ log });
  const presence = new PresenceExtension({ log });
  const reviewGuard = new ReviewGuardExtension({ log });
  const persistence = new PersistenceExtension({ pool, log });
  const revocation = new RevocationExtension({ pool, log, pollMs: opts.pollMs });

  const feed = new ChangeFeed(pool, log);
  feed.on(DOC_UPDATE_CHANNEL, (p) => {
    const name = (p as { name?: unknown })?.name;
    if (typeof name === "string")
      persistence
        .pullForeign(name)
        .catch((e: Error) => log("error", "pull failed", { doc: name, error: e.message }));
  });
  feed.on(REVOCATION_CHANNEL, (p) => void revocation.handle(p));
  feed.onResync(() => {
    void revocation.recheckAll();
    void persistence.pullAllForeign();
  });
  await feed.start();

  const server = new Server(
    {
      name: "reelhouse-collab",
      port: opts.port,
      address: opts.host ?? "127.0.0.1",
      quiet: true,
      stopOnSignals: false,
      debounce: opts.debounceMs ?? 1500,
      maxDebounce: opts.maxDebounceMs ?? 10_000,
      unloadImmediately: true,
      extensions: [
        limits,
        auth,
        authorization,
        commentsGuard,
        reviewGuard,
        presence,
        persistence,
        revocation,
      ],
    },
    // Hard ceiling at the WebSocket layer (closes the socket with 1009); the limits extension
    // refuses smaller oversized messages per document with a logged reason.
    { maxPayload: Math.max(4 * limits.maxMessageBytes, 1024 * 1024) },
  );
  const requestTimeoutMs = opts.httpRequestTimeoutMs ?? 10_000;
  limitHttpConnections(server.httpServer, {
    requestTimeoutMs,
    headersTimeoutMs: opts.httpHeadersTimeoutMs ?? requestTimeoutMs,
  });
  await server.listen();
  const port = server.address.port;
  log("info", "collab server listening", { port, host: opts.host ?? "127.0.0.1" });

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      await persistence.flushAll();
      await Promise.race([server.destroy(), new Promise((r) => setTimeout(r, 5000))]);
      await persistence.drained();
      persistence.releaseClient();
      await feed.stop();
      log("info", "collab server stopped");
    })();
    return closing;
  };
  return {
    server,
    port,
    url: `ws://127.0.0.1:${port}`,
    persistence,
    authorization,
    commentsGuard,
    presence,
    reviewGuard,
    revocation,
    close,
  };
}
