/** What an API key may do (checked with the owner's current role: keys.server.ts requireScope). */
export const API_SCOPES = [
  "videos:read",
  "videos:write",
  "workspace:read",
  "workspace:write",
  "posts:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The webhook events of the Videos API (webhook-signature.ts signs them, the worker sends them). */
export const WEBHOOK_EVENTS = ["video.completed", "video.failed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
