import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { Pool } from "../db/pool.server.ts";
import { isUuid, memberRole } from "../workspaces/db.server.ts";
import { atLeast, type Role } from "../workspaces/roles.ts";
import { ApiError } from "./errors.ts";
import { API_SCOPES, type ApiScope } from "./scopes.ts";

/**
 * API keys: one per person and workspace (a person may hold several), shown once when created,
 * stored as the sha256 of the whole key. A key acts as its owner within its workspace only, limited
 * by its scopes and by the owner's current role (a key of someone removed from the workspace stops
 * working). Each key has a per-minute request limit counted in Postgres (api_rate_windows), so all
 * web processes share it.
 */

export { API_SCOPES, type ApiScope };

/** A scope's minimum workspace role: writing needs an editor, as in the UI. */
const SCOPE_ROLE: Record<ApiScope, Role> = {
  "videos:read": "viewer",
  "videos:write": "editor",
  "workspace:read": "viewer",
  "workspace:write": "editor",
  "posts:write": "editor",
};

export const KEY_PREFIX = "rh_sk_";
export const DEFAULT_RATE_LIMIT = 60;

export const createKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the key a name, so you can tell it apart later.")
    .max(80, "A key name can be at most 80 characters."),
  scopes: z
    .array(z.enum(API_SCOPES, { message: `Scopes are ${API_SCOPES.join(", ")}.` }))
    .min(1, "Choose at least one scope.")
    .default([...API_SCOPES]),
  rateLimitPerMinute: z
    .number()
    .int("The rate limit is a whole number of requests per minute.")
    .min(1, "The rate limit is at least 1 request per minute.")
    .max(100_000, "The rate limit is at most 100000 requests per minute.")
    .default(DEFAULT_RATE_LIMIT),
});
export type CreateKeyInput = z.input<typeof createKeySchema>;

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  workspaceId: string;
  workspaceName: string;
  scopes: ApiScope[];
  rateLimitPerMinute: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who a request acts as, once its key checked out. */
export interface ApiPrincipal {
  keyId: string;
  userId: string;
  workspaceId: string;
  role: Role;
  scopes: ApiScope[];
  rateLimitPerMinute: number;
}

export class ApiKeyRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiKeyRefusal";
  }
}

export const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

// biome-ignore lint/suspicious/noExplicitAny: a row of api_keys joined with workspaces
function toView(r: any): ApiKeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    workspaceId: r.workspace_id,
    workspaceName: r.workspace_name,
    scopes: r.scopes,
    rateLimitPerMinute: r.rate_limit_per_minute,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

const SELECT = `SELECT k.*, w.name AS workspace_name FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id`;

/** Makes a key for `userId` in `workspaceId` (any member may; scopes above their role are refused). */
export async function createApiKey(
  pool: Pool,
  userId: string,
  workspaceId: string,
  raw: CreateKeyInput,
): Promise<{ key: string; view: ApiKeyView }> {
  const parsed = createKeySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiKeyRefusal(400, issue.message, String(issue.path[0] ?? "form"));
  }
  const role = await memberRole(pool, userId, workspaceId);
  if (!role) throw new ApiKeyRefusal(404, "No such workspace.", "workspace");
  const tooStrong = parsed.data.scopes.filter((s) => !atLeast(role, SCOPE_ROLE[s]));
  if (tooStrong.length > 0)
    throw new ApiKeyRefusal(
      403,
      `As a ${role} of this workspace you cannot grant ${tooStrong.join(", ")}.`,
      "scopes",
    );
  const key = KEY_PREFIX + randomBytes(32).toString("base64url");
  const r = await pool.query<{ id: string }>(
    `INSERT INTO api_keys (user_id, workspace_id, name, prefix, secret_hash, scopes, rate_limit_per_minute)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      userId,
      workspaceId,
      parsed.data.name,
      key.slice(0, KEY_PREFIX.length + 6),
      hashKey(key),
      [...new Set(parsed.data.scopes)],
      parsed.data.rateLimitPerMinute,
    ],
  );
  const view = await pool.query(`${SELECT} WHERE k.id = $1`, [r.rows[0]!.id]);
  return { key, view: toView(view.rows[0]) };
}

/** The person's keys (all workspaces, revoked ones too, newest first). */
export async function listApiKeys(pool: Pool, userId: string): Promise<ApiKeyView[]> {
  const r = await pool.query(`${SELECT} WHERE k.user_id = $1 ORDER BY k.created_at DESC`, [userId]);
  return r.rows.map(toView);
}

/** Revokes one of the person's own keys; revoking twice is a no-op, someone else's key is 404. */
export async function revokeApiKey(pool: Pool, userId: string, keyId: string): Promise<void> {
  if (!isUuid(keyId)) throw new ApiKeyRefusal(404, "No such API key.");
  const r = await pool.query(
    "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND user_id = $2",
    [keyId, userId],
  );
  if (r.rowCount === 0) throw new ApiKeyRefusal(404, "No such API key.");
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m ? m[1]! : null;
}

const INVALID_KEY = () =>
  new ApiError(
    401,
    "invalid_api_key",
    "Incorrect API key provided. Create one in Settings → API keys and send it as 'Authorization: Bearer rh_sk_…'.",
  );

/**
 * Checks a key: known, not revoked, its owner still a member of its workspace. Throws a 401
 * ApiError otherwise (the same answer for every reason, so keys cannot be probed).
 */
export async function authenticateKey(pool: Pool, key: string | null): Promise<ApiPrincipal> {
  if (!key) {
    throw new ApiError(
      401,
      "missing_api_key",
      "You didn't provide an API key. Send it as 'Authorization: Bearer rh_sk_…'.",
    );
  }
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) throw INVALID_KEY();
  const hash = hashKey(key);
  const r = await pool.query<{
    id: string;
    user_id: string;
    workspace_id: string;
    secret_hash: string;
    scopes: ApiScope[];
    rate_limit_per_minute: number;
    role: Role | null;
  }>(
    `SELECT k.id, k.user_id, k.workspace_id, k.secret_hash, k.scopes, k.rate_limit_per_minute, m.role
       FROM api_keys k
       LEFT JOIN workspace_members m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
      WHERE k.secret_hash = $1 AND k.revoked_at IS NULL`,
    [hash],
  );
  const row = r.rows[0];
  // The index found the row by hash; compare again in constant time before trusting it.
  if (
    !row ||
    !timingSafeEqual(Buffer.from(row.secret_hash, "hex"), Buffer.from(hash, "hex")) ||
    !row.role
  )
    throw INVALID_KEY();
  return {
    keyId: row.id,
    userId: row.user_id,
    workspaceId: row.workspace_id,
    role: row.role,
    scopes: row.scopes,
    rateLimitPerMinute: row.rate_limit_per_minute,
  };
}

/**
 * Counts one request against the key's per-minute window and stamps last_used_at. Over the limit:
 * a 429 ApiError whose retryAfter is the whole seconds until the window ends.
 */
export async function chargeRequest(pool: Pool, principal: ApiPrincipal): Promise<void> {
  const r = await pool.query<{ hits: number; reset: number }>(
    `WITH used AS (UPDATE api_keys SET last_used_at = now() WHERE id = $1),
          w AS (INSERT INTO api_rate_windows (key_id, window_start, hits)
                VALUES ($1, date_trunc('minute', now()), 1)
                ON CONFLICT (key_id, window_start) DO UPDATE SET hits = api_rate_windows.hits + 1
                RETURNING hits, window_start)
     SELECT hits, ceil(extract(epoch FROM window_start + interval '1 minute' - now()))::int AS reset FROM w`,
    [principal.keyId],
  );
  const { hits, reset } = r.rows[0]!;
  if (hits > principal.rateLimitPerMinute) {
    throw new ApiError(
      429,
      "rate_limit_exceeded",
      `Rate limit reached for this API key: ${principal.rateLimitPerMinute} requests per minute. Try again in ${Math.max(1, reset)} s.`,
      null,
      Math.max(1, reset),
    );
  }
}

/** Old windows are useless after their minute; housekeeping drops them. */
export async function pruneRateWindows(pool: Pool): Promise<void> {
  await pool.query("DELETE FROM api_rate_windows WHERE window_start < now() - interval '1 hour'");
}

/** Throws 403 unless the key carries `scope` and its owner's role still allows it. */
export function requireScope(principal: ApiPrincipal, scope: ApiScope): void {
  if (!principal.scopes.includes(scope))
    throw new ApiError(403, "insufficient_scope", `This API key lacks the '${scope}' scope.`);
  if (!atLeast(principal.role, SCOPE_ROLE[scope]))
    throw new ApiError(
      403,
      "insufficient_role",
      `The key's owner is a ${principal.role} of this workspace, which does not allow '${scope}'.`,
    );
}
