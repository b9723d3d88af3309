import { DBOS } from "@dbos-inc/dbos-sdk";
import { WEBHOOK_MAX_ATTEMPTS, webhookBackoffMs } from "@reelhouse/shared/api/webhook-signature";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { dbRetry } from "./retry.ts";
import { attemptDelivery, queueDeliveries } from "./steps/webhooks.ts";

/**
 * Webhooks of the Videos API. `notifyWebhooks` runs at the end of a `generate` or
 * `renderStoryboard` workflow: one step writes the finished video's deliveries (nothing when the
 * job is not an API video or the workspace has no endpoint), then it starts one `deliverWebhook`
 * workflow per delivery, its id `wh:<delivery id>`, so a recovered parent never starts a second.
 * `deliverWebhook` tries, sleeps durably (DBOS.sleep survives restarts) with growing backoff, and
 * tries again until the endpoint answers 2xx or WEBHOOK_MAX_ATTEMPTS are spent.
 */

async function deliverWebhook(deliveryId: string, retryBaseMs: number): Promise<boolean> {
  for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt++) {
    // No step-level retries: a failed attempt is recorded and retried here, after the backoff.
    const result = await DBOS.runStep(() => attemptDelivery(deliveryId), {
      name: "attemptDelivery",
    });
    if (result.done) return result.attempts <= WEBHOOK_MAX_ATTEMPTS;
    await DBOS.sleep(webhookBackoffMs(attempt, retryBaseMs));
  }
  return false;
}

export const deliverWebhookWorkflow = DBOS.registerWorkflow(deliverWebhook, {
  name: WORKFLOWS.deliverWebhook,
  inputSchema: z.tuple([z.string().uuid(), z.number().int().positive()]),
  maxRecoveryAttempts: 50,
});

/** Called by the generation workflows once the job row has its final status. */
export async function notifyWebhooks(workflowId: string): Promise<void> {
  const queued = await DBOS.runStep(() => queueDeliveries(workflowId), {
    name: "queueWebhooks",
    ...dbRetry,
  });
  for (const id of queued.ids) {
    await DBOS.startWorkflow(deliverWebhookWorkflow, { workflowID: `wh:${id}` })(
      id,
      queued.retryBaseMs,
    );
  }
}
