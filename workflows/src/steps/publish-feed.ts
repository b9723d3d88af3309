import {
  notify,
  notifyFollowersOfPost,
  notifyMentionsOfPost,
} from "@reelhouse/shared/social/notifications.server";
import type { PublishSource } from "@reelhouse/shared/social/posts.server";
import { insertPost } from "@reelhouse/shared/social/posts.server";
import type { PublishInput } from "@reelhouse/shared/social/publish.server";
import { stepPool } from "./context.ts";
import { cameoGate } from "./publish-cameos.ts";
import type { PublishMedia } from "./publish-media.ts";

/**
 * Inserts the post: idempotent on the workflow id (a retry or recovery returns the same post). The
 * cameo gate runs in the same transaction, so a revocation after the render blocks the post.
 */
export async function insertPostStep(
  input: PublishInput,
  source: PublishSource,
  media: PublishMedia,
): Promise<{ postId: string; created: boolean }> {
  return insertPost(
    stepPool(),
    {
      workflowId: input.workflowId,
      authorId: input.userId,
      req: input.req,
      source: { ...source, width: media.width, height: media.height },
      videoPath: media.videoPath,
      posterPath: media.posterPath,
      downloadPath: media.downloadPath,
    },
    cameoGate(source.draftId, input.userId),
  );
}

/** Followers, @mentioned people and the remix original's owner hear about it, once each. */
export async function notifyPublishStep(
  input: PublishInput,
  postId: string,
): Promise<{ followers: number; mentions: number; remix: boolean }> {
  const pool = stepPool();
  const followers = await notifyFollowersOfPost(pool, postId, input.userId);
  const mentions = await notifyMentionsOfPost(pool, postId, input.userId);
  let remix = false;
  if (input.req.remixOf) {
    const o = await pool.query<{ author_id: string }>(
      "SELECT author_id FROM posts WHERE id = $1 AND status = 'published'",
      [input.req.remixOf],
    );
    const owner = o.rows[0]?.author_id;
    if (owner) {
      remix = await notify(pool, {
        userId: owner,
        actorId: input.userId,
        kind: "remix",
        payload: { postId: input.req.remixOf, remixId: postId },
        dedupeKey: `remix:${postId}`,
      });
    }
  }
  return { followers, mentions, remix };
}

export async function setPublishStage(
  workflowId: string,
  patch: {
    status?: "running" | "succeeded" | "failed";
    stage: string;
    postId?: string;
    errorCode?: string;
    error?: string;
  },
): Promise<void> {
  await stepPool().query(
    `UPDATE publish_jobs SET status = coalesce($2, status), stage = $3, post_id = coalesce($4, post_id),
            error_code = coalesce($5, error_code), error = coalesce($6, error)
      WHERE workflow_id = $1`,
    [
      workflowId,
      patch.status ?? null,
      patch.stage,
      patch.postId ?? null,
      patch.errorCode ?? null,
      patch.error ?? null,
    ],
  );
}
