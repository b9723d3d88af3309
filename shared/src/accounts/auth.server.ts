import type { Pool } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";
import { dummyHash, verifyPassword } from "./password.server.ts";
import {
  accountScope,
  assertNotRateLimited,
  DEFAULT_RATE_LIMITS,
  ipScope,
  type RateLimits,
  recordAttempt,
} from "./rate-limit.server.ts";
import {
  type CreateAccountInput,
  createAccount,
  findCredentials,
  type User,
} from "./users.server.ts";
import { MIN_AGE, signInSchema } from "./validation.ts";

/**
 * Sign-in: rate-limited per client IP and per account, checked BEFORE the password is verified.
 * Unknown accounts cost the same scrypt work as known ones and get the same message.
 */
export async function signIn(
  pool: Pool,
  input: { login: unknown; password: unknown; ip: string },
  limits: RateLimits = DEFAULT_RATE_LIMITS,
): Promise<{ userId: string }> {
  const parsed = signInSchema.safeParse({ login: input.login, password: input.password });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AccountError("invalid_input", issue.message, String(issue.path[0] ?? ""));
  }
  const { login, password } = parsed.data;
  const creds = await findCredentials(pool, login);
  const scopes = [ipScope(input.ip), accountScope(creds?.email ?? login)];
  await assertNotRateLimited(pool, "sign-in", [
    { scope: scopes[0]!, limit: limits.signInPerIp },
    { scope: scopes[1]!, limit: limits.signInPerAccount },
  ]);
  const ok = await verifyPassword(password, creds?.passwordHash ?? (await dummyHash()));
  if (!ok || !creds) {
    await recordAttempt(pool, "sign-in", scopes, false);
    throw new AccountError(
      "bad_credentials",
      "That email or username and password don't match.",
      "password",
    );
  }
  await recordAttempt(pool, "sign-in", [scopes[1]!], true);
  return { userId: creds.id };
}

/**
 * Sign-up from the web: rate-limited per IP and per email (every attempt counts, refused ones
 * too), then createAccount. The attempt is logged even when refused; nothing else is written.
 */
export async function signUp(
  pool: Pool,
  input: CreateAccountInput & { ip: string },
  opts: {
    inviteRequired: boolean;
    limits?: RateLimits;
    today?: Date;
    /** This browser was refused as under 13 for this sign-up already (a cookie says so). */
    ageGateHeld?: boolean;
  },
): Promise<{ user: User; invites: string[] }> {
  const limits = opts.limits ?? DEFAULT_RATE_LIMITS;
  const email = typeof input.email === "string" ? input.email : "";
  const scopes = [ipScope(input.ip), ...(email.trim() ? [accountScope(email)] : [])];
  await assertNotRateLimited(pool, "sign-up", [
    { scope: scopes[0]!, limit: limits.signUpPerIp },
    ...(scopes[1] ? [{ scope: scopes[1], limit: limits.signUpPerAccount }] : []),
  ]);
  // A birthdate refused as under 13 holds for this sign-up: the same email or invite code can't
  // try again with another birthdate for a day (the web tier also remembers it in a cookie).
  const gate = ageGateScopes(email, input.inviteCode);
  if (opts.ageGateHeld || (gate.length > 0 && (await ageGateHeld(pool, gate))))
    throw new AccountError(
      "too_young",
      `You must be at least ${MIN_AGE} years old to use Reelhouse. The birthdate you gave can't be changed for this sign-up.`,
      "birthdate",
    );
  try {
    const out = await createAccount(pool, input, opts);
    await recordAttempt(pool, "sign-up", scopes, true);
    return out;
  } catch (err) {
    await recordAttempt(pool, "sign-up", scopes, false);
    if (err instanceof AccountError && err.code === "too_young")
      await recordAttempt(pool, "age-gate", gate, false);
    throw err;
  }
}

const AGE_GATE_SECONDS = 24 * 60 * 60;

function ageGateScopes(email: string, inviteCode: unknown): string[] {
  const out: string[] = [];
  if (email.trim()) out.push(accountScope(email));
  if (typeof inviteCode === "string" && inviteCode.trim())
    out.push(`invite:${inviteCode.trim().toUpperCase().replace(/[\s-]/g, "")}`);
  return out;
}

async function ageGateHeld(pool: Pool, scopes: string[]): Promise<boolean> {
  const r = await pool.query(
    `SELECT 1 FROM auth_attempts WHERE action = 'age-gate' AND scope = ANY($1::text[])
        AND at > now() - make_interval(secs => $2) LIMIT 1`,
    [scopes, AGE_GATE_SECONDS],
  );
  return (r.rowCount ?? 0) > 0;
}
