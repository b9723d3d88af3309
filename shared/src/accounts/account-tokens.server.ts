import { createHash, randomBytes } from "node:crypto";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";

/**
 * Single-use, expiring tokens sent by mail (password reset, email confirmation). The mail carries
 * a random 32-byte token; the table keeps only its sha256. Consuming is one UPDATE … WHERE
 * used_at IS NULL AND expires_at > now(), so two clicks (or two tabs racing) use it once.
 */
export type TokenPurpose = "password-reset" | "verify-email";

export const TOKEN_TTL_MINUTES: Record<TokenPurpose, number> = {
  "password-reset": 60,
  "verify-email": 48 * 60,
};

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function hashAccountToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Issues a new token; earlier unused tokens of the same purpose for the user stop working. */
export async function issueAccountToken(
  q: Pool | PoolClient,
  userId: string,
  purpose: TokenPurpose,
  email?: string,
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await q.query(
    "UPDATE account_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
    [userId, purpose],
  );
  await q.query(
    `INSERT INTO account_tokens (token_hash, user_id, purpose, email, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
    [hashAccountToken(token), userId, purpose, email ?? null, TOKEN_TTL_MINUTES[purpose]],
  );
  return token;
}

const INVALID: Record<TokenPurpose, string> = {
  "password-reset":
    "This reset link has expired or was already used. Ask for a new one from the sign-in page.",
  "verify-email":
    "This confirmation link has expired or was already used. Send a new one from your settings.",
};

/** Whether a token would be accepted now (to show the form), without using it. */
export async function peekAccountToken(
  q: Pool | PoolClient,
  token: string,
  purpose: TokenPurpose,
): Promise<{ userId: string; email: string | null } | null> {
  if (!TOKEN_RE.test(token)) return null;
  const r = await q.query<{ user_id: string; email: string | null }>(
    `SELECT user_id, email FROM account_tokens
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
    [hashAccountToken(token), purpose],
  );
  const row = r.rows[0];
  return row ? { userId: row.user_id, email: row.email } : null;
}

/** Uses the token (once) or throws token_invalid. Call inside the transaction that acts on it. */
export async function consumeAccountToken(
  q: Pool | PoolClient,
  token: string,
  purpose: TokenPurpose,
): Promise<{ userId: string; email: string | null }> {
  if (!TOKEN_RE.test(token)) throw new AccountError("token_invalid", INVALID[purpose]);
  const r = await q.query<{ user_id: string; email: string | null }>(
    `UPDATE account_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id, email`,
    [hashAccountToken(token), purpose],
  );
  const row = r.rows[0];
  if (!row) throw new AccountError("token_invalid", INVALID[purpose]);
  return { userId: row.user_id, email: row.email };
}
