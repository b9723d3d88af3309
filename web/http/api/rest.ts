import type { ApiPrincipal } from "@reelhouse/shared/api/keys.server";
import { createCollabApi } from "@reelhouse/shared/api/rest/collab.server";
import { createDocumentsApi } from "@reelhouse/shared/api/rest/documents.server";
import { createDraftsApi } from "@reelhouse/shared/api/rest/drafts.server";
import { createProjectsApi } from "@reelhouse/shared/api/rest/projects.server";
import { createPublishingApi } from "@reelhouse/shared/api/rest/publishing.server";
import { createWorkspacesApi } from "@reelhouse/shared/api/rest/workspaces.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import type { PublishService } from "@reelhouse/shared/social/publish.server";
import type { NextFunction, Request, Response, Router } from "express";
import { readApiBody } from "./body.ts";
import { sendDataFile } from "./send-file.ts";

/**
 * The REST routes beyond videos (shared/src/api/rest/operations.ts documents them), added to the
 * /v1 router after its key check and rate limit. Thin: each route reads its body and calls the
 * resource module in shared/src/api/rest/, which parses, scopes and checks access.
 */

export interface RestRoutesOptions {
  pool: Pool;
  /** Signs collab tokens (AUTH_SECRET, as the project page's token route does). */
  authSecret: string;
  /** The app's publish service (the one the publish page uses), created on first use. */
  publish: () => Promise<PublishService>;
}

type ApiRequest = Request & { principal?: ApiPrincipal };
const me = (req: ApiRequest) => req.principal!;
const param = (req: Request, name: string) => String(req.params[name]);

const route =
  (fn: (req: ApiRequest, res: Response) => Promise<unknown>) =>
  (req: ApiRequest, res: Response, next: NextFunction) =>
    void fn(req, res)
      .then((body) => {
        if (body !== undefined) res.json(body);
      })
      .catch(next);

const body = async (req: Request) =>
  (await readApiBody(req, { files: [], maxFileBytes: 0 })).fields;

/** The browser-facing collab URL, as web/app/utils/collab.server.ts collabUrl computes it. */
function collabUrl(req: Request): string {
  const e = env();
  if (e.PUBLIC_COLLAB_URL) return e.PUBLIC_COLLAB_URL;
  return `${req.secure ? "wss" : "ws"}://${req.hostname}:${e.COLLAB_PORT}`;
}

export function addRestRoutes(router: Router, opts: RestRoutesOptions): void {
  const { pool } = opts;
  const workspaces = createWorkspacesApi(pool);
  const projects = createProjectsApi(pool);
  const documents = createDocumentsApi(pool);
  const drafts = createDraftsApi(pool);
  const publishing = createPublishingApi(pool, opts.publish);
  const collab = createCollabApi({ pool, authSecret: opts.authSecret });

  router.get(
    "/workspaces",
    route((req) => workspaces.list(me(req))),
  );
  router.get(
    "/workspaces/:id",
    route((req) => workspaces.retrieve(me(req), param(req, "id"))),
  );
  router.get(
    "/workspaces/:id/members",
    route((req) => workspaces.members(me(req), param(req, "id"))),
  );

  router.get(
    "/projects",
    route((req) => projects.list(me(req))),
  );
  router.post(
    "/projects",
    route(async (req) => projects.create(me(req), await body(req))),
  );
  router.get(
    "/projects/:id",
    route((req) => projects.retrieve(me(req), param(req, "id"))),
  );
  router.patch(
    "/projects/:id",
    route(async (req) => projects.update(me(req), param(req, "id"), await body(req))),
  );
  router.delete(
    "/projects/:id",
    route((req) => projects.remove(me(req), param(req, "id"))),
  );

  router.get(
    "/projects/:id/prompt",
    route((req) => documents.getPrompt(me(req), param(req, "id"))),
  );
  router.put(
    "/projects/:id/prompt",
    route(async (req) => documents.setPrompt(me(req), param(req, "id"), await body(req))),
  );
  router.get(
    "/projects/:id/storyboard",
    route((req) => documents.getStoryboard(me(req), param(req, "id"))),
  );
  router.put(
    "/projects/:id/storyboard",
    route(async (req) => documents.replaceStoryboard(me(req), param(req, "id"), await body(req))),
  );
  router.post(
    "/projects/:id/storyboard/shots",
    route(async (req) => documents.addShot(me(req), param(req, "id"), await body(req))),
  );
  router.post(
    "/projects/:id/collab-token",
    route((req) => collab.token(me(req), param(req, "id"), collabUrl(req))),
  );

  router.get(
    "/projects/:id/drafts",
    route((req) => drafts.list(me(req), param(req, "id"), req.query)),
  );
  router.get(
    "/drafts/:id",
    route((req) => drafts.retrieve(me(req), param(req, "id"))),
  );
  router.patch(
    "/drafts/:id",
    route(async (req) => drafts.update(me(req), param(req, "id"), await body(req))),
  );
  router.delete(
    "/drafts/:id",
    route((req) => drafts.remove(me(req), param(req, "id"))),
  );
  router.get(
    "/drafts/:id/content",
    route(async (req, res) => {
      const file = await drafts.content(me(req), param(req, "id"), req.query);
      await sendDataFile(res, file, "draft");
      return undefined;
    }),
  );
  router.post(
    "/drafts/:id/publish",
    route(async (req) => publishing.publish(me(req), param(req, "id"), await body(req))),
  );
  router.get(
    "/drafts/:id/publish",
    route((req) => publishing.status(me(req), param(req, "id"))),
  );
}
