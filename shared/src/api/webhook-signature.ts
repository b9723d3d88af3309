import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 of
 * random bytes; the signature is `v1,` + base64(HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`)),
 * sent with the `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature` headers.
 * Pure functions, so any Standard Webhooks verifier library can check what they make.
 */

export { WEBHOOK_EVENTS, type WebhookEvent } from "./scopes.ts";

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export function signWebhook(
  secret: string,
  msgId: string,
  timestampSeconds: number,
  body: string,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key)
    .update(`${msgId}.${timestampSeconds}.${body}`)
    .digest("base64");
  return `v1,${mac}`;
}

export function webhookHeaders(
  secret: string,
  msgId: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "Reelhouse-Webhooks/1",
    "webhook-id": msgId,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": signWebhook(secret, msgId, timestampSeconds, body),
  };
}

/** Delay before attempt `n + 1` after `n` failed ones: base·4^(n-1), capped at 6 hours. */
export function webhookBackoffMs(failedAttempts: number, baseMs: number): number {
  return Math.min(6 * 3600_000, baseMs * 4 ** Math.max(0, failedAttempts - 1));
}

export const WEBHOOK_MAX_ATTEMPTS = 8;
