import { createCharactersApi } from "@reelhouse/shared/api/characters.server";
import { ApiError } from "@reelhouse/shared/api/errors";
import {
  type ApiPrincipal,
  authenticateKey,
  bearerToken,
  chargeRequest,
} from "@reelhouse/shared/api/keys.server";
import { OPERATIONS, openApiDocument } from "@reelhouse/shared/api/openapi";
import { createVideosApi, type VideosApi } from "@reelhouse/shared/api/videos.server";
import type { CameoService } from "@reelhouse/shared/cameos/service.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import type { GenerationService } from "@reelhouse/shared/generation/service.server";
import express, { type NextFunction, type Request, type Response } from "express";
import { readApiBody } from "./body.ts";
import { renderReference } from "./reference.ts";
import { addRestRoutes, type RestRoutesOptions } from "./rest.ts";
import { sendDataFile } from "./send-file.ts";

/**
 * The public API under /v1, mounted by web/server.ts BEFORE the cookie session and CSRF
 * middleware: a request here is authenticated by its bearer API key only (cookies are never read,
 * so a browser cannot be tricked into calling it, and CSRF does not apply). Every request is
 * charged against its key's per-minute limit before its body is read. Errors answer in OpenAI's
 * shape (shared/src/api/errors.ts). Routes are thin: the work is in shared/src/api/.
 */

type ApiRequest = Request & { principal?: ApiPrincipal };

export interface ApiRouterOptions extends Omit<RestRoutesOptions, "pool"> {
  pool: Pool;
  /** Created on first use (it opens a DBOS client). */
  generation: () => Promise<GenerationService>;
  /** Created on first use too: characters are cameos (shared/src/api/characters.server.ts). */
  cameos?: () => Promise<CameoService>;
}

const handler =
  (fn: (req: ApiRequest, res: Response) => Promise<void>) =>
  (req: ApiRequest, res: Response, next: NextFunction) =>
    void fn(req, res).catch(next);

const principal = (req: ApiRequest) => req.principal!;
const idempotencyKey = (req: Request) => {
  const v = req.get("idempotency-key");
  return v && v.length <= 200 ? v : undefined;
};

export function apiRouter(opts: ApiRouterOptions): express.Router {
  const router = express.Router();
  const characters = createCharactersApi({
    pool: opts.pool,
    cameos:
      opts.cameos ??
      (() => Promise.reject(new ApiError(501, "not_implemented", "Characters are not set up."))),
  });
  let videos: Promise<VideosApi> | undefined;
  const videosApi = () => {
    videos ??= opts
      .generation()
      .then((generation) => createVideosApi({ pool: opts.pool, generation, characters }));
    videos.catch(() => {
      videos = undefined;
    });
    return videos;
  };
  const maxFileBytes = () => env().MAX_UPLOAD_BYTES;

  router.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  // The API's description, public (no key): generated from the schemas the routes validate with.
  const document = openApiDocument("/v1");
  const reference = renderReference(document, OPERATIONS);
  router.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.get("/docs", (_req, res) => {
    res.type("html").send(reference);
  });

  // Authentication and the rate limit, for every route below.
  router.use((req: ApiRequest, _res, next) => {
    authenticateKey(opts.pool, bearerToken(req.get("authorization")))
      .then(async (p) => {
        req.principal = p;
        await chargeRequest(opts.pool, p);
        next();
      })
      .catch(next);
  });

  router.post(
    "/videos",
    handler(async (req, res) => {
      const body = await readApiBody(req, {
        files: ["input_reference"],
        maxFileBytes: maxFileBytes(),
      });
      if (body.fields.input_reference !== undefined)
        throw new ApiError(
          400,
          "unsupported_reference",
          "input_reference must be an uploaded image file; URLs and file ids are not fetched by this server.",
          "input_reference",
        );
      const image = body.files.get("input_reference")?.bytes;
      const video = await (await videosApi()).create(principal(req), body.fields, {
        image,
        idempotencyKey: idempotencyKey(req),
      });
      res.status(200).json(video);
    }),
  );

  router.get(
    "/videos",
    handler(async (req, res) => {
      res.json(await (await videosApi()).list(principal(req), req.query));
    }),
  );

  router.post(
    "/videos/extensions",
    handler(async (req, res) => {
      const body = await readApiBody(req, { files: [], maxFileBytes: 0 });
      res.json(
        await (await videosApi()).extend(principal(req), body.fields, {
          idempotencyKey: idempotencyKey(req),
        }),
      );
    }),
  );

  router.post(
    "/videos/edits",
    handler(async (req, res) => {
      const body = await readApiBody(req, { files: ["video"], maxFileBytes: maxFileBytes() });
      if (body.files.has("video"))
        throw new ApiError(
          400,
          "unsupported_source",
          "Editing an uploaded video is not offered: send video[id], the id of a completed video of this workspace.",
          "video",
        );
      res.json(
        await (await videosApi()).edit(principal(req), body.fields, {
          idempotencyKey: idempotencyKey(req),
        }),
      );
    }),
  );

  router.post(
    "/videos/characters",
    handler(async (req, res) => {
      const body = await readApiBody(req, { files: ["video"], maxFileBytes: maxFileBytes() });
      res.json(
        await characters.create(principal(req), body.fields, body.files.get("video")?.bytes),
      );
    }),
  );
  router.get(
    "/videos/characters/:id",
    handler(async (req, res) => {
      res.json(await characters.retrieve(principal(req), String(req.params.id)));
    }),
  );

  router.get(
    "/videos/:id",
    handler(async (req, res) => {
      res.json(await (await videosApi()).retrieve(principal(req), String(req.params.id)));
    }),
  );

  router.delete(
    "/videos/:id",
    handler(async (req, res) => {
      res.json(await (await videosApi()).remove(principal(req), String(req.params.id)));
    }),
  );

  router.get(
    "/videos/:id/content",
    handler(async (req, res) => {
      const file = await (await videosApi()).content(
        principal(req),
        String(req.params.id),
        req.query,
      );
      await sendDataFile(res, file, "video");
    }),
  );

  router.post(
    "/videos/:id/remix",
    handler(async (req, res) => {
      const body = await readApiBody(req, { files: [], maxFileBytes: 0 });
      res.json(
        await (await videosApi()).remix(principal(req), String(req.params.id), body.fields, {
          idempotencyKey: idempotencyKey(req),
        }),
      );
    }),
  );

  // Workspaces, projects, documents, drafts, publishing, collab tokens (rest.ts).
  addRestRoutes(router, opts);

  router.use((req: Request, _res: Response, next: NextFunction) => {
    next(
      new ApiError(
        404,
        "unknown_route",
        `Unknown API route: ${req.method} ${req.baseUrl}${req.path}.`,
      ),
    );
  });

  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return void res.end();
    const apiErr = err instanceof ApiError ? err : null;
    if (!apiErr) console.error("[web] /v1", err);
    if (!req.complete) {
      res.setHeader("Connection", "close");
      req.resume();
    }
    if (apiErr?.retryAfter) res.setHeader("Retry-After", String(apiErr.retryAfter));
    res.status(apiErr?.status ?? 500).json(
      apiErr?.toJSON() ?? {
        error: {
          message: "Something went wrong on our side. Try again.",
          type: "server_error",
          param: null,
          code: "internal_error",
        },
      },
    );
  });

  return router;
}
