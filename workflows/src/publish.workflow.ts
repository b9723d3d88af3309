import { DBOS } from "@dbos-inc/dbos-sdk";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { publishRequestSchema } from "@reelhouse/shared/social/posts.server";
import type { PublishInput } from "@reelhouse/shared/social/publish.server";
import { z } from "zod";
import { dbRetry, describeFailure, isCancellation, mediaRetry, noRetry } from "./retry.ts";
import { cameoApprovalStep } from "./steps/publish-cameos.ts";
import { publishChecksStep } from "./steps/publish-checks.ts";
import { insertPostStep, notifyPublishStep, setPublishStage } from "./steps/publish-feed.ts";
import { publishMediaStep } from "./steps/publish-media.ts";

/**
 * `publish`: a draft becomes a post. Orchestration only; every side effect is a named step:
 * checks (permission + caption safety) → cameo consent and approvals (again inside the insert) → renditions,
 * poster and watermarked download (ffmpeg) → insert into the feed (idempotent on the workflow id,
 * `publish:<draft id>`) → notify followers, mentions and the remix original's owner.
 */

export interface PublishResult {
  postId: string;
  created: boolean;
}

const stage = (workflowId: string, name: string) =>
  DBOS.runStep(() => setPublishStage(workflowId, { status: "running", stage: name }), {
    name: `stage:${name}`,
    ...dbRetry,
  });

async function publish(input: PublishInput): Promise<PublishResult> {
  const id = input.workflowId;
  try {
    await stage(id, "checking");
    const source = await DBOS.runStep(() => publishChecksStep(input), {
      name: "checks",
      ...noRetry,
    });
    await stage(id, "cameos");
    await DBOS.runStep(() => cameoApprovalStep(source.draftId, input.userId), {
      name: "cameoApprovals",
      ...noRetry,
    });
    await stage(id, "renditions");
    const media = await DBOS.runStep(
      () =>
        publishMediaStep({
          draftId: source.draftId,
          userId: input.userId,
          sourcePath: source.videoPath,
          remixOf: input.req.remixOf,
        }),
      {
        name: "renditions",
        ...mediaRetry,
      },
    );
    await stage(id, "posting");
    const post = await DBOS.runStep(() => insertPostStep(input, source, media), {
      name: "insertPost",
      ...dbRetry,
    });
    await stage(id, "notifying");
    await DBOS.runStep(() => notifyPublishStep(input, post.postId), { name: "notify", ...dbRetry });
    await DBOS.runStep(
      () => setPublishStage(id, { status: "succeeded", stage: "done", postId: post.postId }),
      {
        name: "markSucceeded",
        ...dbRetry,
      },
    );
    return post;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const { code, message } = describeFailure(err);
    await DBOS.runStep(
      () =>
        setPublishStage(id, { status: "failed", stage: "failed", errorCode: code, error: message }),
      {
        name: "markFailed",
        ...dbRetry,
      },
    );
    throw err;
  }
}

export const publishWorkflow = DBOS.registerWorkflow(publish, {
  name: WORKFLOWS.publish,
  inputSchema: z.tuple([
    z.object({
      userId: z.string().uuid(),
      workflowId: z.string().min(1),
      req: publishRequestSchema,
    }),
  ]),
  maxRecoveryAttempts: 10,
});
