import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDir } from "@reelhouse/shared/paths.server";
import {
  asTestUser,
  makePost,
  makeUser,
  type TestUser,
} from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, expect } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, type Res, startTestApp, type TestApp } from "./harness.ts";

/**
 * The world of the HTTP access matrix (social-access-*.test.ts): the built app, one signed-in
 * client per kind of person (plus an anonymous one), real follows and blocks made through the
 * routes, and the owner's posts in every state with real files. The domain rule is `canRead` in
 * shared/src/social/posts.server.ts, and its matrix is shared/src/social/access.server.test.ts;
 * these files prove the routes apply it. Invisible is 404 (the same answer as a wrong id); 403 only
 * for something the person can see but may not do.
 */

export const ROLES = [
  "owner",
  "follower", // follows the owner
  "stranger",
  "blocked", // the owner blocked them
  "blocker", // they blocked the owner
  "minor",
  "anonymous",
  "moderator",
] as const;
export type Role = (typeof ROLES)[number];
export type Person = Exclude<Role, "anonymous">;
export type Matrix = Record<Role, number>;
export type PostState = "pub" | "adults" | "unpub" | "removed" | "deleted";

// Before anything reads env(): the publish routes' DBOS client needs DATABASE_URL.
process.env.DATABASE_URL = testDatabaseUrl();
export const pool = testPool();
export const client = {} as Record<Role, Client>;
export const user = {} as Record<Person, TestUser>;
/** The owner's posts, one per state; all carry the hashtag `tag`. */
export const post = {} as Record<PostState, string>;
export const tag = uniq("acc")
  .replace(/[^a-z0-9_]/gi, "")
  .toLowerCase()
  .slice(0, 40);

/** `fallback` for every role, except the ones given. */
export function expectAll(fallback: number, except: Partial<Matrix> = {}): Matrix {
  return Object.fromEntries(ROLES.map((r) => [r, except[r] ?? fallback])) as Matrix;
}

/** A value for every signed-in role. */
export const mapPeople = <T>(fn: (r: Person) => T): Record<Person, T> =>
  Object.fromEntries(ROLES.filter((r) => r !== "anonymous").map((r) => [r, fn(r)])) as Record<
    Person,
    T
  >;

/** Runs `fn` for every role in turn (in order, so database checks in between stay meaningful). */
export async function matrix(fn: (c: Client, r: Role) => Promise<Res | number>): Promise<Matrix> {
  const out = {} as Matrix;
  for (const r of ROLES) {
    const res = await fn(client[r], r);
    out[r] = typeof res === "number" ? res : res.status;
  }
  return out;
}

/** Who may read a post in each state (the Access rule in shared/src/social/README.md). */
export const READ: Record<PostState, Matrix> = {
  pub: expectAll(200, { blocked: 404, blocker: 404 }),
  adults: expectAll(200, { blocked: 404, blocker: 404, minor: 404, anonymous: 404 }),
  unpub: expectAll(404, { owner: 200, moderator: 200 }),
  removed: expectAll(404, { owner: 200, moderator: 200 }),
  deleted: expectAll(404),
};
export const STATES = Object.keys(READ) as PostState[];

/** What a mutation on a post answers: 404 where the post is invisible (or no one is signed in). */
export function actOn(state: PostState, ok: number, visibleButRefused = 403): Matrix {
  const out = {} as Matrix;
  for (const r of ROLES) {
    if (READ[state][r] !== 200 || r === "anonymous") out[r] = 404;
    else if (state === "pub" || state === "adults") out[r] = ok;
    else out[r] = visibleButRefused;
  }
  return out;
}

/** The user ids of the roles that got `status`, sorted (to compare with rows). */
export const allowedBy = (m: Matrix, status: number): string[] =>
  ROLES.filter((r) => r !== "anonymous" && m[r] === status)
    .map((r) => user[r as Person].id)
    .sort();

export const ids = async (sql: string, args: unknown[]): Promise<string[]> =>
  (await pool.query<{ id: string }>(sql, args)).rows.map((r) => r.id).sort();

export const count = async (sql: string, args: unknown[]): Promise<number> =>
  Number((await pool.query<{ n: string }>(sql, args)).rows[0]!.n);

/** Which of the owner's posts (by state) a page or data response lists. */
export const listed = (body: string): PostState[] => STATES.filter((s) => body.includes(post[s]));

async function userOf(username: string, flags: { minor?: boolean; moderator?: boolean }) {
  const r = await pool.query<{ id: string }>(
    "UPDATE users SET is_minor = $2, is_moderator = $3 WHERE lower(username) = lower($1) RETURNING id",
    [username, flags.minor === true, flags.moderator === true],
  );
  return asTestUser(r.rows[0]!.id, username, flags);
}

/** A post of the owner with real files where its rendition, poster and download live. */
export async function ownerPost(
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

/**
 * Registers the file's beforeAll/afterAll: starts the app and builds the world. `feedFiller` adds
 * another creator's hot posts, so the per-creator cap spreads them over several For you pages and
 * a feed walk goes through the feed's data requests, not only the server-rendered page.
 */
export function setUpAccessWorld(opts: { feedFiller?: boolean } = {}) {
  let app: TestApp | undefined;
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
    const hot = { likes: 100_000 };
    post.pub = await ownerPost({ caption: `Fox at dawn #${tag}`, ...hot });
    post.adults = await ownerPost({ caption: `Late show #${tag}`, audience: "adults", ...hot });
    post.unpub = await ownerPost({ caption: `Draft-ish #${tag}`, status: "unpublished", ...hot });
    post.removed = await ownerPost({ caption: `Removed #${tag}`, status: "removed", ...hot });
    post.deleted = await ownerPost({ caption: `Gone #${tag}`, status: "deleted", ...hot });
    if (opts.feedFiller) {
      const filler = await makeUser(pool);
      for (let i = 0; i < 12; i++) {
        const id = await makePost(pool, filler, { caption: `filler ${i}` });
        await pool.query("UPDATE posts SET like_count = 200000 WHERE id = $1", [id]);
      }
    }
  });
  afterAll(async () => {
    await app?.close();
    await pool.end();
  });
}
