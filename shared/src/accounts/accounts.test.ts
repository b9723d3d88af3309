import { afterAll, describe, expect, it } from "vitest";
import { testPool, uniq } from "../testing/db.ts";
import { AccountError } from "./errors.ts";
import { issueInvites, listInvites } from "./invites.server.ts";
import { hashPassword, verifyPassword } from "./password.server.ts";
import { accountScope, assertNotRateLimited, recordAttempt } from "./rate-limit.server.ts";
import { createAccount } from "./users.server.ts";
import { ageOn, passwordProblem } from "./validation.ts";

const pool = testPool(8);
afterAll(() => pool.end());

const PASSWORD = "velvet-harbor-lantern-42";

describe("password hashing (scrypt, OWASP parameters)", () => {
  it("encodes N=2^17, r=8, p=1 and a 16-byte salt; verifies the right password only", async () => {
    const hash = await hashPassword(PASSWORD);
    const [alg, log2N, r, p, salt, key] = hash.split("$");
    expect([alg, log2N, r, p]).toEqual(["scrypt", "17", "8", "1"]);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(key!, "base64url")).toHaveLength(32);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, hash)).toBe(false);
    expect(await hashPassword(PASSWORD)).not.toBe(hash);
  });

  it("a malformed stored hash verifies false instead of throwing", async () => {
    expect(await verifyPassword(PASSWORD, "")).toBe(false);
    expect(await verifyPassword(PASSWORD, "bcrypt$2b$10$abc")).toBe(false);
    expect(await verifyPassword(PASSWORD, "scrypt$30$8$1$AAAA$BBBB")).toBe(false);
  });
});

describe("account rules", () => {
  it("password policy: length, common list, no email or username inside", () => {
    expect(passwordProblem("short")).toMatch(/at least 10/);
    expect(passwordProblem("Password123")).toMatch(/most commonly used/);
    expect(passwordProblem("aaaaaaaaaaaa")).toMatch(/repeats/);
    expect(passwordProblem("xx-janedoe-2024!", { email: "janedoe@example.com" })).toMatch(/email/);
    expect(passwordProblem("xx-filmfan-2024!", { username: "FilmFan" })).toMatch(/username/);
    expect(passwordProblem(PASSWORD, { email: "jane@example.com", username: "jane" })).toBeNull();
  });

  it("age is computed in whole years, birthday counted on the day", () => {
    const today = new Date("2026-06-15T12:00:00Z");
    expect(ageOn("2013-06-15", today)).toBe(13);
    expect(ageOn("2013-06-16", today)).toBe(12);
    expect(ageOn("2008-06-16", today)).toBe(17);
    expect(ageOn("2008-06-15", today)).toBe(18);
  });

  it("13 on the day is allowed and a minor; 18 is an adult; 12 years 364 days is refused", async () => {
    const today = new Date("2026-06-15T12:00:00Z");
    const [c1, c2, c3] = await issueInvites(pool, null, 3);
    const teen = await createAccount(
      pool,
      {
        email: `${uniq("t")}@example.com`,
        password: PASSWORD,
        birthdate: "2013-06-15",
        inviteCode: c1,
      },
      { inviteRequired: true, today },
    );
    expect(teen.user.isMinor).toBe(true);
    const adult = await createAccount(
      pool,
      {
        email: `${uniq("a")}@example.com`,
        password: PASSWORD,
        birthdate: "2008-06-15",
        inviteCode: c2,
      },
      { inviteRequired: true, today },
    );
    expect(adult.user.isMinor).toBe(false);
    const email = `${uniq("k")}@example.com`;
    await expect(
      createAccount(
        pool,
        { email, password: PASSWORD, birthdate: "2013-06-16", inviteCode: c3 },
        { inviteRequired: true, today },
      ),
    ).rejects.toMatchObject({ code: "too_young", status: 403 });
    expect((await pool.query("SELECT 1 FROM users WHERE email = $1", [email])).rowCount).toBe(0);
  });

  it("invite-only: no code → invite_required; a nonexistent date → invalid_input; nothing written", async () => {
    const email = `${uniq("n")}@example.com`;
    await expect(
      createAccount(
        pool,
        { email, password: PASSWORD, birthdate: "1990-01-01" },
        { inviteRequired: true },
      ),
    ).rejects.toMatchObject({ code: "invite_required" });
    await expect(
      createAccount(
        pool,
        { email, password: PASSWORD, birthdate: "1990-02-30", inviteCode: "X" },
        { inviteRequired: true },
      ),
    ).rejects.toMatchObject({ code: "invalid_input", field: "birthdate" });
    expect((await pool.query("SELECT 1 FROM users WHERE email = $1", [email])).rowCount).toBe(0);
  });
});

describe("invite codes", () => {
  it("two sign-ups racing for one code: exactly one wins, the other gets invite_used and no account", async () => {
    const [code] = await issueInvites(pool, null, 1);
    const emails = [0, 1, 2].map(() => `${uniq("race")}@example.com`);
    const results = await Promise.allSettled(
      emails.map((email) =>
        createAccount(
          pool,
          { email, password: PASSWORD, birthdate: "1990-01-01", inviteCode: code },
          { inviteRequired: true },
        ),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(AccountError);
      expect(l.reason.code).toBe("invite_used");
    }
    const created = await pool.query("SELECT count(*)::int AS n FROM users WHERE email = ANY($1)", [
      emails,
    ]);
    expect(created.rows[0].n).toBe(1);
  });

  it("every new user gets 4 single-use codes of their own, listed with the redeemer", async () => {
    const [code] = await issueInvites(pool, null, 1);
    const { user, invites } = await createAccount(
      pool,
      {
        email: `${uniq("o")}@example.com`,
        password: PASSWORD,
        birthdate: "1990-01-01",
        inviteCode: code,
        username: uniq("own").slice(0, 20),
      },
      { inviteRequired: true },
    );
    expect(invites).toHaveLength(4);
    expect(new Set(invites).size).toBe(4);
    const friendName = uniq("fr").slice(0, 20);
    const friend = await createAccount(
      pool,
      {
        email: `${uniq("f")}@example.com`,
        password: PASSWORD,
        birthdate: "1990-01-01",
        inviteCode: invites[2]!.toLowerCase(),
        username: friendName,
      },
      { inviteRequired: true },
    );
    const listed = await listInvites(pool, user.id);
    expect(listed).toHaveLength(4);
    const redeemed = listed.filter((i) => i.redeemedBy);
    expect(redeemed).toHaveLength(1);
    expect(redeemed[0]!.redeemedBy).toEqual({ id: friend.user.id, username: friendName });
  });
});

describe("rate limits", () => {
  it("5 failures are allowed, the 6th is limited with a Retry-After within the window; a success resets an account's count", async () => {
    const scope = accountScope(`${uniq("rl")}@example.com`);
    const limit = { count: "failures" as const, max: 5, windowSeconds: 900 };
    for (let i = 0; i < 4; i++) await recordAttempt(pool, "sign-in", [scope], false);
    await expect(
      assertNotRateLimited(pool, "sign-in", [{ scope, limit }]),
    ).resolves.toBeUndefined();
    await recordAttempt(pool, "sign-in", [scope], false);
    const err = await assertNotRateLimited(pool, "sign-in", [{ scope, limit }]).catch((e) => e);
    expect(err).toBeInstanceOf(AccountError);
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfter).toBeGreaterThan(890);
    expect(err.retryAfter).toBeLessThanOrEqual(900);
    await recordAttempt(pool, "sign-in", [scope], true);
    await expect(
      assertNotRateLimited(pool, "sign-in", [{ scope, limit }]),
    ).resolves.toBeUndefined();
  });
});
