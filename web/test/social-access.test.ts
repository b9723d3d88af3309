import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@reelhouse/shared/paths.server";
import { makeDraft, makePost, type TestUser } from "@reelhouse/shared/social/test-fixtures";
import { testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, type Res, startTestApp, type TestApp } from "./harness.ts";

/**
 * The access matrix over real HTTP (built app, real Postgres): every social route and action ×
 * every kind of person. The domain rule is `canRead` in shared/src/social/posts.server.ts and its
 * matrix is shared/src/social/access.server.test.ts; this file proves the routes apply it.
 * Invisible is 404 (the same answer as a wrong id); 403 only for something the person can see but
 * may not do. Every refused mutation is also checked in the database: nothing changed.
 */

const ROLES = [
  "owner",
  "follower",
  "stranger",
  "blocked", // the owner blocked them
  "blocker", // they blocked the owner
  "minor",
  "anonymous",
  "moderator",
] as const;
type Role = (typeof ROLES)[number];
type Person = Exclude<Role, "anonymous">;
type Matrix = Record<Role, number>;

const pool = testPool();
let app: TestApp;
const client = {} as Record<Role, Client>;
const user = {} as Record<Person, TestUser>;

/** `fallback` for every role, except the ones given. */
function expectAll(fallback: number, except: Partial<Matrix> = {}): Matrix {
  return Object.fromEntries(ROLES.map((r) => [r, except[r] ?? fallback])) as Matrix;
}

/** Runs `fn` for every role in turn (in order, so database checks in between stay meaningful). */
async function matrix(fn: (c: Client, r: Role) => Promise<Res | number>): Promise<Matrix> {
  const out = {} as Matrix;
  for (const r of ROLES) {
    const res = await fn(client[r], r);
    out[r] = typeof res === "number" ? res : res.status;
  }
  return out;
}

async function userOf(username: string, flags: { minor?: boolean; moderator?: boolean }) {
  const r = await pool.query<{ id: string }>(
    "UPDATE users SET is_minor = $2, is_moderator = $3 WHERE lower(username) = lower($1) RETURNING id",
    [username, flags.minor === true, flags.moderator === true],
  );
  const id = r.rows[0]!.id;
  return {
    id,
    username,
    viewer: { id, isMinor: flags.minor === true, isModerator: flags.moderator === true },
  };
}

/** A post of the owner with real files where its rendition, poster and download live. */
async function ownerPost(
  opts: Parameters<typeof makePost>[2] & { status?: string; likes?: number } = {},
): Promise<string> {
  const id = await makePost(pool, user.owner, opts);
  const dir = path.join("posts", `access-${id}`);
  mkdirSync(path.join(dataDir(), dir), { recursive: true });
  const files = { video: "feed.mp4", poster: "poster.jpg", download: "download.mp4" };
  for (const f of Object.values(files))
    writeFileSync(path.join(dataDir(), dir, f), Buffer.alloc(2048, 1));
  await pool.query(
    `UPDATE posts SET video_path = $2, poster_path = $3, download_path = $4,
            status = coalesce($5, status), like_count = $6 WHERE id = $1`,
    [
      id,
      path.join(dir, files.video),
      path.join(dir, files.poster),
      path.join(dir, files.download),
      opts.status ?? null,
      opts.likes ?? 0,
    ],
  );
  return id;
}

const post = {} as Record<"pub" | "adults" | "unpub" | "removed" | "deleted", string>;
const tag = uniq("acc")
  .replace(/[^a-z0-9_]/gi, "")
  .toLowerCase()
  .slice(0, 40);

beforeAll(async () => {
  app = await startTestApp();
  for (const r of ROLES) client[r] = new Client(app.url);
  for (const r of ROLES) {
    if (r === "anonymous") continue;
    const { username } = await onboardOverHttp(client[r], pool);
    user[r] = await userOf(username, { minor: r === "minor", moderator: r === "moderator" });
  }
  // The anonymous visitor's CSRF token is bound to its anonymous cookie.
  await client.anonymous.get("/signin");
  expect(client.anonymous.csrf).not.toBe("");
  // Relations through the real routes.
  const rel = async (c: Client, who: Person, intent: string) => {
    const res = await c.post(`/u/${user[who].username}/follow`, { intent });
    expect(res.status, `${intent} @${who}`).toBe(200);
  };
  await rel(client.follower, "owner", "follow");
  await rel(client.owner, "blocked", "block");
  await rel(client.blocker, "owner", "block");
  // The owner's posts in every state. The high like count puts them on the feeds' first pages.
  post.pub = await ownerPost({ caption: `Fox at dawn #${tag}`, likes: 100_000 });
  post.adults = await ownerPost({
    caption: `Late show #${tag}`,
    audience: "adults",
    likes: 100_000,
  });
  post.unpub = await ownerPost({
    caption: `Draft-ish #${tag}`,
    status: "unpublished",
    likes: 100_000,
  });
  post.removed = await ownerPost({ caption: `Removed #${tag}`, status: "removed", likes: 100_000 });
  post.deleted = await ownerPost({ caption: `Gone #${tag}`, status: "deleted", likes: 100_000 });
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

/** Who may read a post in each state (the Access rule in shared/src/social/README.md). */
const READ: Record<keyof typeof post, Matrix> = {
  pub: expectAll(200, { blocked: 404, blocker: 404 }),
  adults: expectAll(200, { blocked: 404, blocker: 404, minor: 404, anonymous: 404 }),
  unpub: expectAll(404, { owner: 200, moderator: 200 }),
  removed: expectAll(404, { owner: 200, moderator: 200 }),
  deleted: expectAll(404),
};
const STATES = Object.keys(READ) as (keyof typeof post)[];

const count = async (sql: string, args: unknown[]): Promise<number> =>
  Number((await pool.query<{ n: string }>(sql, args)).rows[0]!.n);

describe("reading posts: /p/:postId, its files and the embed", () => {
  for (const state of STATES) {
    it(`a ${state} post's page answers by the read rule (invisible = 404)`, async () => {
      expect(await matrix((c) => c.get(`/p/${post[state]}`))).toEqual(READ[state]);
    });
    it(`a ${state} post's video, poster and download follow the same rule`, async () => {
      for (const file of ["video.mp4", "poster.jpg", "download.mp4"]) {
        const m = await matrix((c) => c.get(`/p/${post[state]}/${file}`));
        expect(m, file).toEqual(state === "deleted" ? expectAll(404) : READ[state]);
      }
    });
  }

  it("a guessed post id, a garbage id and an unknown file name are 404 for everyone, never 500", async () => {
    for (const p of [`/p/${randomUUID()}`, "/p/not-a-uuid", `/p/${randomUUID()}/video.mp4`])
      expect(await matrix((c) => c.get(p)), p).toEqual(expectAll(404));
    expect(await matrix((c) => c.get(`/p/${post.pub}/secrets.txt`))).toEqual(expectAll(404));
    expect(await matrix((c) => c.get("/p/not-a-uuid/poster.jpg"))).toEqual(expectAll(404));
  });

  it("the embed is what an anonymous visitor sees, whoever asks: published all-audience posts only", async () => {
    expect(await matrix((c) => c.get(`/embed/${post.pub}`))).toEqual(expectAll(200));
    for (const state of ["adults", "unpub", "removed", "deleted"] as const)
      expect(await matrix((c) => c.get(`/embed/${post[state]}`)), state).toEqual(expectAll(404));
    expect(await matrix((c) => c.get(`/embed/${randomUUID()}`))).toEqual(expectAll(404));
    expect(await matrix((c) => c.get("/embed/not-a-uuid"))).toEqual(expectAll(404));
  });
});
