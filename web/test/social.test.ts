import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { dataDir } from "@reelhouse/shared/paths.server";
import { makePost, type TestUser } from "@reelhouse/shared/social/test-fixtures";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * The social routes over real HTTP (built app, real Postgres): OpenGraph tags, access-checked media
 * with Range, the embeddable player's framing headers, CSRF and access on the mutations.
 */
const pool = testPool();
let app: TestApp;
let owner: Client;
let member: Client;
let ownerUser: TestUser;
let post: string;

async function userOf(username: string): Promise<TestUser> {
  const r = await pool.query<{ id: string; username: string }>(
    "SELECT id, username FROM users WHERE lower(username) = lower($1)",
    [username],
  );
  const u = r.rows[0]!;
  return {
    id: u.id,
    username: u.username,
    viewer: { id: u.id, isMinor: false, isModerator: false },
  };
}

beforeAll(async () => {
  app = await startTestApp();
  owner = new Client(app.url);
  member = new Client(app.url);
  const { username } = await onboardOverHttp(owner, pool);
  await onboardOverHttp(member, pool);
  ownerUser = await userOf(username);
  post = await makePost(pool, ownerUser, { caption: "Fox at dawn #fox" });
  // A real file where the post's rendition lives.
  const rel = path.join("posts", `http-${post}`, "feed.mp4");
  mkdirSync(path.dirname(path.join(dataDir(), rel)), { recursive: true });
  writeFileSync(path.join(dataDir(), rel), Buffer.alloc(10_000, 7));
  await pool.query("UPDATE posts SET video_path = $2 WHERE id = $1", [post, rel]);
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

describe("social routes over HTTP", () => {
  it("the public post page carries OpenGraph and player tags; the feed renders it for anonymous visitors", async () => {
    const anon = new Client(app.url);
    const page = await anon.get(`/p/${post}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      `<meta property="og:title" content="@${ownerUser.username} on Reelhouse"`,
    );
    expect(page.body).toMatch(
      new RegExp(
        `<meta property="og:video" content="http://127\\.0\\.0\\.1:\\d+/p/${post}/video\\.mp4"`,
      ),
    );
    expect(page.body).toMatch(/<meta name="twitter:player" content="[^"]+\/embed\//);
    expect(page.headers["x-frame-options"]).toBe("DENY");
    // The feed is server-rendered (other test files' posts share the database, so this post need
    // not be on its first page); its hashtag page lists it.
    const feed = await anon.get("/feed");
    expect(feed.status).toBe(200);
    expect(feed.body).toMatch(/<article[^>]+data-post-id="[0-9a-f-]{36}"/);
    const tag = await anon.get("/tag/fox");
    expect(tag.body).toContain(`href="/p/${post}"`);
  });

  it("serves the video with byte ranges, and only to people who may read the post", async () => {
    const anon = new Client(app.url);
    const range = await anon.request("GET", `/p/${post}/video.mp4`, {
      headers: { range: "bytes=100-199" },
    });
    expect(range.status).toBe(206);
    expect(range.headers["content-range"]).toBe("bytes 100-199/10000");
    expect(range.headers["content-length"]).toBe("100");
    await pool.query("UPDATE posts SET status = 'unpublished' WHERE id = $1", [post]);
    expect((await anon.get(`/p/${post}/video.mp4`)).status).toBe(404);
    expect((await member.get(`/p/${post}`)).status).toBe(404);
    expect((await owner.get(`/p/${post}`)).status).toBe(200);
    await pool.query("UPDATE posts SET status = 'published' WHERE id = $1", [post]);
    expect((await anon.get(`/p/${post}/secrets.txt`)).status).toBe(404);
  });

  it("a player dropping a video download mid-body is no server error: nothing logged, serving goes on", async () => {
    // A feed video the player leaves after the first bytes (scrolled past): 8 MB, so the body is
    // still streaming when the client goes.
    const big = await makePost(pool, ownerUser, { caption: "Long take" });
    const rel = path.join("posts", `http-${big}`, "feed.mp4");
    mkdirSync(path.dirname(path.join(dataDir(), rel)), { recursive: true });
    writeFileSync(path.join(dataDir(), rel), Buffer.alloc(8 * 1024 * 1024, 3));
    await pool.query("UPDATE posts SET video_path = $2 WHERE id = $1", [big, rel]);
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      errors.push(args.map(String).join(" "));
    });
    try {
      const url = new URL(`/p/${big}/video.mp4`, app.url);
      const closed = new Promise<number>((resolve, reject) => {
        const req = http.get(url, (res) => {
          res.once("data", () => {
            req.destroy(); // leaves after the first chunk
            resolve(res.statusCode ?? 0);
          });
        });
        req.on("error", (e) => {
          if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
        });
      });
      expect(await closed).toBe(200);
      // The moment the server takes to notice the closed socket and settle the response.
      await new Promise((r) => setTimeout(r, 500));
      expect((await new Client(app.url).get(`/p/${big}`)).status).toBe(200);
    } finally {
      spy.mockRestore();
    }
    expect(errors).toEqual([]);
  });

  it("the embed page may be framed by other sites; nothing else may", async () => {
    const anon = new Client(app.url);
    const embed = await anon.get(`/embed/${post}`);
    expect(embed.status).toBe(200);
    expect(embed.headers["content-type"]).toContain("text/html");
    expect(embed.headers["x-frame-options"]).toBeUndefined();
    expect(embed.headers["content-security-policy"]).toContain("frame-ancestors *");
    expect(embed.body).toContain(`/p/${post}/video.mp4`);
    const adults = await makePost(pool, ownerUser, { audience: "adults" });
    expect((await anon.get(`/embed/${adults}`)).status).toBe(404);
  });

  it("a like needs the CSRF token and a member, and counts once however often it is sent", async () => {
    await member.get(`/p/${post}`);
    const noToken = await member.post(`/p/${post}/like`, { intent: "like" }, { csrf: null });
    expect(noToken.status).toBe(403);
    const anon = new Client(app.url);
    await anon.get(`/p/${post}`);
    expect((await anon.post(`/p/${post}/like`, { intent: "like" })).status).toBe(404);
    for (let i = 0; i < 3; i++)
      expect((await member.post(`/p/${post}/like`, { intent: "like" })).status).toBe(200);
    const n = (await pool.query("SELECT like_count FROM posts WHERE id = $1", [post])).rows[0]
      .like_count;
    expect(n).toBe(1);
  });

  it("a member cannot delete the owner's comment by its id; the owner can delete the member's", async () => {
    await owner.get(`/p/${post}`);
    await owner.post(`/p/${post}/comments`, { intent: "add", body: "owner's note" });
    await member.get(`/p/${post}`);
    await member.post(`/p/${post}/comments`, { intent: "add", body: "member's note" });
    const ids = await pool.query<{ id: string; body: string }>(
      "SELECT id, body FROM comments WHERE post_id = $1",
      [post],
    );
    const ownerComment = ids.rows.find((c) => c.body === "owner's note")!.id;
    const memberComment = ids.rows.find((c) => c.body === "member's note")!.id;
    expect(
      (await member.post(`/p/${post}/comments`, { intent: "delete", commentId: ownerComment }))
        .status,
    ).toBe(403);
    expect(
      (await owner.post(`/p/${post}/comments`, { intent: "delete", commentId: memberComment }))
        .status,
    ).toBe(200);
    const left = await pool.query("SELECT body FROM comments WHERE post_id = $1", [post]);
    expect(left.rows.map((r) => r.body)).toEqual(["owner's note"]);
  });

  it("the moderation queue refuses non-moderators; notifications need a session", async () => {
    expect((await member.get("/moderation")).status).toBe(403);
    const anon = new Client(app.url);
    const n = await anon.get("/notifications");
    expect(n.status).toBe(302);
    expect(n.headers.location).toMatch(/^\/signin/);
    const count = await member.get("/notifications/count");
    expect(JSON.parse(count.body)).toEqual({ unread: expect.any(Number) });
  });
});
