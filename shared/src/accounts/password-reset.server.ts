import { type Pool, transaction } from "../db/pool.server.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import { passwordResetMail } from "../mail/templates.ts";
import {
  consumeAccountToken,
  issueAccountToken,
  TOKEN_TTL_MINUTES,
} from "./account-tokens.server.ts";
import { AccountError } from "./errors.ts";
import { hashPassword } from "./password.server.ts";
import {
  accountScope,
  assertNotRateLimited,
  DEFAULT_RATE_LIMITS,
  ipScope,
  type RateLimits,
  recordAttempt,
} from "./rate-limit.server.ts";
import { emailSchema, passwordProblem } from "./validation.ts";

/**
 * Forgot-password. The answer is the same whether or not an account has that email (nobody learns
 * who has an account); a found account gets a mail with a single-use link valid for an hour.
 * Requests are rate-limited per IP and per email, found or not.
 */
export async function requestPasswordReset(
  pool: Pool,
  mailer: Mailer,
  input: { email: unknown; ip: string; baseUrl: string },
  limits: RateLimits = DEFAULT_RATE_LIMITS,
): Promise<void> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success)
    throw new AccountError("invalid_input", parsed.error.issues[0]!.message, "email");
  const email = parsed.data;
  const scopes = [ipScope(input.ip), accountScope(email)];
  await assertNotRateLimited(pool, "password-reset", [
    { scope: scopes[0]!, limit: limits.resetPerIp },
    { scope: scopes[1]!, limit: limits.resetPerAccount },
  ]);
  await recordAttempt(pool, "password-reset", scopes, true);
  const deliver = await transaction(pool, async (c) => {
    const u = await c.query<{ id: string; email: string }>(
      "SELECT id, email FROM users WHERE lower(email) = $1",
      [email],
    );
    const user = u.rows[0];
    if (!user) return null;
    const token = await issueAccountToken(c, user.id, "password-reset");
    const url = `${input.baseUrl}/reset-password/${token}`;
    return mailer.enqueue(
      c,
      passwordResetMail(user.email, url, TOKEN_TTL_MINUTES["password-reset"]),
    );
  });
  await deliver?.();
}

/**
 * Sets a new password from a reset link: the token is used once, the password must pass the
 * policy, and every session of the account is signed out (whoever had the old password loses
 * access). Returns the user id so the caller can start a fresh session.
 */
export async function resetPassword(
  pool: Pool,
  input: { token: string; password: unknown },
): Promise<{ userId: string }> {
  const password = typeof input.password === "string" ? input.password : "";
  return transaction(pool, async (c) => {
    const { userId } = await consumeAccountToken(c, input.token, "password-reset");
    const u = await c.query<{ email: string; username: string | null }>(
      "SELECT email, username FROM users WHERE id = $1 FOR UPDATE",
      [userId],
    );
    const user = u.rows[0]!;
    const problem = passwordProblem(password, {
      email: user.email,
      username: user.username ?? undefined,
    });
    // A refusal rolls the transaction back, so the link still works for the next try.
    if (problem) throw new AccountError("weak_password", problem, "password");
    await c.query("UPDATE users SET password_hash = $2 WHERE id = $1", [
      userId,
      await hashPassword(password),
    ]);
    await c.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
    // A reset link proves the person reads this mailbox.
    await c.query(
      "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1",
      [userId],
    );
    return { userId };
  });
}
