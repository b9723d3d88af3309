import { listOutbox } from "@reelhouse/shared/mail/mailer.server";
import { testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/**
 * Issue 17: forgot-password, reset, account settings (password, email, sessions) over HTTP,
 * reading the mail from the outbox (no SMTP configured in this app).
 */
const pool = testPool();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

async function member() {
  const client = new Client(app.url);
  const m = await onboardOverHttp(client, pool);
  return { client, ...m };
}

async function lastMailTo(email: string) {
  const [m] = await listOutbox(pool, { to: email, limit: 1 });
  return m;
}

function linkIn(body: string, path: string): string {
  const m = new RegExp(`https?://[^\\s]+(/${path}/[A-Za-z0-9_-]{43})`).exec(body);
  if (!m) throw new Error(`no ${path} link in: ${body}`);
  return m[1]!;
}

async function signIn(login: string, password: string) {
  const c = new Client(app.url);
  await c.get("/signin");
  const res = await c.post("/signin", { login, password, redirectTo: "/" });
  return { c, res };
}

const NEW_PASSWORD = "copper-meadow-violin-77";

describe("forgot password", () => {
  it("mails a single-use link; the new password signs every old session out and signs this browser in", async () => {
    const { client: oldSession, email, username } = await member();
    expect(text((await oldSession.get("/")).body)).toContain(`@${username}`);

    const stranger = new Client(app.url);
    await stranger.get("/forgot-password");
    const asked = await stranger.post("/forgot-password", { email: email.toUpperCase() });
    expect(asked.status).toBe(200);
    expect(text(asked.body)).toContain("If an account uses");

    const mail = await lastMailTo(email);
    expect(mail).toMatchObject({ kind: "password-reset", status: "outbox" });
    const link = linkIn(mail!.text, "reset-password");

    const form = await stranger.get(link);
    expect(form.status).toBe(200);
    expect(text(form.body)).toContain("Choose a new password");

    // Refusals keep the link usable: mismatch, then a weak password.
    const mismatch = await stranger.post(link, {
      password: NEW_PASSWORD,
      confirm: "other-words-1",
    });
    expect(mismatch.status).toBe(400);
    const weak = await stranger.post(link, { password: "password", confirm: "password" });
    expect(weak.status).toBe(400);
    expect(text(weak.body)).toMatch(/at least 10 characters|commonly used/);

    const done = await stranger.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(302);
    expect(done.headers["set-cookie"]?.join(";")).toMatch(/Max-Age=\d{6,}/);
    expect(text((await stranger.get("/")).body)).toContain(`@${username}`);

    // The session that had the old password is gone.
    const old = await oldSession.get("/projects");
    expect(old.status).toBe(302);
    expect(old.headers.location).toMatch(/^\/signin/);

    // The link works once.
    const again = await stranger.get(link);
    expect(again.status).toBe(410);
    expect(text(again.body)).toContain("This link no longer works");
    const reuse = await new Client(app.url).post(
      link,
      { password: "x", confirm: "x" },
      { csrf: null },
    );
    expect(reuse.status).not.toBe(302);

    expect((await signIn(email, GOOD_PASSWORD)).res.status).toBe(401);
    expect((await signIn(email, NEW_PASSWORD)).res.status).toBe(302);
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    const nobody = `${uniq("nobody")}@example.com`;
    const c = new Client(app.url);
    await c.get("/forgot-password");
    const res = await c.post("/forgot-password", { email: nobody });
    expect(res.status).toBe(200);
    expect(text(res.body)).toContain(`If an account uses ${nobody}`);
    expect(await listOutbox(pool, { to: nobody })).toEqual([]);
  });

  it("refuses an expired link, and a newer link replaces an older one", async () => {
    const { email } = await member();
    const c = new Client(app.url);
    await c.get("/forgot-password");
    await c.post("/forgot-password", { email });
    const first = linkIn((await lastMailTo(email))!.text, "reset-password");
    await c.post("/forgot-password", { email });
    const second = linkIn((await lastMailTo(email))!.text, "reset-password");
    expect(second).not.toBe(first);
    expect((await c.get(first)).status).toBe(410);
    expect((await c.get(second)).status).toBe(200);
    await pool.query(
      "UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
      [email],
    );
    expect((await c.get(second)).status).toBe(410);
    const post = await c.post(second, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(post.status).toBe(410);
    expect((await signIn(email, GOOD_PASSWORD)).res.status).toBe(302);
  });

  it("a malformed or forged token is refused without a server error", async () => {
    const c = new Client(app.url);
    for (const t of ["abc", "x".repeat(43), "%00", "..%2F..%2Fetc"]) {
      const res = await c.get(`/reset-password/${t}`);
      // 400 for a path that is not valid percent-encoding (issue 16 B3), else gone or not found.
      expect([400, 404, 410]).toContain(res.status);
    }
  });

  it("limits requests per address: the fourth in an hour is refused with Retry-After, and sends nothing", async () => {
    const { email } = await member();
    const c = new Client(app.url);
    await c.get("/forgot-password");
    for (let i = 0; i < 3; i++)
      expect((await c.post("/forgot-password", { email })).status).toBe(200);
    const before = (await listOutbox(pool, { to: email })).length;
    const limited = await c.post("/forgot-password", { email });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await listOutbox(pool, { to: email })).length).toBe(before);
  });
});

describe("account settings", () => {
  it("change password keeps this session, signs the others out, and refuses a wrong current password", async () => {
    const { client, email } = await member();
    const { c: other } = await signIn(email, GOOD_PASSWORD);
    await client.get("/settings");
    const wrong = await client.post("/settings", {
      intent: "password",
      current: "not-my-password-1",
      next: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(401);
    expect((await signIn(email, GOOD_PASSWORD)).res.status).toBe(302);

    const ok = await client.post("/settings", {
      intent: "password",
      current: GOOD_PASSWORD,
      next: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(ok.status).toBe(200);
    expect(text(ok.body)).toMatch(/Password changed\. \d+ other sessions? (was|were) signed out/);
    expect((await client.get("/settings")).status).toBe(200);
    expect((await other.get("/settings")).status).toBe(302);
    expect((await signIn(email, NEW_PASSWORD)).res.status).toBe(302);
  });

  it("change email takes effect only when the link mailed to the new address is used", async () => {
    const { client, email } = await member();
    const next = `${uniq("new")}@example.com`;
    await client.get("/settings");
    const badPw = await client.post("/settings", {
      intent: "email",
      email: next,
      password: "nope-nope-nope",
    });
    expect(badPw.status).toBe(401);
    expect(await listOutbox(pool, { to: next })).toEqual([]);

    const res = await client.post("/settings", {
      intent: "email",
      email: next,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(text(res.body)).toContain(`We sent a confirmation link to ${next}`);
    const row = await pool.query("SELECT email FROM users WHERE email = $1", [email]);
    expect(row.rowCount).toBe(1);
    expect(text((await client.get("/settings")).body)).toContain(
      `Waiting for you to confirm ${next}`,
    );

    const link = linkIn((await lastMailTo(next))!.text, "verify-email");
    const page = await client.get(link);
    expect(page.status).toBe(200);
    // Opening the link (as a mail scanner would) changes nothing; the button does.
    expect((await pool.query("SELECT 1 FROM users WHERE email = $1", [next])).rowCount).toBe(0);
    const confirmed = await client.post(link, {});
    expect(confirmed.status).toBe(302);
    const shown = await client.get(confirmed.headers.location!);
    expect(text(shown.body)).toContain("Your email address is confirmed");
    const after = await pool.query("SELECT email, email_verified_at FROM users WHERE email = $1", [
      next,
    ]);
    expect(after.rows[0].email_verified_at).toBeInstanceOf(Date);
    expect((await client.post(link, {})).status).toBe(410);
    expect((await signIn(next, GOOD_PASSWORD)).res.status).toBe(302);
  });

  it("refuses an email another account uses, writing nothing", async () => {
    const a = await member();
    const b = await member();
    // b's own sign-up confirmation is already there; the refused change adds nothing.
    const before = await listOutbox(pool, { to: b.email });
    await a.client.get("/settings");
    const res = await a.client.post("/settings", {
      intent: "email",
      email: b.email,
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(409);
    expect(await listOutbox(pool, { to: b.email })).toEqual(before);
  });

  it("sign out everywhere ends every session, this one too", async () => {
    const { client, email } = await member();
    const { c: other } = await signIn(email, GOOD_PASSWORD);
    await client.get("/settings");
    const res = await client.post("/settings", { intent: "signout-everywhere" });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/signin");
    expect((await client.get("/settings")).status).toBe(302);
    expect((await other.get("/settings")).status).toBe(302);
  });

  it("settings needs a signed-in member and refuses a forged CSRF token", async () => {
    const anon = new Client(app.url);
    expect((await anon.get("/settings")).status).toBe(302);
    const { client } = await member();
    await client.get("/settings");
    const forged = await client.post(
      "/settings",
      { intent: "signout-everywhere" },
      { csrf: "forged" },
    );
    expect(forged.status).toBe(403);
  });
});
