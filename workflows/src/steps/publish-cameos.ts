import { CameoError } from "@reelhouse/shared/cameos/errors";
import {
  draftCameoIds,
  notifyAwaitingReview,
  requirePublishConsent,
} from "@reelhouse/shared/cameos/reviews.server";
import type { PoolClient } from "@reelhouse/shared/db/pool.server";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { stepPool } from "./context.ts";

/** A cameo refusal as a permanent workflow failure (never retried), with the owner-facing reason. */
export function asWorkflowError(err: unknown): unknown {
  return err instanceof CameoError ? new GenerationError(err.code, err.message, false) : err;
}

/**
 * The early cameo check of publishing: every cameo the draft casts still exists, its owner still
 * lets the maker and the publisher cast it, and approved this exact version. Owners whose review is
 * missing are told the draft waits for them. The same check runs again inside the feed insert's
 * transaction (`cameoGate`), which is the one that counts: this one fails fast before renditions.
 */
export async function cameoApprovalStep(
  draftId: string,
  publisherId: string,
): Promise<{ cameos: string[]; log: string }> {
  const pool = stepPool();
  const ids = await draftCameoIds(pool, draftId);
  if (ids.length > 0) await notifyAwaitingReview(pool, draftId);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { cameos } = await requirePublishConsent(client, draftId, publisherId);
    const log = cameos.length
      ? `cameo approvals: ${cameos.map((c) => `@${c}`).join(", ")} approved draft ${draftId}`
      : `cameo approvals: no cameos in draft ${draftId}; no approvals needed`;
    console.log(
      JSON.stringify({
        at: new Date().toISOString(),
        event: "publish.cameos",
        draftId,
        cameos: cameos.length,
        log,
      }),
    );
    return { cameos, log };
  } catch (err) {
    throw asWorkflowError(err);
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.release();
  }
}

/** The gate inside the feed insert's transaction (see insertPostStep). */
export function cameoGate(draftId: string, publisherId: string) {
  return async (c: PoolClient) => {
    try {
      await requirePublishConsent(c, draftId, publisherId);
    } catch (err) {
      throw asWorkflowError(err);
    }
  };
}
