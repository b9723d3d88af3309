import { createHash, randomBytes } from "node:crypto";
import type { Pool } from "../db/pool.server.ts";
import { toUser, USER_COLUMNS, type User } from "./users.server.ts";

/**
 * Cookie sessions. The cookie holds a random 32-byte token; the table keeps only its sha256, so a
 * leaked table yields no usable cookie. Each session has its own CSRF secret.
 */
export const SESSION_TTL_DAYS = 30;

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface Session {
  idHash: string;
  userId: string;
  csrfSecret: string;
  expiresAt: Date;
}

export async function createSession(
  pool: Pool,
  userId: string,
  userAgent = "",
): Promise<{ token: string; session: Session }> {
  const token = newSessionToken();
  const idHash = hashSessionToken(token);
  const csrfSecret = randomBytes(32).toString("base64url");
  const res = await pool.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, user_id, csrf_secret, expires_at, user_agent)
     VALUES ($1, $2, $3, now() + make_interval(days => $4), $5) RETURNING expires_at`,
    [idHash, userId, csrfSecret, SESSION_TTL_DAYS, userAgent.slice(0, 300)],
  );
  return { token, session: { idHash, userId, csrfSecret, expiresAt: res.rows[0]!.expires_at } };
}

/** The live session and its user for a cookie token, or null (unknown, expired, malformed). */
export async function getSession(
  pool: Pool,
  token: string,
): Promise<{ session: Session; user: User } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = hashSessionToken(token);
  const res = await pool.query(
    `SELECT s.csrf_secret, s.expires_at AS session_expires_at, u.*
       FROM sessions s CROSS JOIN LATERAL (SELECT ${USER_COLUMNS} FROM users WHERE id = s.user_id) u
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
  );
  const r = res.rows[0];
  if (!r) return null;
  return {
    session: { idHash, userId: r.id, csrfSecret: r.csrf_secret, expiresAt: r.session_expires_at },
    user: toUser(r),
  };
}

export async function deleteSession(pool: Pool, token: string): Promise<void> {
  await pool.query("DELETE FROM sessions WHERE id_hash = $1", [hashSessionToken(token)]);
}

export async function deleteExpiredSessions(pool: Pool): Promise<number> {
  const res = await pool.query("DELETE FROM sessions WHERE expires_at <= now()");
  return res.rowCount ?? 0;
}
