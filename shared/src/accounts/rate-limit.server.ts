import type { Pool } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";

/**
 * Rate limits on sign-in and sign-up, counted in the auth_attempts table so that they hold across
 * processes and restarts. A scope is `ip:<address>` or `account:<lower email or login>`.
 */
export type AuthAction = "sign-in" | "sign-up" | "password-reset" | "age-gate";

export interface Limit {
  /** Which attempts count: only failures (sign-in) or every attempt (sign-up). */
  count: "failures" | "all";
  max: number;
  windowSeconds: number;
}

export interface RateLimits {
  signInPerAccount: Limit;
  signInPerIp: Limit;
  signUpPerAccount: Limit;
  signUpPerIp: Limit;
  /** Forgot-password requests: every request counts, found account or not. */
  resetPerAccount: Limit;
  resetPerIp: Limit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerAccount: { count: "failures", max: 5, windowSeconds: 15 * 60 },
  signInPerIp: { count: "failures", max: 20, windowSeconds: 15 * 60 },
  signUpPerAccount: { count: "all", max: 5, windowSeconds: 15 * 60 },
  signUpPerIp: { count: "all", max: 10, windowSeconds: 60 * 60 },
  resetPerAccount: { count: "all", max: 3, windowSeconds: 60 * 60 },
  resetPerIp: { count: "all", max: 10, windowSeconds: 60 * 60 },
};

export const ipScope = (ip: string) => `ip:${ip}`;
export const accountScope = (login: string) => `account:${login.trim().toLowerCase()}`;

/**
 * Seconds until `scope` may try `action` again, or 0 if it may now. For failure-counted limits, a
 * success resets the count (failures before the last success don't count).
 */
export async function retryAfterSeconds(
  pool: Pool,
  action: AuthAction,
  scope: string,
  limit: Limit,
): Promise<number> {
  const failuresOnly = limit.count === "failures";
  const res = await pool.query<{ at: Date | null; now: Date }>(
    `WITH last_ok AS (
       SELECT max(a.at) AS at FROM auth_attempts a
        WHERE a.scope = $1 AND a.action = $2 AND a.succeeded AND $5::boolean
     ), counted AS (
       SELECT a.at FROM auth_attempts a, last_ok
        WHERE a.scope = $1 AND a.action = $2
          AND a.at > now() - make_interval(secs => $3)
          AND (NOT $5::boolean OR (NOT a.succeeded AND (last_ok.at IS NULL OR a.at > last_ok.at)))
        ORDER BY a.at DESC OFFSET $4::int - 1 LIMIT 1
     )
     SELECT (SELECT at FROM counted) AS at, now() AS now`,
    [scope, action, limit.windowSeconds, limit.max, failuresOnly],
  );
  const { at, now } = res.rows[0]!;
  if (!at) return 0;
  return Math.max(1, Math.ceil((at.getTime() + limit.windowSeconds * 1000 - now.getTime()) / 1000));
}

/** Throws rate_limited (HTTP 429 with Retry-After) if any of the scopes is over its limit. */
export async function assertNotRateLimited(
  pool: Pool,
  action: AuthAction,
  checks: { scope: string; limit: Limit }[],
): Promise<void> {
  let wait = 0;
  for (const { scope, limit } of checks)
    wait = Math.max(wait, await retryAfterSeconds(pool, action, scope, limit));
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    const what = {
      "sign-in": "sign-in attempts",
      "sign-up": "sign-up attempts",
      "password-reset": "password reset requests",
      "age-gate": "sign-up attempts",
    }[action];
    throw new AccountError(
      "rate_limited",
      `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      undefined,
      wait,
    );
  }
}

export async function recordAttempt(
  pool: Pool,
  action: AuthAction,
  scopes: string[],
  succeeded: boolean,
): Promise<void> {
  if (scopes.length === 0) return;
  await pool.query(
    "INSERT INTO auth_attempts (scope, action, succeeded) SELECT unnest($1::text[]), $2, $3",
    [scopes, action, succeeded],
  );
}

/** Housekeeping: attempts older than a day no longer matter to any limit. */
export async function pruneAttempts(pool: Pool): Promise<void> {
  await pool.query("DELETE FROM auth_attempts WHERE at < now() - interval '1 day'");
}
