import { randomUUID } from "node:crypto";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/**
 * Issue 16 part B, the holes a security review found in the web tier, each tried as the tester
 * did over real HTTP against the built app: open redirects after sign-in (B1), CR/LF in
 * redirectTo (B2), malformed percent-encoding and NUL in paths (B3), and the session cookie's
 * `__Host-` prefix and Secure flag over HTTPS, also behind a trusted proxy (B10).
 */

const pool = testPool();
let app: TestApp;
let member: { email: string; username: string };

beforeAll(async () => {
  app = await startTestApp();
  member = await onboardOverHttp(new Client(app.url), pool);
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

const sessionsOf = async (email: string) =>
  Number(
    (
      await pool.query(
        "SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1",
        [email],
      )
    ).rows[0].n,
  );

/** Signs in from a fresh client with the given redirectTo; returns the answer and the client. */
async function signIn(base: string, redirectTo: string, headers: Record<string, string> = {}) {
  const client = new Client(base);
  await client.request("GET", "/signin", { headers });
  const res = await client.post(
    "/signin",
    { login: member.email, password: GOOD_PASSWORD, redirectTo },
    { headers },
  );
  return { res, client };
}

describe("B1/B2 sign-in redirects stay on this site", () => {
  it("B1: tabs, backslashes and protocol-relative targets fall back to / (browsers strip tabs)", async () => {
    for (const target of [
      "/\t/evil.example/",
      "/\t\t/evil.example/",
      "/\t\\evil.example/",
      "//evil.example/",
      "/\\evil.example/",
      "https://evil.example/",
      " /evil",
      "/ /evil.example",
    ]) {
      const { res } = await signIn(app.url, target);
      expect(res.status, JSON.stringify(target)).toBe(302);
      expect(res.headers.location, JSON.stringify(target)).toBe("/");
    }
  });

  it("B1: an ordinary same-site path (with query and hash) is kept", async () => {
    const { res } = await signIn(app.url, "/p/abc?tab=comments#c1");
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/p/abc?tab=comments#c1");
  });

  it("B2: CR or LF in redirectTo signs in and redirects to / instead of answering 500", async () => {
    for (const target of [
      "/x\r\nSet-Cookie: evil=1",
      "/x\nLocation: https://evil.example",
      "/\r",
    ]) {
      const before = await sessionsOf(member.email);
      const { res, client } = await signIn(app.url, target);
      expect(res.status, JSON.stringify(target)).toBe(302);
      expect(res.headers.location).toBe("/");
      expect(res.headers["set-cookie"]?.join("\n")).not.toContain("evil=1");
      // The one session row created is the one the cookie carries: the client is signed in.
      expect(await sessionsOf(member.email)).toBe(before + 1);
      const home = await client.get("/signin");
      expect(home.status).toBe(302);
    }
  });
});

describe("B3 malformed paths answer 400, not 500", () => {
  it("bad percent-encoding and %00 on /media, /p, /projects, /s, /u and draft files", async () => {
    const client = new Client(app.url);
    const signedIn = await signIn(app.url, "/");
    const pid = randomUUID();
    const paths = [
      "/media/%E0%A4%A",
      "/media/%00",
      "/p/%E0%A4%A",
      "/p/%00",
      "/p/%E0%A4%A/file",
      "/projects/%E0%A4%A",
      "/projects/%00",
      "/s/%E0%A4%A",
      "/s/%00",
      "/u/%E0%A4%A",
      "/u/%00",
      `/projects/${pid}/drafts/%E0%A4%A/video.mp4`,
      `/projects/${pid}/drafts/%00/poster.jpg`,
      `/projects/${pid}/drafts/${randomUUID()}/%E0%A4%A`,
      "/%FF",
    ];
    for (const p of paths) {
      for (const c of [client, signedIn.client]) {
        const res = await c.get(p);
        expect(res.status, p).toBe(400);
        expect(text(res.body), p).toContain("This address is malformed");
      }
    }
    // Well-formed escapes still reach their routes (an unknown post is a 404, not a 400).
    expect((await client.get("/p/%41bc")).status).toBe(404);
  });
});

describe("B10 the session cookie over HTTPS", () => {
  const cookieLine = (res: { headers: { "set-cookie"?: string[] } }, name: string) =>
    res.headers["set-cookie"]?.find((l) => l.startsWith(`${name}=`));

  it("plain HTTP: rh_session without Secure (browsers refuse __Host- without it)", async () => {
    const { res } = await signIn(app.url, "/");
    expect(cookieLine(res, "rh_session")).toMatch(/^rh_session=[^;]+; Path=\/; HttpOnly/);
    expect(cookieLine(res, "rh_session")).not.toMatch(/Secure/);
    expect(cookieLine(res, "__Host-rh_session")).toBeUndefined();
  });

  it("an https PUBLIC_URL: __Host-rh_session, Secure, Path=/, no Domain; it signs the user in", async () => {
    const secureApp = await startTestApp({ publicUrl: "https://reelhouse.example" });
    try {
      // A TLS terminator in front that does not say so (no TRUST_PROXY_HOPS): the app still
      // knows it is served over https from PUBLIC_URL.
      const headers = { origin: "https://reelhouse.example" };
      const { res, client } = await signIn(secureApp.url, "/", headers);
      expect(res.status, text(res.body).slice(0, 300)).toBe(302);
      const line = cookieLine(res, "__Host-rh_session");
      expect(line).toMatch(/^__Host-rh_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
      expect(line).toMatch(/; Secure$/);
      expect(line).not.toMatch(/Domain=/i);
      expect(cookieLine(res, "rh_session")).toBeUndefined();
      // The prefixed cookie is the one read back: /signin sends a signed-in user home.
      expect((await client.get("/signin")).status).toBe(302);
    } finally {
      await secureApp.close();
    }
  });

  it("behind a trusted proxy (TRUST_PROXY_HOPS=1) saying X-Forwarded-Proto: https, the same", async () => {
    const proxied = await startTestApp({ trustProxyHops: 1 });
    try {
      const headers = { "x-forwarded-proto": "https" };
      const page = await new Client(proxied.url).request("GET", "/signin", { headers });
      expect(cookieLine(page, "__Host-rh_anon")).toMatch(/; Secure$/);
      const { res, client } = await signIn(proxied.url, "/", {
        ...headers,
        origin: proxied.url.replace("http:", "https:"),
      });
      expect(res.status, res.body.slice(0, 200)).toBe(302);
      expect(cookieLine(res, "__Host-rh_session")).toMatch(/; Secure$/);
      expect((await client.request("GET", "/signin", { headers })).status).toBe(302);
      // Without the proxy's word, the same app treats the request as plain HTTP.
      const direct = await new Client(proxied.url).get("/signin");
      expect(cookieLine(direct, "rh_anon")).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });

  it("an untrusted X-Forwarded-Proto (no TRUST_PROXY_HOPS) does not make cookies Secure", async () => {
    const page = await new Client(app.url).request("GET", "/signin", {
      headers: { "x-forwarded-proto": "https" },
    });
    expect(cookieLine(page, "rh_anon")).toBeDefined();
    expect(cookieLine(page, "__Host-rh_anon")).toBeUndefined();
  });
});
