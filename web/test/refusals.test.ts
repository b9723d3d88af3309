import { readdirSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADULT_BIRTHDATE,
  GOOD_PASSWORD,
  onboardOverHttp,
  signUpOverHttp,
  systemInvite,
} from "./fixtures.ts";
import {
  Client,
  loopbackAddress,
  multipartBody,
  startTestApp,
  type TestApp,
  text,
} from "./harness.ts";

const pool = testPool();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

const count = async (sql: string, params: unknown[] = []) =>
  (await pool.query(sql, params)).rows[0].n as number;
const usersWithEmail = (email: string) =>
  count("SELECT count(*)::int AS n FROM users WHERE lower(email) = lower($1)", [email]);
const inviteRedeemed = async (code: string) =>
  (await pool.query("SELECT redeemed_by FROM invite_codes WHERE code = $1", [code])).rows[0]
    ?.redeemed_by ?? null;

/** Every file under the media root (media and tmp/ partials). */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function accountForm(client: Client, code: string) {
  await client.get(`/join/account?code=${code}`);
  return {
    inviteCode: code,
    email: `${uniq("r")}@example.com`,
    password: GOOD_PASSWORD,
    birthdate: ADULT_BIRTHDATE,
  };
}

describe("sign-up refusals: clear message, nothing written", () => {
  it("an unknown invite code is refused at the invite step and at account creation", async () => {
    const client = new Client(app.url);
    await client.get("/join");
    const step1 = await client.post("/join", { code: "ZZZZZ-ZZZZZ" });
    expect(step1.status).toBe(400);
    expect(text(step1.body)).toContain("We don't know that invite code");

    const form = await accountForm(client, "ZZZZZZZZZZ");
    const res = await client.post("/join/account?code=ZZZZZZZZZZ", form);
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain("We don't know that invite code");
    expect(await usersWithEmail(form.email)).toBe(0);
  });

  it("a used invite code is refused and creates no account", async () => {
    const first = new Client(app.url);
    const { code } = await signUpOverHttp(first, pool);
    const client = new Client(app.url);
    await client.get("/join");
    const step1 = await client.post("/join", { code });
    expect(step1.status).toBe(409);
    expect(text(step1.body)).toContain("That invite code has already been used.");

    const form = await accountForm(client, code);
    const res = await client.post(`/join/account?code=${code}`, form);
    expect(res.status).toBe(409);
    expect(text(res.body)).toContain("That invite code has already been used.");
    expect(await usersWithEmail(form.email)).toBe(0);
  });

  it("an under-13 birthdate is refused; no account, the invite stays unused", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const form = await accountForm(client, code);
    const twelve = new Date();
    twelve.setUTCFullYear(twelve.getUTCFullYear() - 12);
    const res = await client.post(`/join/account?code=${code}`, {
      ...form,
      birthdate: twelve.toISOString().slice(0, 10),
    });
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain("You must be at least 13 years old to use Reelhouse.");
    expect(await usersWithEmail(form.email)).toBe(0);
    expect(await inviteRedeemed(code)).toBeNull();
  });

  it("a refused under-13 birthdate holds for that sign-up: a new birthdate, the same code or email, or the same browser is refused too", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const form = await accountForm(client, code);
    const twelve = new Date();
    twelve.setUTCFullYear(twelve.getUTCFullYear() - 12);
    const refused = await client.post(`/join/account?code=${code}`, {
      ...form,
      birthdate: twelve.toISOString().slice(0, 10),
    });
    expect(refused.status).toBe(403);
    // Same browser, same code, an adult birthdate now.
    await client.get(`/join/account?code=${code}`);
    const again = await client.post(`/join/account?code=${code}`, {
      ...form,
      birthdate: "1990-01-01",
    });
    expect(again.status).toBe(403);
    expect(text(again.body)).toContain("can't be changed for this sign-up");
    expect(await usersWithEmail(form.email)).toBe(0);
    // Another browser (no cookie) with the same invite code, or the same email with another code.
    const other = new Client(app.url);
    const sameCode = await accountForm(other, code);
    expect(
      (await other.post(`/join/account?code=${code}`, { ...sameCode, birthdate: "1990-01-01" }))
        .status,
    ).toBe(403);
    const third = new Client(app.url);
    const code2 = await systemInvite(pool);
    const sameEmail = await accountForm(third, code2);
    expect(
      (
        await third.post(`/join/account?code=${code2}`, {
          ...sameEmail,
          email: form.email,
          birthdate: "1990-01-01",
        })
      ).status,
    ).toBe(403);
    expect(await usersWithEmail(form.email)).toBe(0);
    expect(await inviteRedeemed(code)).toBeNull();
    // Someone else, elsewhere, with their own code and email still joins.
    const fine = new Client(app.url);
    const code3 = await systemInvite(pool);
    const ok = await accountForm(fine, code3);
    expect((await fine.post(`/join/account?code=${code3}`, ok)).status).toBe(302);
  });

  it.each([
    ["too short", "short1!", "Use at least 10 characters."],
    ["a common password", "password123", "one of the most commonly used"],
    ["containing the email", "EMAILNAME-is-my-secret", "must not contain your email"],
  ])(
    "a weak password (%s) is refused with a clear message; no account",
    async (_label, password, message) => {
      const client = new Client(app.url);
      const code = await systemInvite(pool);
      const form = await accountForm(client, code);
      const email = `emailname${uniq("")}@example.com`;
      const res = await client.post(`/join/account?code=${code}`, {
        ...form,
        email,
        password: password.replace("EMAILNAME", email.split("@")[0]!),
      });
      expect(res.status).toBe(400);
      expect(text(res.body)).toContain(message);
      expect(await usersWithEmail(email)).toBe(0);
      expect(await inviteRedeemed(code)).toBeNull();
    },
  );

  it("a username taken in another case is refused; the profile stays unset", async () => {
    const owner = new Client(app.url);
    const { username } = await onboardOverHttp(owner, pool, uniq("Taken").slice(0, 20));
    const client = new Client(app.url);
    const { email } = await signUpOverHttp(client, pool);
    const res = await client.postMultipart("/join/profile", {
      username: username.toLowerCase(),
      bio: "hello",
    });
    expect(res.status).toBe(409);
    expect(text(res.body)).toContain("That username is taken. Try another.");
    const row = await pool.query("SELECT username, bio FROM users WHERE email = $1", [email]);
    expect(row.rows[0]).toEqual({ username: null, bio: "" });
  });

  it("an invalid username is refused with the rule spelled out", async () => {
    const client = new Client(app.url);
    const { email } = await signUpOverHttp(client, pool);
    const res = await client.postMultipart("/join/profile", { username: "no spaces!", bio: "" });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain("Use only letters, digits, underscores (_) and dots (.).");
    expect(
      (await pool.query("SELECT username FROM users WHERE email = $1", [email])).rows[0].username,
    ).toBeNull();
  });
});

describe("CSRF and origin checks on every mutation", () => {
  it("a POST without a CSRF token is refused (403) and writes nothing", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const form = await accountForm(client, code);
    const res = await client.post(`/join/account?code=${code}`, form, { csrf: null });
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain("missing its security token (CSRF)");
    expect(await usersWithEmail(form.email)).toBe(0);
    expect(await inviteRedeemed(code)).toBeNull();
  });

  it("a CSRF token from another browser is refused (403)", async () => {
    const other = new Client(app.url);
    await other.get("/join");
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const form = await accountForm(client, code);
    const res = await client.post(`/join/account?code=${code}`, form, { csrf: other.csrf });
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain("not valid for your session");
    expect(await usersWithEmail(form.email)).toBe(0);
  });

  it("a signed-in session's token is bound to that session (sign-out with a stale token refused)", async () => {
    const client = new Client(app.url);
    await onboardOverHttp(client, pool);
    const res = await client.post("/signout", {}, { csrf: "x".repeat(43) });
    expect(res.status).toBe(403);
    expect(
      await count("SELECT count(*)::int AS n FROM sessions WHERE id_hash IS NOT NULL"),
    ).toBeGreaterThan(0);
  });

  it("a POST from another origin is refused (403) even with a valid token, and writes nothing", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    const form = await accountForm(client, code);
    const res = await client.post(`/join/account?code=${code}`, form, {
      headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(res.status).toBe(403);
    expect(text(res.body)).toContain("came from another");
    expect(await usersWithEmail(form.email)).toBe(0);

    const originOnly = await client.post(`/join/account?code=${code}`, form, {
      headers: { origin: "https://evil.example", "sec-fetch-site": "" },
    });
    expect(originOnly.status).toBe(403);
    expect(text(originOnly.body)).toContain("another origin (https://evil.example)");
    expect(await usersWithEmail(form.email)).toBe(0);
    expect(await inviteRedeemed(code)).toBeNull();
  });

  it("a multipart upload whose first field is not the CSRF token is refused before the file is read", async () => {
    const client = new Client(app.url);
    const { email } = await signUpOverHttp(client, pool);
    const { body, contentType } = multipartBody(null, { username: uniq("x").slice(0, 20) });
    const res = await client.request("POST", "/join/profile", {
      body,
      headers: { "content-type": contentType, origin: app.origin },
    });
    expect(res.status).toBe(403);
    expect(
      (await pool.query("SELECT username FROM users WHERE email = $1", [email])).rows[0].username,
    ).toBeNull();
  });
});

describe("security headers and cookies", () => {
  it("pages carry CSP (nonce'd scripts, frame-ancestors 'none'), nosniff, Referrer-Policy; cookies are HttpOnly + SameSite=Lax", async () => {
    const client = new Client(app.url);
    const res = await client.get("/");
    const csp = String(res.headers["content-security-policy"]);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(res.body).toContain(`nonce="${nonce}"`);
    expect(res.body).not.toMatch(/<script(?![^>]*nonce=)[^>]*>[^<]+<\/script>/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(res.headers["set-cookie"]?.[0]).toMatch(
      /^rh_anon=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
  });

  it("with an https PUBLIC_URL, cookies are Secure and only that origin may POST", async () => {
    const secureApp = await startTestApp({ publicUrl: "https://reelhouse.example" });
    try {
      const client = new Client(secureApp.url);
      const res = await client.get("/signin");
      expect(res.headers["set-cookie"]?.[0]).toMatch(/; Secure$/);
      expect(res.headers["strict-transport-security"]).toContain("max-age=");
      const refused = await client.post("/signin", { login: "x", password: "y" });
      expect(refused.status).toBe(403);
      expect(text(refused.body)).toContain("expected https://reelhouse.example");
    } finally {
      await secureApp.close();
    }
  });
});

describe("profile photo uploads", () => {
  it('a text file renamed ".png" is refused by its content (415); nothing stored', async () => {
    const client = new Client(app.url);
    const { email } = await signUpOverHttp(client, pool);
    const before = filesUnder(app.storage.root).length;
    const res = await client.postMultipart(
      "/join/profile",
      { username: uniq("p").slice(0, 20), bio: "" },
      {
        field: "photo",
        filename: "me.png",
        contentType: "image/png",
        data: Buffer.from("just some text, not a picture\n".repeat(50)),
      },
    );
    expect(res.status).toBe(415);
    expect(text(res.body)).toContain("That file is not an image we can read");
    const user = (
      await pool.query("SELECT id, username, photo_media_id FROM users WHERE email = $1", [email])
    ).rows[0];
    expect(user.username).toBeNull();
    expect(user.photo_media_id).toBeNull();
    expect(await count("SELECT count(*)::int AS n FROM media WHERE owner_id = $1", [user.id])).toBe(
      0,
    );
    expect(filesUnder(app.storage.root).length).toBe(before);
  });

  it("an oversized upload is stopped WHILE streaming: 413 arrives before the client has finished sending; no file remains", async () => {
    const client = new Client(app.url);
    const { email } = await signUpOverHttp(client, pool);
    const limit = 1024 * 1024; // startTestApp's maxPhotoBytes
    const total = 64 * limit; // what the client would send if nobody stopped it
    const boundary = "----rhoversize";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${client.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\n${uniq("big").slice(0, 20)}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="huge.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const result = await new Promise<{ status: number; sentWhenAnswered: number; body: string }>(
      (resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = http.request(`${app.url}/join/profile`, {
          method: "POST",
          localAddress: client.localAddress,
          headers: {
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "transfer-encoding": "chunked",
            origin: app.origin,
            cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
            accept: "text/html",
          },
        });
        req.on("response", (res) => {
          answered = true;
          const sentWhenAnswered = sent;
          const chunks: Buffer[] = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            req.destroy();
            resolve({
              status: res.statusCode ?? 0,
              sentWhenAnswered,
              body: Buffer.concat(chunks).toString(),
            });
          });
        });
        req.on("error", (err) => {
          if (!answered) reject(err);
        });
        req.write(head);
        sent += head.length;
        const pump = () => {
          if (answered || sent >= total) return;
          req.write(chunk, () => setImmediate(pump));
          sent += chunk.length;
        };
        pump();
      },
    );
    expect(result.status).toBe(413);
    expect(text(result.body)).toContain("The file is too large: the limit is 1 MB.");
    expect(result.sentWhenAnswered).toBeLessThan(total);
    expect(result.sentWhenAnswered).toBeLessThan(8 * limit);
    const user = (await pool.query("SELECT id, username FROM users WHERE email = $1", [email]))
      .rows[0];
    expect(user.username).toBeNull();
    expect(await count("SELECT count(*)::int AS n FROM media WHERE owner_id = $1", [user.id])).toBe(
      0,
    );
    // Give the server a moment to finish its cleanup, then: no media file, no partial temp file.
    await new Promise((r) => setTimeout(r, 200));
    expect(filesUnder(app.storage.root)).toEqual([]);
  });

  it("a declared Content-Length over the limit is refused before any byte is stored", async () => {
    const client = new Client(app.url);
    await signUpOverHttp(client, pool);
    const { body, contentType } = multipartBody(
      client.csrf,
      { username: uniq("cl").slice(0, 20) },
      {
        field: "photo",
        filename: "a.png",
        contentType: "image/png",
        data: Buffer.alloc(2 * 1024 * 1024, 1),
      },
    );
    const res = await client.request("POST", "/join/profile", {
      body,
      headers: { "content-type": contentType, origin: app.origin },
    });
    expect(res.status).toBe(413);
    expect(filesUnder(app.storage.root)).toEqual([]);
  });
});

describe("sign-up rate limits", () => {
  it("the 6th sign-up attempt for one email within 15 minutes gets 429 with Retry-After; no account is created", async () => {
    const client = new Client(app.url);
    const code = await systemInvite(pool);
    await client.get(`/join/account?code=${code}`);
    const email = `${uniq("su")}@example.com`;
    for (let i = 1; i <= 5; i++) {
      const res = await client.post(`/join/account?code=${code}`, {
        inviteCode: code,
        email,
        password: "short",
        birthdate: ADULT_BIRTHDATE,
      });
      expect(res.status).toBe(400);
    }
    const sixth = await client.post(`/join/account?code=${code}`, {
      inviteCode: code,
      email,
      password: GOOD_PASSWORD,
      birthdate: ADULT_BIRTHDATE,
    });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(0);
    expect(text(sixth.body)).toMatch(/Too many sign-up attempts/);
    expect(await usersWithEmail(email)).toBe(0);
    expect(await inviteRedeemed(code)).toBeNull();
  });
});

describe("sign-in rate limits", () => {
  it("the 6th rapid failed sign-in for an account gets 429 with Retry-After, even with the right password and a new spoofed X-Forwarded-For each time", async () => {
    const owner = new Client(app.url);
    const { username } = await onboardOverHttp(owner, pool);
    const attacker = new Client(app.url);
    await attacker.get("/signin");
    for (let i = 1; i <= 5; i++) {
      const res = await attacker.post(
        "/signin",
        { login: username, password: `wrong-password-${i}` },
        { headers: { "x-forwarded-for": `203.0.113.${i}` } },
      );
      expect(res.status).toBe(401);
      expect(text(res.body)).toContain("don't match");
    }
    const sixth = await attacker.post(
      "/signin",
      { login: username, password: GOOD_PASSWORD },
      { headers: { "x-forwarded-for": "198.51.100.77" } },
    );
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(text(sixth.body)).toMatch(/Too many sign-in attempts\. Try again in \d+ minutes?\./);
    // Refused before the password was checked: no session was created.
    expect(sixth.headers["set-cookie"]?.join("") ?? "").not.toContain("rh_session=");
  });

  it("the per-IP limit keys on the socket address: 20 failures from one address, then 429 whatever X-Forwarded-For says", async () => {
    const address = loopbackAddress();
    const client = new Client(app.url, address);
    await client.get("/signin");
    for (let i = 1; i <= 20; i++) {
      const res = await client.post(
        "/signin",
        { login: `${uniq("nobody")}@example.com`, password: "not-the-password" },
        { headers: { "x-forwarded-for": `192.0.2.${i}` } },
      );
      expect(res.status).toBe(401);
    }
    const res = await client.post(
      "/signin",
      { login: `${uniq("fresh")}@example.com`, password: "whatever-it-is" },
      { headers: { "x-forwarded-for": "192.0.2.250" } },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    const rows = await count("SELECT count(*)::int AS n FROM auth_attempts WHERE scope = $1", [
      `ip:${address}`,
    ]);
    expect(rows).toBe(20);
    // Another address is unaffected.
    const other = new Client(app.url);
    await other.get("/signin");
    const ok = await other.post("/signin", {
      login: `${uniq("n")}@example.com`,
      password: "whatever-it-is",
    });
    expect(ok.status).toBe(401);
  });

  it("behind a trusted proxy (TRUST_PROXY_HOPS=1) the limit keys on the proxy-reported client address, and https there makes cookies Secure", async () => {
    const proxied = await startTestApp({ trustProxyHops: 1 });
    try {
      const client = new Client(proxied.url);
      await client.get("/signin");
      const clientIp = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
      await client.post(
        "/signin",
        { login: `${uniq("p")}@example.com`, password: "nope-nope-nope" },
        { headers: { "x-forwarded-for": clientIp } },
      );
      expect(
        await count("SELECT count(*)::int AS n FROM auth_attempts WHERE scope = $1", [
          `ip:${clientIp}`,
        ]),
      ).toBeGreaterThan(0);
      // https at the proxy → Secure cookies; the same header without a trusted proxy changes nothing.
      const viaHttps = await new Client(proxied.url).request("GET", "/signin", {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(viaHttps.headers["set-cookie"]?.[0]).toMatch(/; Secure$/);
      const direct = await new Client(app.url).request("GET", "/signin", {
        headers: { "x-forwarded-proto": "https" },
      });
      expect(direct.headers["set-cookie"]?.[0]).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });
});
