import { existsSync } from "node:fs";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createReadableStreamFromReadable,
  writeReadableStreamToWritable,
} from "@react-router/node";
import {
  DEFAULT_RATE_LIMITS,
  pruneAttempts,
  type RateLimits,
} from "@reelhouse/shared/accounts/rate-limit.server";
import { deleteExpiredSessions, getSession } from "@reelhouse/shared/accounts/sessions.server";
import { pruneRateWindows } from "@reelhouse/shared/api/keys.server";
import { type CameoService, createCameoService } from "@reelhouse/shared/cameos/service.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import {
  createGenerationService,
  type GenerationService,
} from "@reelhouse/shared/generation/service.server";
import { type MailConfig, Mailer } from "@reelhouse/shared/mail/mailer.server";
import {
  getMediaRecord,
  LocalDiskStorage,
  MediaNotFoundError,
  type MediaStorage,
} from "@reelhouse/shared/media/storage.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { loadOrCreateSecret } from "@reelhouse/shared/secret.server";
import { NotificationFeed } from "@reelhouse/shared/social/notification-feed.server";
import { enablePostCardCache } from "@reelhouse/shared/social/post-cards.server";
import { createPublishService, type PublishService } from "@reelhouse/shared/social/publish.server";
import express, { type NextFunction, type Request, type Response } from "express";
import { type AppLoadContext, createRequestHandler, type ServerBuild } from "react-router";
import type { AppServices, RequestAuth } from "./app/context.ts";
import {
  ANON_COOKIE,
  cookieName,
  parseCookies,
  SESSION_COOKIE,
  serializeCookie,
} from "./app/utils/cookies.server.ts";
import {
  anonCsrfToken,
  newAnonCookieValue,
  sessionCsrfToken,
  verifyAnonCookie,
} from "./app/utils/csrf.server.ts";
import { apiRouter } from "./http/api/router.ts";
import {
  createHttpServer,
  DEFAULT_SERVER_LIMITS,
  type ServerLimits,
  uploadSlots,
} from "./http/limits.ts";
import {
  checkSameOrigin,
  isMutation,
  RefusedError,
  refuseMalformedUrls,
  securityHeaders,
  verifyCsrf,
} from "./http/security.ts";
import { verifyHandler } from "./http/verify.ts";

const webDir = path.dirname(fileURLToPath(import.meta.url));

export interface CreateAppOptions {
  databaseUrl: string;
  authSecret: string;
  /** Default: DATA_DIR/media on local disk. */
  storage?: MediaStorage;
  /** Browser-facing URL; its origin is the only one allowed to POST. Unset: the request's Host. */
  publicUrl?: string;
  trustProxyHops?: number;
  inviteOnlyDefault?: boolean;
  maxPhotoBytes?: number;
  /** Largest file POST /verify accepts (MAX_UPLOAD_BYTES). */
  maxVerifyBytes?: number;
  rateLimits?: RateLimits;
  /** SMTP and From for outgoing mail; without smtpUrl, mail stays in the outbox (admin page). */
  mail?: Partial<MailConfig>;
  /** Directory holding `server/index.js` and `client/` (default web/build). */
  buildDir?: string;
  /** Timeouts and concurrent-upload limits (web/http/limits.ts); defaults for what is unset. */
  limits?: Partial<ServerLimits>;
}

export interface App {
  app: express.Express;
  pool: Pool;
  services: AppServices;
  /** What `createHttpServer(app, limits)` applies to the server the app listens on. */
  limits: ServerLimits;
  close(): Promise<void>;
}

type AuthedRequest = Request & {
  rh?: { auth: RequestAuth; body?: Readable; clientIp: string; secure: boolean };
};

/** The IP a rate limit keys on: the socket peer, or the trusted proxy hop's X-Forwarded-For entry. */
function clientIp(req: Request, trustProxyHops: number): string {
  const raw = trustProxyHops > 0 ? req.ip : req.socket.remoteAddress;
  return (raw ?? "unknown").replace(/^::ffff:/, "");
}

/** Builds the express app (not listening): security headers, assets, auth, CSRF, media, React Router. */
export async function createApp(opts: CreateAppOptions): Promise<App> {
  const buildDir = opts.buildDir ?? path.join(webDir, "build");
  const serverEntry = path.join(buildDir, "server", "index.js");
  if (!existsSync(serverEntry))
    throw new Error(`No web build at ${serverEntry}. Run: npm run -w @reelhouse/web build`);
  const build = (await import(pathToFileURL(serverEntry).href)) as ServerBuild;
  const pool = createPool(opts.databaseUrl, 10);
  const publicUrl = opts.publicUrl ? new URL(opts.publicUrl) : undefined;
  const hops = opts.trustProxyHops ?? 0;
  const services: AppServices = {
    pool,
    storage: opts.storage ?? new LocalDiskStorage(path.join(dataDir(), "media")),
    authSecret: opts.authSecret,
    inviteOnlyDefault: opts.inviteOnlyDefault ?? true,
    maxPhotoBytes: opts.maxPhotoBytes ?? 8 * 1024 * 1024,
    rateLimits: opts.rateLimits ?? DEFAULT_RATE_LIMITS,
    notificationFeed: new NotificationFeed(pool),
    postCards: enablePostCardCache(pool, opts.databaseUrl),
    mailer: new Mailer(pool, {
      smtpUrl: opts.mail?.smtpUrl,
      from: opts.mail?.from ?? "Reelhouse <no-reply@localhost>",
    }),
    publicOrigin: publicUrl?.origin,
  };

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", hops);
  const isSecure = (req: Request) => publicUrl?.protocol === "https:" || (hops > 0 && req.secure);
  app.use(securityHeaders({ hsts: publicUrl?.protocol === "https:" }));
  app.use(refuseMalformedUrls());
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...opts.limits };
  app.use(uploadSlots(limits, (req) => clientIp(req, hops)));

  // Fingerprinted build assets never change; everything else in build/client briefly cached.
  const clientDir = path.join(buildDir, "client");
  app.use(
    "/assets",
    express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  app.use(express.static(clientDir, { maxAge: "1h", index: false }));

  // Media by id, before the auth middleware (no cookies on cacheable public bytes). Avatars are
  // public; other kinds are served by the routes that own them, with their own access checks.
  app.get("/media/:id", async (req: Request, res: Response, next: NextFunction) => {
    try {
      const record = await getMediaRecord(pool, String(req.params.id));
      if (record?.kind !== "avatar") throw new RefusedError(404, "No such media.");
      const { stream, bytes } = await services.storage.open(record.id);
      res.setHeader("Content-Type", record.contentType);
      res.setHeader("Content-Length", String(bytes));
      res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      res.setHeader("Content-Disposition", "inline");
      res.setHeader("X-Content-Type-Options", "nosniff");
      stream.on("error", next).pipe(res);
    } catch (err) {
      next(err instanceof MediaNotFoundError ? new RefusedError(404, "No such media.") : err);
    }
  });

  // Provenance check of an uploaded file: stateless, no cookies, for the page and third parties.
  app.post("/verify", verifyHandler({ pool, maxBytes: opts.maxVerifyBytes ?? 50 * 1024 * 1024 }));

  // The public API: bearer API keys only, no cookies, no CSRF (web/http/api/router.ts).
  let generation: Promise<GenerationService> | undefined;
  const generationService = () => {
    generation ??= createGenerationService({ pool, databaseUrl: opts.databaseUrl });
    generation.catch(() => {
      generation = undefined;
    });
    return generation;
  };
  // The API's characters are cameos (shared/src/api/characters.server.ts): its own DBOS client.
  let cameoService: Promise<CameoService> | undefined;
  const cameos = () => {
    cameoService ??= createCameoService({
      pool,
      databaseUrl: opts.databaseUrl,
      secret: opts.authSecret,
    });
    cameoService.catch(() => {
      cameoService = undefined;
    });
    return cameoService;
  };
  let publish: Promise<PublishService> | undefined;
  const publishService = () => {
    publish ??= createPublishService({ pool, databaseUrl: opts.databaseUrl });
    publish.catch(() => {
      publish = undefined;
    });
    return publish;
  };
  app.use(
    "/v1",
    apiRouter({
      pool,
      generation: generationService,
      authSecret: opts.authSecret,
      publish: publishService,
      cameos,
    }),
  );

  // Who is asking: a live session, else the anonymous cookie that signed-out forms are bound to.
  app.use(async (req: AuthedRequest, res: Response, next: NextFunction) => {
    try {
      const cookies = parseCookies(req.headers.cookie);
      const secure = isSecure(req);
      const token = cookies.get(cookieName(SESSION_COOKIE, secure));
      const found = token ? await getSession(pool, token) : null;
      let auth: RequestAuth;
      if (found) {
        auth = {
          user: found.user,
          sessionToken: token!,
          csrfToken: sessionCsrfToken(found.session.csrfSecret),
        };
      } else {
        if (token)
          res.append("Set-Cookie", serializeCookie(SESSION_COOKIE, "", { secure, maxAge: 0 }));
        let anonId = verifyAnonCookie(
          opts.authSecret,
          cookies.get(cookieName(ANON_COOKIE, secure)),
        );
        if (!anonId) {
          const fresh = newAnonCookieValue(opts.authSecret);
          anonId = fresh.id;
          res.append("Set-Cookie", serializeCookie(ANON_COOKIE, fresh.value, { secure }));
        }
        auth = {
          user: null,
          sessionToken: null,
          csrfToken: anonCsrfToken(opts.authSecret, anonId),
        };
      }
      req.rh = { auth, clientIp: clientIp(req, hops), secure };
      next();
    } catch (err) {
      next(err);
    }
  });

  // Every mutation: same origin AND a valid CSRF token, else 403 with the reason.
  app.use(async (req: AuthedRequest, _res: Response, next: NextFunction) => {
    if (!isMutation(req.method)) return next();
    try {
      const expected = publicUrl?.origin ?? `${req.protocol}://${req.get("host")}`;
      checkSameOrigin(req, expected);
      req.rh!.body = await verifyCsrf(req, req.rh!.auth.csrfToken);
      next();
    } catch (err) {
      next(err);
    }
  });

  const handle = createRequestHandler(
    build,
    process.env.NODE_ENV === "development" ? "development" : "production",
  );
  app.all("/{*path}", async (req: AuthedRequest, res: Response, next: NextFunction) => {
    try {
      const context: AppLoadContext = {
        services,
        auth: req.rh!.auth,
        clientIp: req.rh!.clientIp,
        secure: req.rh!.secure,
        cspNonce: String(res.locals.cspNonce ?? ""),
      };
      const response = await handle(
        toWebRequest(req, res, req.rh?.body, publicUrl?.origin),
        context,
      );
      await sendWebResponse(req, res, response);
    } catch (err) {
      next(err);
    }
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof RefusedError ? err.status : 500;
    const message =
      err instanceof RefusedError ? err.message : "Something went wrong on our side. Try again.";
    // A body cut off by the client or by the request timeout (web/http/limits.ts) is not a
    // fault on our side: nobody is left to answer, and it is not logged as one.
    if (status === 500 && req.destroyed && isAborted(err)) return;
    if (status === 500) console.error("[web]", err);
    if (res.headersSent) return void res.end();
    if (!req.complete) res.setHeader("Connection", "close");
    res.status(status);
    if ((req.headers.accept ?? "").includes("text/html"))
      res.type("html").send(refusalPage(status, message));
    else res.type("text/plain").send(message);
    drainAfterResponse(req, res);
  });

  return {
    app,
    pool,
    services,
    limits,
    close: async () => {
      await services.notificationFeed.stop();
      await services.postCards.stop();
      services.mailer.close();
      if (generation) await (await generation.catch(() => null))?.close();
      if (publish) await (await publish.catch(() => null))?.close();
      if (cameoService) await (await cameoService.catch(() => null))?.close();
      await pool.end();
    },
  };
}

/**
 * The app's own Request conversion (as @react-router/express does), fed the CSRF-checked body. The
 * URL is on PUBLIC_URL's origin when set (what the browser sees behind a TLS terminator; React
 * Router compares it with the Origin of every action), else on the request's protocol and Host.
 */
function toWebRequest(
  req: Request,
  res: Response,
  body: Readable | undefined,
  publicOrigin: string | undefined,
): globalThis.Request {
  const url = new URL(
    req.originalUrl,
    publicOrigin ?? `${req.protocol}://${req.get("host") ?? "localhost"}`,
  );
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    if (Array.isArray(values)) for (const v of values) headers.append(key, v);
    else headers.set(key, values);
  }
  let controller: AbortController | null = new AbortController();
  const signal = controller.signal;
  res.on("finish", () => {
    controller = null;
  });
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal };
  if (isMutation(req.method)) {
    init.body = createReadableStreamFromReadable(body ?? req);
    init.duplex = "half";
  }
  return new globalThis.Request(url.href, init);
}

async function sendWebResponse(
  req: IncomingMessage,
  res: Response,
  response: globalThis.Response,
): Promise<void> {
  if (res.destroyed || res.writableEnded) {
    await response.body?.cancel();
    return;
  }
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  // An action that answered before reading the whole body (e.g. 413 mid-upload) closes the
  // connection after the response rather than waiting for the rest of the upload.
  if (!req.complete && isMutation(req.method ?? "GET")) res.setHeader("Connection", "close");
  if (response.body) {
    try {
      await writeReadableStreamToWritable(response.body, res);
    } catch (err) {
      // The client went away mid-body (a closed tab's event stream, a video range request the
      // player dropped): the stream is cancelled, and there is no one to answer and nothing wrong
      // on our side, so it is not logged as a server error.
      if (res.destroyed) return;
      throw err;
    }
  } else res.end();
  drainAfterResponse(req, res);
}

/** Discards whatever of the request body is left once the response is out (bounded by time). */
function drainAfterResponse(req: IncomingMessage, res: Response): void {
  if (req.complete) return;
  const done = () => {
    req.unpipe();
    req.resume();
    setTimeout(() => req.destroy(), 5000).unref();
  };
  if (res.writableFinished) done();
  else res.once("finish", done);
}

function isAborted(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e) return false;
  if (e.code === "ECONNRESET" || e.code === "ERR_STREAM_PREMATURE_CLOSE" || e.message === "aborted")
    return true;
  return e.cause !== undefined && e.cause !== err && isAborted(e.cause);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refusalPage(status: number, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status} · Reelhouse</title>
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0b0d12;color:#e8eaf0;font:16px/1.5 system-ui,sans-serif}main{max-width:32rem;padding:2rem;border:1px solid #262b38;border-radius:16px;background:#12151d}h1{margin:0 0 .5rem;font-size:1.25rem}a{color:#9db4ff}</style>
</head><body><main><h1>${status === 403 ? "Request refused" : status === 413 ? "Too large" : status === 400 ? "Bad request" : "Something went wrong"}</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to Reelhouse</a></p></main></body></html>`;
}

/** Listens per env(); SIGTERM/SIGINT close the server and the pool. */
export async function main(): Promise<void> {
  const e = env();
  if (!e.DATABASE_URL)
    throw new Error("DATABASE_URL is not set. Start the app with `npm start`, which provides it.");
  const { app, pool, limits, close } = await createApp({
    databaseUrl: e.DATABASE_URL,
    authSecret: loadOrCreateSecret(dataDir(), e.AUTH_SECRET),
    publicUrl: e.PUBLIC_URL,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    inviteOnlyDefault: e.INVITE_ONLY,
    maxPhotoBytes: e.MAX_PHOTO_BYTES,
    maxVerifyBytes: e.MAX_UPLOAD_BYTES,
    limits: {
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: Math.min(e.HEADERS_TIMEOUT_MS, e.REQUEST_TIMEOUT_MS),
      maxUploadsPerClient: e.MAX_UPLOADS_PER_IP,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
  });
  const server: Server = createHttpServer(app, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(e.PORT, e.HOST, () => resolve());
  });
  // Housekeeping: expired sessions and auth attempts older than any rate-limit window.
  const housekeeping = setInterval(
    () => {
      void deleteExpiredSessions(pool).catch(() => {});
      void pruneAttempts(pool).catch(() => {});
      void pruneRateWindows(pool).catch(() => {});
    },
    60 * 60 * 1000,
  );
  housekeeping.unref();
  const { port } = server.address() as AddressInfo;
  console.log(`[web] listening on http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${port}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[web] ${signal}: closing`);
    server.close(() => void close().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, 5000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[web] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
