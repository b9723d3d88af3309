import { createHash } from "node:crypto";
import {
  WEBHOOK_MAX_ATTEMPTS,
  type WebhookEvent,
  webhookHeaders,
} from "@reelhouse/shared/api/webhook-signature";
import { endpointSecret } from "@reelhouse/shared/api/webhooks.server";
import { env } from "@reelhouse/shared/env.server";
import { stepPool } from "./context.ts";

/**
 * The side effects of webhooks: writing a finished API video's deliveries (once per event and
 * endpoint, UNIQUE in the table), and one HTTP attempt of one delivery, signed per Standard
 * Webhooks and recorded in the delivery log. Both are safe to repeat: a worker killed during an
 * attempt repeats that attempt with the same webhook-id, which receivers de-duplicate on.
 */

export interface QueuedDeliveries {
  ids: string[];
  retryBaseMs: number;
}

export async function queueDeliveries(workflowId: string): Promise<QueuedDeliveries> {
  const pool = stepPool();
  const retryBaseMs = env().WEBHOOK_RETRY_BASE_MS;
  const r = await pool.query<{ id: string; workspace_id: string; status: string }>(
    `SELECT v.id, v.workspace_id, j.status FROM api_videos v
       JOIN generation_jobs j ON j.workflow_id = v.workflow_id WHERE v.workflow_id = $1`,
    [workflowId],
  );
  const video = r.rows[0];
  if (!video || (video.status !== "succeeded" && video.status !== "failed"))
    return { ids: [], retryBaseMs };
  const type: WebhookEvent = video.status === "succeeded" ? "video.completed" : "video.failed";
  const eventId = `evt_${createHash("sha256").update(`${video.id}:${type}`).digest("hex").slice(0, 32)}`;
  // OpenAI's event shape (what `openai.webhooks.unwrap` returns): data carries the video id.
  const payload = {
    id: eventId,
    object: "event",
    type,
    created_at: Math.floor(Date.now() / 1000),
    data: { id: video.id },
  };
  await pool.query(
    `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, video_id, payload)
     SELECT e.id, $2, $3, $4, $5 FROM webhook_endpoints e
      WHERE e.workspace_id = $1 AND e.disabled_at IS NULL AND $3 = ANY (e.events)
     ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [video.workspace_id, eventId, type, video.id, JSON.stringify(payload)],
  );
  const ids = await pool.query<{ id: string }>(
    "SELECT id FROM webhook_deliveries WHERE event_id = $1 ORDER BY id",
    [eventId],
  );
  return { ids: ids.rows.map((x) => x.id), retryBaseMs };
}

export interface AttemptResult {
  /** Acknowledged (2xx), or nothing left to do (already delivered/failed, endpoint gone). */
  done: boolean;
  attempts: number;
}

export async function attemptDelivery(deliveryId: string): Promise<AttemptResult> {
  const pool = stepPool();
  const r = await pool.query<{
    status: string;
    attempts: number;
    event_id: string;
    payload: unknown;
    url: string;
    endpoint_id: string;
    secret: string | null;
    secret_sealed: string | null;
    disabled_at: Date | null;
  }>(
    `SELECT d.status, d.attempts, d.event_id, d.payload, e.url, e.id AS endpoint_id, e.secret,
            e.secret_sealed, e.disabled_at
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`,
    [deliveryId],
  );
  const row = r.rows[0];
  if (row?.status !== "pending" || row.disabled_at)
    return { done: true, attempts: row?.attempts ?? 0 };
  const body = JSON.stringify(row.payload);
  const secret = await endpointSecret({
    id: row.endpoint_id,
    secret: row.secret,
    secret_sealed: row.secret_sealed,
  });
  const headers = webhookHeaders(secret, row.event_id, Math.floor(Date.now() / 1000), body);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(row.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(env().WEBHOOK_TIMEOUT_MS),
    });
    statusCode = res.status;
    await res.body?.cancel().catch(() => {});
    if (res.status < 200 || res.status >= 300) error = `The endpoint answered ${res.status}.`;
  } catch (err) {
    const e = err as Error;
    error =
      e.name === "TimeoutError"
        ? `No answer within ${env().WEBHOOK_TIMEOUT_MS / 1000} s.`
        : `Could not reach the endpoint: ${(e.cause as Error | undefined)?.message ?? e.message}`;
  }
  const delivered = error === null;
  const u = await pool.query<{ attempts: number }>(
    `UPDATE webhook_deliveries
        SET attempts = attempts + 1, last_status_code = $2, last_error = $3, last_attempt_at = now(),
            status = CASE WHEN $4 THEN 'delivered'
                          WHEN attempts + 1 >= $5 THEN 'failed' ELSE status END,
            delivered_at = CASE WHEN $4 THEN now() ELSE delivered_at END
      WHERE id = $1 AND status = 'pending' RETURNING attempts`,
    [deliveryId, statusCode, error, delivered, WEBHOOK_MAX_ATTEMPTS],
  );
  const attempts = u.rows[0]?.attempts ?? row.attempts + 1;
  return { done: delivered || attempts >= WEBHOOK_MAX_ATTEMPTS, attempts };
}
