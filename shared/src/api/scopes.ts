/** What an API key may do (checked with the owner's current role: keys.server.ts requireScope). */
export const API_SCOPES = [
  "videos:read",
  "videos:write",
  "workspace:read",
  "workspace:write",
] as const;
export type ApiScope = (typeof API_SCOPES)[number];
