import { randomUUID } from "node:crypto";
import { z } from "zod";
import { appSecret, open, seal } from "../crypto/sealed.server.ts";
import type { Pool } from "../db/pool.server.ts";
import { isUuid, memberRole } from "../workspaces/db.server.ts";
import { atLeast } from "../workspaces/roles.ts";
import { ApiKeyRefusal } from "./keys.server.ts";
import { newWebhookSecret, WEBHOOK_EVENTS, type WebhookEvent } from "./webhook-signature.ts";

/**
 * Webhook endpoints of a workspace (editors and owners manage them) and their delivery log. The
 * deliveries themselves are written and sent by the worker (workflows/src/webhooks.workflow.ts).
 */

export const createEndpointSchema = z.object({
  url: z
    .string()
    .trim()
    .url("Enter the full URL of your endpoint, e.g. https://example.com/hooks/reelhouse.")
    .max(2000, "The URL can be at most 2000 characters.")
    .refine((u) => /^https?:\/\//i.test(u), "The URL must start with https:// or http://."),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { message: `Events are ${WEBHOOK_EVENTS.join(", ")}.` }))
    .min(1, "Choose at least one event.")
    .default([...WEBHOOK_EVENTS]),
});

export interface EndpointView {
  id: string;
  workspaceId: string;
  workspaceName: string;
  url: string;
  events: WebhookEvent[];
  createdAt: Date;
}

export interface DeliveryView {
  id: string;
  endpointUrl: string;
  eventId: string;
  eventType: string;
  videoId: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
}

async function requireEditor(pool: Pool, userId: string, workspaceId: string) {
  const role = await memberRole(pool, userId, workspaceId);
  if (!role) throw new ApiKeyRefusal(404, "No such workspace.", "workspaceId");
  if (!atLeast(role, "editor"))
    throw new ApiKeyRefusal(403, `Only editors and owners manage webhooks; you are a ${role}.`);
}

/** Adds an endpoint; returns its signing secret (shown to the person who made it). */
export async function createEndpoint(
  pool: Pool,
  userId: string,
  workspaceId: string,
  raw: unknown,
): Promise<{ endpoint: EndpointView; secret: string }> {
  const parsed = createEndpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiKeyRefusal(400, issue.message, String(issue.path[0] ?? "form"));
  }
  await requireEditor(pool, userId, workspaceId);
  const secret = newWebhookSecret();
  // Sealed at rest (AES-256-GCM, key from AUTH_SECRET), bound to the endpoint's id.
  const id = randomUUID();
  const r = await pool.query<{ id: string }>(
    `INSERT INTO webhook_endpoints (id, workspace_id, created_by, url, secret_sealed, events)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      id,
      workspaceId,
      userId,
      parsed.data.url,
      seal(await appSecret(), "webhook-secret", secret, id),
      [...new Set(parsed.data.events)],
    ],
  );
  const endpoint = (await listEndpoints(pool, userId)).find((e) => e.id === r.rows[0]!.id)!;
  return { endpoint, secret };
}

/** Endpoints of the workspaces where the person is an editor or owner. */
export async function listEndpoints(pool: Pool, userId: string): Promise<EndpointView[]> {
  const r = await pool.query(
    `SELECT e.id, e.workspace_id, w.name AS workspace_name, e.url, e.events, e.created_at
       FROM webhook_endpoints e
       JOIN workspaces w ON w.id = e.workspace_id
       JOIN workspace_members m ON m.workspace_id = e.workspace_id AND m.user_id = $1
      WHERE e.disabled_at IS NULL AND m.role IN ('owner', 'editor')
      ORDER BY e.created_at DESC`,
    [userId],
  );
  return r.rows.map((e) => ({
    id: e.id,
    workspaceId: e.workspace_id,
    workspaceName: e.workspace_name,
    url: e.url,
    events: e.events,
    createdAt: e.created_at,
  }));
}

/** Stops deliveries to an endpoint (pending ones end at their next attempt). */
export async function disableEndpoint(pool: Pool, userId: string, endpointId: string) {
  if (!isUuid(endpointId)) throw new ApiKeyRefusal(404, "No such webhook endpoint.");
  const r = await pool.query<{ workspace_id: string }>(
    "SELECT workspace_id FROM webhook_endpoints WHERE id = $1 AND disabled_at IS NULL",
    [endpointId],
  );
  if (!r.rows[0]) throw new ApiKeyRefusal(404, "No such webhook endpoint.");
  const role = await memberRole(pool, userId, r.rows[0].workspace_id);
  if (!role) throw new ApiKeyRefusal(404, "No such webhook endpoint.");
  await requireEditor(pool, userId, r.rows[0].workspace_id);
  await pool.query("UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1", [endpointId]);
}

/** The latest deliveries to the endpoints the person manages (newest first). */
export async function listDeliveries(
  pool: Pool,
  userId: string,
  limit = 50,
): Promise<DeliveryView[]> {
  const r = await pool.query(
    `SELECT d.*, e.url AS endpoint_url FROM webhook_deliveries d
       JOIN webhook_endpoints e ON e.id = d.endpoint_id
       JOIN workspace_members m ON m.workspace_id = e.workspace_id AND m.user_id = $1
      WHERE m.role IN ('owner', 'editor')
      ORDER BY d.created_at DESC LIMIT $2`,
    [userId, Math.min(200, limit)],
  );
  return r.rows.map((d) => ({
    id: d.id,
    endpointUrl: d.endpoint_url,
    eventId: d.event_id,
    eventType: d.event_type,
    videoId: d.video_id,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.last_status_code,
    lastError: d.last_error,
    createdAt: d.created_at,
    lastAttemptAt: d.last_attempt_at,
    deliveredAt: d.delivered_at,
  }));
}

/** The signing secret of an endpoint row: sealed, or (before the data migration ran) plaintext. */
export async function endpointSecret(row: {
  id: string;
  secret: string | null;
  secret_sealed: string | null;
}): Promise<string> {
  if (row.secret_sealed)
    return open(await appSecret(), "webhook-secret", row.secret_sealed, row.id);
  if (row.secret) return row.secret;
  throw new Error(`Webhook endpoint ${row.id} has no signing secret.`);
}
