import { testPool, uniq } from "@reelhouse/shared/testing/db";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADULT_BIRTHDATE,
  GOOD_PASSWORD,
  onboardOverHttp,
  pngPhoto,
  signUpOverHttp,
  systemInvite,
} from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

const pool = testPool();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

async function userByEmail(email: string) {
  const res = await pool.query("SELECT * FROM users WHERE lower(email) = lower($1)", [email]);
  return res.rows[0];
}

describe("onboarding over HTTP (happy path)", () => {
  it("invite code → account → profile with photo → home, then profile lists 4 invite codes with their redeemer", async () => {
    const client = new Client(app.url);
    const landing = await client.get("/");
    expect(landing.status).toBe(200);
    expect(text(landing.body)).toContain("I have an invite code");

    const { email, code } = await signUpOverHttp(client, pool);
    const row = await userByEmail(email);
    expect(row.username).toBeNull();
    expect(row.is_minor).toBe(false);
    expect(row.password_hash).toMatch(/^scrypt\$17\$8\$1\$/);
    const invite = await pool.query("SELECT redeemed_by FROM invite_codes WHERE code = $1", [code]);
    expect(invite.rows[0].redeemed_by).toBe(row.id);

    const username = uniq("Cam").slice(0, 20);
    const res = await client.postMultipart(
      "/join/profile",
      { username, bio: "I make tiny films." },
      { field: "photo", filename: "me.png", contentType: "image/png", data: await pngPhoto() },
    );
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/");
    const home = await client.get("/");
    expect(text(home.body)).toContain(`Welcome, @${username}`);
    expect(text(home.body)).toContain("Create your first video");

    const after = await userByEmail(email);
    expect(after.username).toBe(username);
    expect(after.bio).toBe("I make tiny films.");
    const media = await pool.query("SELECT * FROM media WHERE id = $1", [after.photo_media_id]);
    expect(media.rows[0]).toMatchObject({
      kind: "avatar",
      content_type: "image/webp",
      width: 512,
      height: 512,
    });

    const avatar = await fetch(`${app.url}/media/${after.photo_media_id}`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toBe("image/webp");
    expect(avatar.headers.get("x-content-type-options")).toBe("nosniff");
    expect(avatar.headers.get("set-cookie")).toBeNull();
    const meta = await sharp(Buffer.from(await avatar.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 512, height: 512 });
    expect(meta.exif).toBeUndefined();

    // Four codes of their own; a friend redeems one; the profile shows who.
    const profile = await client.get(`/u/${username}`);
    const codes = [...profile.body.matchAll(/class="code-chip">([A-Z0-9]{5}-[A-Z0-9]{5})</g)].map(
      (m) => m[1]!,
    );
    expect(codes).toHaveLength(4);
    expect(text(profile.body)).toContain("Available");

    const friend = new Client(app.url);
    const friendName = uniq("friend").slice(0, 20);
    await signUpOverHttp(friend, pool, { code: codes[0]! });
    await friend.postMultipart("/join/profile", { username: friendName, bio: "" });
    const again = await client.get(`/u/${username}`);
    expect(text(again.body)).toContain(`Redeemed by @${friendName}`);

    // Another person's profile does not show their codes.
    const other = await friend.get(`/u/${username}`);
    expect(other.status).toBe(200);
    expect(other.body).not.toContain(codes[1]!);
  });

  it("sign out (POST) ends the session; sign in by username or email starts a new one", async () => {
    const client = new Client(app.url);
    const { email, username } = await onboardOverHttp(client, pool);
    const sessionsBefore = await pool.query(
      "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
      [email],
    );
    expect(sessionsBefore.rows[0].n).toBe(1);

    const out = await client.post("/signout", {});
    expect(out.status).toBe(302);
    expect(out.headers["set-cookie"]?.join("\n")).toMatch(/rh_session=;.*Max-Age=0/);
    const sessionsAfter = await pool.query(
      "SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
      [email],
    );
    expect(sessionsAfter.rows[0].n).toBe(0);
    expect(text((await client.get("/")).body)).toContain("I have an invite code");

    await client.get("/signin");
    const signIn = await client.post("/signin", {
      login: username.toUpperCase(),
      password: GOOD_PASSWORD,
      redirectTo: "/",
    });
    expect(signIn.status).toBe(302);
    expect(signIn.headers["set-cookie"]?.join("\n")).toMatch(
      /rh_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/,
    );
    expect(text((await client.get("/")).body)).toContain(`Welcome, @${username}`);

    await client.post("/signout", {});
    await client.get("/signin");
    const byEmail = await client.post("/signin", {
      login: email.toUpperCase(),
      password: GOOD_PASSWORD,
    });
    expect(byEmail.status).toBe(302);
  });

  it("a birthdate 13–17 years ago is stored as a minor", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const email = `${uniq("teen")}@example.com`;
    const fifteen = new Date();
    fifteen.setUTCFullYear(fifteen.getUTCFullYear() - 15);
    await client.get(`/join/account?code=${code}`);
    const res = await client.post(`/join/account?code=${code}`, {
      inviteCode: code,
      email,
      password: GOOD_PASSWORD,
      birthdate: fifteen.toISOString().slice(0, 10),
    });
    expect(res.status).toBe(302);
    expect((await userByEmail(email)).is_minor).toBe(true);
  });

  it("signed-out visitors are sent to sign in from pages that need an account", async () => {
    const client = new Client(app.url);
    const res = await client.get("/join/profile");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/signin?redirectTo=%2Fjoin%2Fprofile");
    const admin = await client.get("/admin");
    expect(admin.status).toBe(302);
  });

  it("waitlist: a person without a code leaves their email", async () => {
    const client = new Client(app.url);
    const email = `${uniq("wait")}@example.com`;
    await client.get("/waitlist");
    const res = await client.post("/waitlist", { email });
    expect(res.status).toBe(200);
    expect(text(res.body)).toContain("You're on the list");
    const row = await pool.query("SELECT status FROM waitlist WHERE email = $1", [email]);
    expect(row.rows[0].status).toBe("waiting");
    const bad = await client.post("/waitlist", { email: "not-an-email" });
    expect(bad.status).toBe(400);
    expect(text(bad.body)).toContain("Enter a valid email address");
  });
});

describe("admin page", () => {
  it("an admin turns invite-only off (sign-up without a code works) and accepts a waitlisted email", async () => {
    const admin = new Client(app.url);
    const { email, username } = await onboardOverHttp(admin, pool);
    await pool.query("UPDATE users SET is_admin = true WHERE email = $1", [email]);
    const page = await admin.get("/admin");
    expect(page.status).toBe(200);
    expect(text(page.body)).toContain("Invite-only mode");

    const waiting = `${uniq("w")}@example.com`;
    await pool.query("INSERT INTO waitlist (email) VALUES ($1)", [waiting]);
    await admin.get("/admin");
    const accepted = await admin.post("/admin", { intent: "accept", email: waiting });
    expect(accepted.status).toBe(200);
    const codeShown = /Their invite code ([A-Z0-9]{5}-[A-Z0-9]{5}) is in the outbox/.exec(
      text(accepted.body),
    )?.[1];
    expect(codeShown).toBeTruthy();
    const row = await pool.query("SELECT status, invite_code FROM waitlist WHERE email = $1", [
      waiting,
    ]);
    expect(row.rows[0]).toMatchObject({
      status: "accepted",
      invite_code: codeShown!.replace("-", ""),
    });

    try {
      await admin.post("/admin", { intent: "invite-only", value: "off" });
      const stranger = new Client(app.url);
      const join = await stranger.get("/join");
      expect(join.status).toBe(302);
      expect(join.headers.location).toBe("/join/account");
      await stranger.get("/join/account");
      const email2 = `${uniq("open")}@example.com`;
      const res = await stranger.post("/join/account", {
        email: email2,
        password: GOOD_PASSWORD,
        birthdate: ADULT_BIRTHDATE,
      });
      expect(res.status).toBe(302);
      expect(await userByEmail(email2)).toBeTruthy();
    } finally {
      await admin.get("/admin");
      await admin.post("/admin", { intent: "invite-only", value: "on" });
    }
    const setting = await pool.query("SELECT value FROM settings WHERE key = 'invite_only'");
    expect(setting.rows[0].value).toBe(true);
    expect(username).toBeTruthy();
  });

  it("a non-admin gets 403 from /admin", async () => {
    const client = new Client(app.url);
    await onboardOverHttp(client, pool);
    const res = await client.get("/admin");
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain("Only administrators");
  });
});
