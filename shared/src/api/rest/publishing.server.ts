import type { z } from "zod";
import type { Pool } from "../../db/pool.server.ts";
import {
  type PublishJobView,
  type PublishService,
  publishWorkflowId,
} from "../../social/publish.server.ts";
import { type ApiPrincipal, requireScope } from "../keys.server.ts";
import { parse } from "../videos.server.ts";
import { domain, requireOwnDraft } from "./access.server.ts";
import { type publishJobSchema, publishSchema } from "./schemas.ts";

/**
 * Publishing a draft to the feed over REST: exactly the app's publish path. The request goes to
 * PublishService.submit (social/publish.server.ts), the function the publish page's form calls,
 * which checks the role and the workspace's review rules (approval required, who may publish a
 * teammate's draft) and enqueues the durable `publish` workflow; that workflow runs the same
 * caption safety check, cameo consent and approvals, renditions and watermark as for the UI. The
 * job's id is `publish:<draft id>`, so publishing twice returns the same job.
 */

type PublishJob = z.infer<typeof publishJobSchema>;

const toJob = (draftId: string, j: PublishJobView): PublishJob => ({
  id: j.workflowId,
  object: "publish_job",
  draft_id: draftId,
  status: j.status,
  stage: j.stage,
  error:
    j.status === "failed"
      ? { code: j.errorCode ?? "publish_failed", message: j.error ?? "Publishing failed." }
      : null,
  post_id: j.postId,
});

export function createPublishingApi(pool: Pool, service: () => Promise<PublishService>) {
  return {
    async publish(p: ApiPrincipal, draftId: string, raw: unknown): Promise<PublishJob> {
      requireScope(p, "posts:write");
      const body = parse(publishSchema, raw);
      await requireOwnDraft(pool, p, draftId);
      const svc = await service();
      const { job } = await domain(() =>
        svc.submit(p.userId, {
          draftId,
          caption: body.caption,
          audience: body.audience,
          allowRemix: body.allow_remix,
          remixOf: body.remix_of,
        }),
      );
      return toJob(draftId, job);
    },

    async status(p: ApiPrincipal, draftId: string): Promise<PublishJob> {
      requireScope(p, "workspace:read");
      await requireOwnDraft(pool, p, draftId);
      const svc = await service();
      return toJob(draftId, await domain(() => svc.get(p.userId, publishWorkflowId(draftId))));
    },
  };
}
export type PublishingApi = ReturnType<typeof createPublishingApi>;
