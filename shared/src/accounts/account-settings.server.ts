import { type Pool, transaction } from "../db/pool.server.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import { verifyEmailMail } from "../mail/templates.ts";
import {
  consumeAccountToken,
  issueAccountToken,
  TOKEN_TTL_MINUTES,
} from "./account-tokens.server.ts";
import { AccountError } from "./errors.ts";
import { hashPassword, verifyPassword } from "./password.server.ts";
import { hashSessionToken } from "./sessions.server.ts";
import { emailSchema, passwordProblem } from "./validation.ts";

/**
 * What a signed-in person changes about their own account on /settings: password (other sessions
 * signed out), email (the new address is confirmed by mail before it is used), email
 * verification, sign out everywhere, the notification digest. Profile fields (photo, bio,
 * username) go through users.server.ts `updateProfile`.
 */

async function requirePassword(pool: Pool, userId: string, password: unknown): Promise<void> {
  const r = await pool.query<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE id = $1",
    [userId],
  );
  const hash = r.rows[0]?.password_hash;
  if (!hash) throw new AccountError("not_found", "That account no longer exists.");
  if (typeof password !== "string" || !(await verifyPassword(password, hash)))
    throw new AccountError("bad_credentials", "That is not your current password.", "current");
}

/** Changes the password and signs out every other session (the current one, if given, stays). */
export async function changePassword(
  pool: Pool,
  userId: string,
  input: { current: unknown; next: unknown; keepSessionToken?: string | null },
): Promise<{ signedOut: number }> {
  await requirePassword(pool, userId, input.current);
  const next = typeof input.next === "string" ? input.next : "";
  const u = await pool.query<{ email: string; username: string | null }>(
    "SELECT email, username FROM users WHERE id = $1",
    [userId],
  );
  const problem = passwordProblem(next, {
    email: u.rows[0]!.email,
    username: u.rows[0]!.username ?? undefined,
  });
  if (problem) throw new AccountError("weak_password", problem, "next");
  const hash = await hashPassword(next);
  return transaction(pool, async (c) => {
    await c.query("UPDATE users SET password_hash = $2 WHERE id = $1", [userId, hash]);
    const keep = input.keepSessionToken ? hashSessionToken(input.keepSessionToken) : "";
    const d = await c.query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", [
      userId,
      keep,
    ]);
    return { signedOut: d.rowCount ?? 0 };
  });
}

/** Signs out every session of the account, this one included. */
export async function signOutEverywhere(pool: Pool, userId: string): Promise<number> {
  const d = await pool.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
  return d.rowCount ?? 0;
}

/**
 * Starts an email change: the password confirms it is the owner, and a confirmation link goes to
 * the NEW address; the account keeps its old email until the link is used.
 */
export async function requestEmailChange(
  pool: Pool,
  mailer: Mailer,
  userId: string,
  input: { email: unknown; password: unknown; baseUrl: string },
): Promise<string> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success)
    throw new AccountError("invalid_input", parsed.error.issues[0]!.message, "email");
  const email = parsed.data;
  await requirePassword(pool, userId, input.password);
  const taken = await pool.query("SELECT 1 FROM users WHERE lower(email) = $1 AND id <> $2", [
    email,
    userId,
  ]);
  if (taken.rowCount)
    throw new AccountError("email_taken", "Another account uses that email address.", "email");
  const deliver = await transaction(pool, async (c) => {
    const token = await issueAccountToken(c, userId, "verify-email", email);
    const url = `${input.baseUrl}/verify-email/${token}`;
    return mailer.enqueue(c, verifyEmailMail(email, url, TOKEN_TTL_MINUTES["verify-email"] / 60));
  });
  await deliver();
  return email;
}

/** Confirmation links an account may ask for in an hour (sign-up's first one counts). */
export const VERIFY_MAILS_PER_HOUR = 5;

/**
 * Sends a confirmation link for the account's current address: at sign-up, and again from
 * Settings ("Send a confirmation link"), at most VERIFY_MAILS_PER_HOUR an hour. Earlier unused
 * links for the same address keep working until they expire (48 h) or one of them is used.
 */
export async function sendEmailVerification(
  pool: Pool,
  mailer: Mailer,
  userId: string,
  baseUrl: string,
): Promise<void> {
  const deliver = await transaction(pool, async (c) => {
    const u = await c.query<{ email: string; verified: boolean; recent: number }>(
      `SELECT email, email_verified_at IS NOT NULL AS verified,
              (SELECT count(*)::int FROM account_tokens t
                WHERE t.user_id = users.id AND t.purpose = 'verify-email'
                  AND t.created_at > now() - interval '1 hour') AS recent
         FROM users WHERE id = $1 FOR UPDATE`,
      [userId],
    );
    const email = u.rows[0]?.email;
    if (!email) throw new AccountError("not_found", "That account no longer exists.");
    if (u.rows[0]!.verified)
      throw new AccountError("invalid_input", `${email} is already confirmed.`);
    if (u.rows[0]!.recent >= VERIFY_MAILS_PER_HOUR)
      throw new AccountError(
        "rate_limited",
        "Several confirmation links were sent in the last hour: use one of those, or try again later.",
        undefined,
        3600,
      );
    const token = await issueAccountToken(c, userId, "verify-email", email);
    return mailer.enqueue(
      c,
      verifyEmailMail(
        email,
        `${baseUrl}/verify-email/${token}`,
        TOKEN_TTL_MINUTES["verify-email"] / 60,
      ),
    );
  });
  await deliver();
}

/** Uses a confirmation link: the address it names becomes the account's, verified. */
export async function confirmEmail(pool: Pool, token: string): Promise<{ email: string }> {
  return transaction(pool, async (c) => {
    const { userId, email } = await consumeAccountToken(c, token, "verify-email");
    if (!email) throw new AccountError("token_invalid", "This confirmation link is not valid.");
    try {
      await c.query("UPDATE users SET email = $2, email_verified_at = now() WHERE id = $1", [
        userId,
        email,
      ]);
    } catch (err) {
      if ((err as { code?: string }).code === "23505")
        throw new AccountError(
          "email_taken",
          "Another account started using that address in the meantime.",
          "email",
        );
      throw err;
    }
    return { email };
  });
}

export async function setDigest(pool: Pool, userId: string, on: boolean): Promise<void> {
  await pool.query("UPDATE users SET digest_opt_in = $2 WHERE id = $1", [userId, on]);
}

export interface AccountStatus {
  email: string;
  emailVerified: boolean;
  digest: boolean;
  /** An address waiting for its confirmation link to be used. */
  pendingEmail: string | null;
  sessions: number;
}

export async function accountStatus(pool: Pool, userId: string): Promise<AccountStatus> {
  const r = await pool.query<{
    email: string;
    email_verified_at: Date | null;
    digest_opt_in: boolean;
    pending: string | null;
    sessions: number;
  }>(
    `SELECT u.email, u.email_verified_at, u.digest_opt_in,
            (SELECT t.email FROM account_tokens t
              WHERE t.user_id = u.id AND t.purpose = 'verify-email' AND t.used_at IS NULL
                AND t.expires_at > now() AND lower(t.email) <> lower(u.email)
              ORDER BY t.created_at DESC LIMIT 1) AS pending,
            (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions
       FROM users u WHERE u.id = $1`,
    [userId],
  );
  const row = r.rows[0];
  if (!row) throw new AccountError("not_found", "That account no longer exists.");
  return {
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    digest: row.digest_opt_in,
    pendingEmail: row.pending,
    sessions: row.sessions,
  };
}
