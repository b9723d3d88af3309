import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { dataDir } from "@reelhouse/shared/paths.server";
import { addComment } from "@reelhouse/shared/social/interactions.server";
import { report } from "@reelhouse/shared/social/moderation.server";
import { notify } from "@reelhouse/shared/social/notifications.server";
import {
  makeDraft,
  makePost,
  makeUser,
  type TestUser,
} from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, type Res, startTestApp, type TestApp, text } from "./harness.ts";

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

// Before anything reads env(): the publish routes' DBOS client needs DATABASE_URL.
process.env.DATABASE_URL = testDatabaseUrl();
const pool = testPool();
let app: TestApp;
const client = {} as Record<Role, Client>;
const user = {} as Record<Person, TestUser>;

/** `fallback` for every role, except the ones given. */
function expectAll(fallback: number, except: Partial<Matrix> = {}): Matrix {
  return Object.fromEntries(ROLES.map((r) => [r, except[r] ?? fallback])) as Matrix;
}

/** A value for every signed-in role. */
const mapPeople = <T>(fn: (r: Person) => T): Record<Person, T> =>
  Object.fromEntries(ROLES.filter((r) => r !== "anonymous").map((r) => [r, fn(r)])) as Record<
    Person,
    T
  >;

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
  // Another creator's hot posts: the per-creator cap spreads them over several For you pages, so
  // the walks below go through the feed's data requests, not only the server-rendered page.
  const filler = await makeUser(pool);
  for (let i = 0; i < 12; i++) {
    const id = await makePost(pool, filler, { caption: `filler ${i}` });
    await pool.query("UPDATE posts SET like_count = 200000 WHERE id = $1", [id]);
  }
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

/** Which of the owner's posts (by state) a page or data response lists. */
const listed = (body: string): string[] => STATES.filter((s) => body.includes(post[s]));
const cursorIn = (body: string): string | null => /(eyJ[A-Za-z0-9_-]{20,})/.exec(body)?.[1] ?? null;

/**
 * Walks a feed tab as VerticalFeed does: the server-rendered first page, then the fetcher's data
 * requests (/feed.data?tab=…&cursor=…) until there is no next cursor. Every response must be 200.
 */
async function walkFeed(c: Client, tab: "foryou" | "following", cursor?: string) {
  const seen = new Set<string>();
  let next: string | null = cursor ?? null;
  if (!cursor) {
    const first = await c.get(`/feed?tab=${tab}`);
    expect(first.status).toBe(200);
    for (const s of listed(first.body)) seen.add(s);
    next = cursorIn(first.body);
  }
  let pages = 0;
  for (; next && pages < 200; pages++) {
    const res = await c.get(
      `/feed.data?tab=${tab}&cursor=${encodeURIComponent(next)}&_routes=routes%2Ffeed`,
    );
    expect(res.status).toBe(200);
    for (const s of listed(res.body)) seen.add(s);
    next = cursorIn(res.body);
  }
  return { states: [...seen].sort(), dataPages: pages };
}

describe("feeds, hashtags and trending", () => {
  it("For you, over every page the feed requests, lists only what each person may read (never their own)", async () => {
    const out = {} as Record<Role, string[]>;
    for (const r of ROLES) {
      const walk = await walkFeed(client[r], "foryou");
      expect(walk.dataPages, r).toBeGreaterThan(1);
      out[r] = walk.states;
    }
    expect(out).toEqual({
      owner: [],
      follower: ["adults", "pub"],
      stranger: ["adults", "pub"],
      blocked: [],
      blocker: [],
      minor: ["pub"],
      anonymous: ["pub"],
      moderator: ["adults", "pub"],
    });
  });

  it("a forged For you cursor holding every post id serves only the published posts the person may read", async () => {
    const forged = Buffer.from(
      JSON.stringify({
        v: 1,
        s: 1e12,
        i: "ffffffff-ffff-4fff-bfff-ffffffffffff",
        t: new Date(Date.now() + 60_000).toISOString(),
        d: STATES.map((s) => post[s]),
      }),
    ).toString("base64url");
    const out = {} as Record<Role, string[]>;
    for (const r of ROLES) {
      const res = await client[r].get(
        `/feed.data?tab=foryou&cursor=${forged}&_routes=routes%2Ffeed`,
      );
      expect(res.status, r).toBe(200);
      out[r] = listed(res.body).sort();
    }
    expect(out).toEqual({
      owner: ["adults", "pub"],
      follower: ["adults", "pub"],
      stranger: ["adults", "pub"],
      blocked: [],
      blocker: [],
      minor: ["pub"],
      anonymous: ["pub"],
      moderator: ["adults", "pub"],
    });
  });

  it("a garbage cursor is a 400 on both tabs and on the data request, not a 500", async () => {
    for (const url of [
      "/feed?cursor=not-a-cursor",
      "/feed.data?tab=foryou&cursor=%7B%7D&_routes=routes%2Ffeed",
    ])
      expect(await matrix((c) => c.get(url)), url).toEqual(expectAll(400));
    // Following is empty for anonymous visitors before any cursor is read.
    expect(await matrix((c) => c.get("/feed?tab=following&cursor=eyJub3BlIjp0cnVlfQ"))).toEqual(
      expectAll(400, { anonymous: 200 }),
    );
  });

  it("Following lists the followed creator's readable posts to the follower only", async () => {
    const out = {} as Record<Role, string[]>;
    for (const r of ROLES) out[r] = (await walkFeed(client[r], "following")).states;
    expect(out).toEqual({
      owner: [],
      follower: ["adults", "pub"],
      stranger: [],
      blocked: [],
      blocker: [],
      minor: [],
      anonymous: [],
      moderator: [],
    });
  });

  it("a hashtag page lists only readable published posts; a malformed tag is 404", async () => {
    const out = {} as Record<Role, string[]>;
    for (const r of ROLES) {
      const res = await client[r].get(`/tag/${tag}`);
      expect(res.status, r).toBe(200);
      out[r] = listed(res.body).sort();
    }
    expect(out).toEqual({
      owner: ["adults", "pub"],
      follower: ["adults", "pub"],
      stranger: ["adults", "pub"],
      blocked: [],
      blocker: [],
      minor: ["pub"],
      anonymous: ["pub"],
      moderator: ["adults", "pub"],
    });
    expect(await matrix((c) => c.get("/tag/no%20such!tag"))).toEqual(expectAll(404));
  });

  it("trending counts a hashtag's published posts only, and adults-only ones only for adults", async () => {
    const out = {} as Record<Role, number | null>;
    for (const r of ROLES) {
      const res = await client[r].get("/trending");
      expect(res.status, r).toBe(200);
      const m = new RegExp(`#${tag} (\\d+) videos?`).exec(text(res.body));
      out[r] = m ? Number(m[1]) : null;
    }
    // Trending shows counts per hashtag, never posts: a block does not change the count.
    expect(out).toEqual({
      owner: 2,
      follower: 2,
      stranger: 2,
      blocked: 2,
      blocker: 2,
      minor: 1,
      anonymous: 1,
      moderator: 2,
    });
  });
});

/** What a mutation on a post answers: 404 where the post is invisible (or no one is signed in). */
function actOn(state: keyof typeof post, ok: number, visibleButRefused = 403): Matrix {
  const out = {} as Matrix;
  for (const r of ROLES) {
    if (READ[state][r] !== 200 || r === "anonymous") out[r] = 404;
    else if (state === "pub" || state === "adults") out[r] = ok;
    else out[r] = visibleButRefused;
  }
  return out;
}
const allowedBy = (m: Matrix, status: number): string[] =>
  ROLES.filter((r) => r !== "anonymous" && m[r] === status)
    .map((r) => user[r as Person].id)
    .sort();
const ids = async (sql: string, args: unknown[]): Promise<string[]> =>
  (await pool.query<{ id: string }>(sql, args)).rows.map((r) => r.id).sort();

describe("likes, comments, owner actions and remixes", () => {
  for (const state of STATES) {
    it(`liking and unliking a ${state} post: signed-in people who can read it; refusals store nothing`, async () => {
      const expected = actOn(state, 200);
      expect(await matrix((c) => c.post(`/p/${post[state]}/like`, { intent: "like" }))).toEqual(
        expected,
      );
      expect(
        await ids("SELECT user_id AS id FROM likes WHERE post_id = $1", [post[state]]),
      ).toEqual(allowedBy(expected, 200));
      expect(await matrix((c) => c.post(`/p/${post[state]}/like`, { intent: "unlike" }))).toEqual(
        state === "pub" || state === "adults" ? expected : actOn(state, 200, 200),
      );
      expect(await count("SELECT count(*) AS n FROM likes WHERE post_id = $1", [post[state]])).toBe(
        0,
      );
    });

    it(`commenting on a ${state} post: signed-in people who can read it; refusals store nothing`, async () => {
      const before = await count("SELECT count(*) AS n FROM comments WHERE post_id = $1", [
        post[state],
      ]);
      const expected = actOn(state, 200);
      expect(
        await matrix((c, r) =>
          c.post(`/p/${post[state]}/comments`, { intent: "add", body: `hello from ${r}` }),
        ),
      ).toEqual(expected);
      expect(
        await ids(
          "SELECT author_id AS id FROM comments WHERE post_id = $1 AND body LIKE 'hello from %'",
          [post[state]],
        ),
      ).toEqual(allowedBy(expected, 200));
      expect(
        await count("SELECT count(*) AS n FROM comments WHERE post_id = $1", [post[state]]),
      ).toBe(before + allowedBy(expected, 200).length);
    });
  }

  it("replying: to a comment of the same post only; a parent id from another post or a garbage one is 404", async () => {
    const parent = (
      await client.stranger.post(`/p/${post.pub}/comments`, { intent: "add", body: "parent" })
    ).body;
    const parentId = JSON.parse(parent).id as string;
    const expected = actOn("pub", 200);
    expect(
      await matrix((c, r) =>
        c.post(`/p/${post.pub}/comments`, { intent: "add", body: `reply by ${r}`, parentId }),
      ),
    ).toEqual(expected);
    expect(
      await ids("SELECT author_id AS id FROM comments WHERE parent_id = $1", [parentId]),
    ).toEqual(allowedBy(expected, 200));
    // A parent on another post (the adults-only one) or a made-up one.
    const other = (
      await pool.query<{ id: string }>("SELECT id FROM comments WHERE post_id = $1 LIMIT 1", [
        post.adults,
      ])
    ).rows[0]!.id;
    const before = await count("SELECT count(*) AS n FROM comments WHERE post_id = ANY($1)", [
      Object.values(post),
    ]);
    for (const bad of [other, randomUUID(), "not-a-uuid"])
      expect(
        (
          await client.stranger.post(`/p/${post.pub}/comments`, {
            intent: "add",
            body: "stray",
            parentId: bad,
          })
        ).status,
        bad,
      ).toBe(404);
    expect(
      await count("SELECT count(*) AS n FROM comments WHERE post_id = ANY($1)", [
        Object.values(post),
      ]),
    ).toBe(before);
  });

  it("editing a comment: only its author; the others' texts never land", async () => {
    const { id } = JSON.parse(
      (await client.stranger.post(`/p/${post.pub}/comments`, { intent: "add", body: "typo" })).body,
    ) as { id: string };
    expect(
      await matrix((c, r) =>
        c.post(`/p/${post.pub}/comments`, {
          intent: "edit",
          commentId: id,
          body: `edited by ${r}`,
        }),
      ),
    ).toEqual(expectAll(403, { stranger: 200, blocked: 404, blocker: 404, anonymous: 404 }));
    const row = (await pool.query("SELECT body FROM comments WHERE id = $1", [id])).rows[0];
    expect(row.body).toBe("edited by stranger");
  });

  it("deleting someone else's comment: only the post's owner; a refusal leaves it in place", async () => {
    const commenter = await makeUser(pool);
    const results = {} as Matrix;
    for (const r of ROLES) {
      const { id } = await addComment(pool, commenter.viewer, post.pub, `for ${r} to delete`);
      results[r] = (
        await client[r].post(`/p/${post.pub}/comments`, { intent: "delete", commentId: id })
      ).status;
      const left = await count("SELECT count(*) AS n FROM comments WHERE id = $1", [id]);
      expect(left, r).toBe(results[r] === 200 ? 0 : 1);
    }
    // Moderators remove comments through a logged decision on /moderation, not silently here.
    expect(results).toEqual(
      expectAll(403, { owner: 200, blocked: 404, blocker: 404, anonymous: 404 }),
    );
  });

  it("deleting one's own comment works for everyone who could write it", async () => {
    const expected = actOn("pub", 200);
    const results = {} as Matrix;
    for (const r of ROLES) {
      if (expected[r] !== 200) {
        results[r] = expected[r];
        continue;
      }
      const { id } = JSON.parse(
        (await client[r].post(`/p/${post.pub}/comments`, { intent: "add", body: "mine" })).body,
      ) as { id: string };
      results[r] = (
        await client[r].post(`/p/${post.pub}/comments`, { intent: "delete", commentId: id })
      ).status;
      expect(await count("SELECT count(*) AS n FROM comments WHERE id = $1", [id]), r).toBe(0);
    }
    expect(results).toEqual(expected);
  });

  it("guessing comment ids: made-up, garbage, or sent through another post's URL: nothing changes", async () => {
    const commenter = await makeUser(pool);
    const elsewherePost = await makePost(pool, commenter);
    const { id: elsewhere } = await addComment(pool, commenter.viewer, elsewherePost, "elsewhere");
    const before = await pool.query(
      "SELECT id, body FROM comments WHERE post_id = ANY($1) ORDER BY id",
      [[...Object.values(post), elsewherePost]],
    );
    for (const intent of ["delete", "edit"]) {
      const send = (commentId: string) => (c: Client) =>
        c.post(`/p/${post.pub}/comments`, { intent, commentId, body: "hijacked" });
      expect(await matrix(send(randomUUID())), `${intent} made-up`).toEqual(expectAll(404));
      expect(await matrix(send("not-a-uuid")), `${intent} garbage`).toEqual(expectAll(404));
      // The owner of /p/pub does not own `elsewhere`'s post: the URL's post grants nothing.
      expect(await matrix(send(elsewhere)), `${intent} elsewhere`).toEqual(
        expectAll(403, { anonymous: 404 }),
      );
    }
    expect(
      (
        await pool.query("SELECT id, body FROM comments WHERE post_id = ANY($1) ORDER BY id", [
          [...Object.values(post), elsewherePost],
        ])
      ).rows,
    ).toEqual(before.rows);
  });

  it("a comment on an unpublished post is 'not found' to everyone but the post's owner and moderators", async () => {
    const commenter = await makeUser(pool);
    const results = { delete: {} as Matrix, edit: {} as Matrix };
    for (const intent of ["delete", "edit"] as const)
      for (const r of ROLES) {
        // Written while the post was out, so the post's owner may still delete it.
        const hidden = (
          await pool.query<{ id: string }>(
            "INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, 'hidden') RETURNING id",
            [post.unpub, commenter.id],
          )
        ).rows[0]!.id;
        const res = await client[r].post(`/p/${post.unpub}/comments`, {
          intent,
          commentId: hidden,
          body: "hijacked",
        });
        results[intent][r] = res.status;
        const row = (await pool.query("SELECT body FROM comments WHERE id = $1", [hidden])).rows[0];
        expect(row?.body ?? null, `${intent} ${r}`).toBe(res.status === 200 ? null : "hidden");
      }
    expect(results).toEqual({
      delete: expectAll(404, { owner: 200, moderator: 403 }),
      edit: expectAll(404, { owner: 403, moderator: 403 }),
    });
  });

  const MANAGE = ["unpublish", "publish", "forbid-remix", "allow-remix", "delete"] as const;
  for (const intent of MANAGE) {
    it(`/p/:postId/manage intent=${intent}: only the owner; nobody else changes the post`, async () => {
      const id = await ownerPost({ status: intent === "publish" ? "unpublished" : undefined });
      const snapshot = async () =>
        (await pool.query("SELECT status, allow_remix FROM posts WHERE id = $1", [id])).rows[0];
      const before = await snapshot();
      const others = {} as Matrix;
      // The owner goes last, so every refusal is checked against the untouched post.
      for (const r of ROLES.filter((x) => x !== "owner")) {
        others[r] = (await client[r].post(`/p/${id}/manage`, { intent })).status;
        expect(await snapshot(), r).toEqual(before);
      }
      const own = await client.owner.post(`/p/${id}/manage`, { intent });
      others.owner = own.status;
      // A post waiting to be republished is visible only to its owner and moderators.
      const expected =
        intent === "publish"
          ? expectAll(404, { owner: 200, moderator: 403 })
          : expectAll(403, { owner: 200, blocked: 404, blocker: 404, anonymous: 404 });
      if (intent === "delete") {
        expected.owner = 302;
        expect(own.headers.location).toBe(`/u/${user.owner.username}`);
      }
      expect(others).toEqual(expected);
      const after = await snapshot();
      expect(after).toEqual(
        {
          unpublish: { status: "unpublished", allow_remix: true },
          publish: { status: "published", allow_remix: true },
          "forbid-remix": { status: "published", allow_remix: false },
          "allow-remix": { status: "published", allow_remix: true },
          delete: { status: "deleted", allow_remix: true },
        }[intent],
      );
    });
  }

  it("the owner cannot republish a post a moderator removed; an unknown action is 400, a made-up post id 404", async () => {
    const id = await ownerPost({ status: "removed" });
    expect((await client.owner.post(`/p/${id}/manage`, { intent: "publish" })).status).toBe(403);
    expect((await pool.query("SELECT status FROM posts WHERE id = $1", [id])).rows[0].status).toBe(
      "removed",
    );
    // An unknown action is refused, whoever asks, and changes nothing.
    expect(await matrix((c) => c.post(`/p/${post.pub}/manage`, { intent: "transfer" }))).toEqual(
      expectAll(400),
    );
    expect(
      (await pool.query("SELECT status FROM posts WHERE id = $1", [post.pub])).rows[0].status,
    ).toBe("published");
    for (const intent of MANAGE)
      expect(await matrix((c) => c.post(`/p/${randomUUID()}/manage`, { intent })), intent).toEqual(
        expectAll(404),
      );
  });

  it("remixing: signed-in readers of a published post that allows it; refusals create no project", async () => {
    const remixes = (id: string) =>
      ids("SELECT created_by AS id FROM project_remixes WHERE remix_of = $1", [id]);
    const open = await ownerPost();
    const closed = await ownerPost({ allowRemix: false });
    const cases: [string, string, Matrix][] = [
      [
        "open",
        open,
        expectAll(302, { blocked: 404, blocker: 404, anonymous: 302 /* to sign-in */ }),
      ],
      [
        "closed",
        closed,
        expectAll(403, { owner: 302, blocked: 404, blocker: 404, anonymous: 302 }),
      ],
      ["unpublished", post.unpub, expectAll(404, { owner: 403, moderator: 403, anonymous: 302 })],
      ["adults-only", post.adults, expectAll(302, { blocked: 404, blocker: 404, minor: 404 })],
      ["made-up", randomUUID(), expectAll(404, { anonymous: 302 })],
    ];
    for (const [name, id, expected] of cases) {
      const before = await remixes(id);
      const got = {} as Matrix;
      for (const r of ROLES) {
        const res = await client[r].post(`/p/${id}/remix`, {});
        got[r] = res.status;
        if (res.status === 302)
          expect(res.headers.location, `${name} ${r}`).toMatch(
            r === "anonymous" ? /^\/signin/ : /^\/projects\/[0-9a-f-]{36}$/,
          );
      }
      expect(got, name).toEqual(expected);
      const made = ROLES.filter((r) => r !== "anonymous" && expected[r] === 302).map(
        (r) => user[r as Person].id,
      );
      expect(await remixes(id), name).toEqual([...before, ...made].sort());
    }
  });
});

describe("what the post page offers matches what the routes allow", () => {
  it("a Delete form for someone else's comment is rendered for the post's owner only", async () => {
    const commenter = await makeUser(pool);
    const { id } = await addComment(pool, commenter.viewer, post.pub, "offer check");
    const offered = {} as Record<Role, boolean>;
    for (const r of ROLES) {
      const page = await client[r].get(`/p/${post.pub}`);
      offered[r] = page.body.includes(`name="commentId" value="${id}"`);
    }
    expect(offered).toEqual({
      owner: true,
      follower: false,
      stranger: false,
      blocked: false,
      blocker: false,
      minor: false,
      anonymous: false,
      moderator: false, // the moderation queue removes comments, with a logged reason
    });
    // …and the owner's form works.
    expect(
      (await client.owner.post(`/p/${post.pub}/comments`, { intent: "delete", commentId: id }))
        .status,
    ).toBe(200);
  });
});

describe("profiles, follows and blocks", () => {
  it("a profile is 404 only to the person its owner blocked; its videos follow the read rule", async () => {
    const out = {} as Record<Role, number | string[]>;
    for (const r of ROLES) {
      const res = await client[r].get(`/u/${user.owner.username}`);
      out[r] = res.status === 200 ? listed(res.body).sort() : res.status;
    }
    expect(out).toEqual({
      owner: ["adults", "pub", "removed", "unpub"],
      follower: ["adults", "pub"],
      stranger: ["adults", "pub"],
      blocked: 404,
      // The blocker still reaches the profile (to unblock), but not the posts.
      blocker: [],
      minor: ["pub"],
      anonymous: ["pub"],
      moderator: ["adults", "pub"],
    });
    expect(await matrix((c) => c.get(`/u/no_such_${randomUUID().slice(0, 8)}`))).toEqual(
      expectAll(404),
    );
  });

  it("liked videos: private until the owner (and only the owner) makes them public", async () => {
    expect((await client.owner.post(`/p/${post.pub}/like`, { intent: "like" })).status).toBe(200);
    const liked = async () => {
      const out = {} as Record<Role, number | string>;
      for (const r of ROLES) {
        const res = await client[r].get(`/u/${user.owner.username}?tab=liked`);
        out[r] =
          res.status !== 200
            ? res.status
            : text(res.body).includes("keeps their liked videos private")
              ? "private"
              : listed(res.body).join(",");
      }
      return out;
    };
    expect(await liked()).toEqual({
      owner: "pub",
      follower: "private",
      stranger: "private",
      blocked: 404,
      blocker: "", // reaches the profile, sees no list
      minor: "private",
      anonymous: "private",
      moderator: "private",
    });
    // The setting is the requester's own, whatever profile the URL names.
    const visibility = async (who: Person) =>
      (
        await pool.query("SELECT liked_visibility AS v FROM social_profiles WHERE user_id = $1", [
          user[who].id,
        ])
      ).rows[0]?.v ?? "private";
    expect(
      await matrix((c, r) =>
        r === "owner"
          ? Promise.resolve(200)
          : c.post(`/u/${user.owner.username}/follow`, {
              intent: "liked-visibility",
              value: "public",
            }),
      ),
    ).toEqual(expectAll(200, { anonymous: 404 }));
    expect(await visibility("owner")).toBe("private");
    expect(await visibility("stranger")).toBe("public");
    expect(await liked()).toMatchObject({ stranger: "private", moderator: "private" });
    expect(
      (
        await client.owner.post(`/u/${user.owner.username}/follow`, {
          intent: "liked-visibility",
          value: "public",
        })
      ).status,
    ).toBe(200);
    expect(await liked()).toEqual({
      owner: "pub",
      follower: "pub",
      stranger: "pub",
      blocked: 404,
      blocker: "",
      minor: "pub",
      anonymous: "pub",
      moderator: "pub",
    });
  });

  it("follow and unfollow: not oneself, not across a block, not anonymously, not a made-up name", async () => {
    const followers = () =>
      ids("SELECT follower_id AS id FROM follows WHERE followee_id = $1", [user.owner.id]);
    const before = await followers();
    expect(before).toEqual([user.follower.id]);
    const follow = await matrix((c) =>
      c.post(`/u/${user.owner.username}/follow`, { intent: "follow" }),
    );
    expect(follow).toEqual(
      expectAll(200, { owner: 400, blocked: 404, blocker: 404, anonymous: 404 }),
    );
    expect(await followers()).toEqual(allowedBy(follow, 200));
    const unfollow = await matrix((c) =>
      c.post(`/u/${user.owner.username}/follow`, { intent: "unfollow" }),
    );
    expect(unfollow).toEqual(expectAll(200, { owner: 400, anonymous: 404 }));
    expect(await followers()).toEqual([]);
    // Back as it was for the rest of the file.
    expect(
      (await client.follower.post(`/u/${user.owner.username}/follow`, { intent: "follow" })).status,
    ).toBe(200);
    for (const intent of ["follow", "unfollow", "block", "unblock"])
      expect(
        await matrix((c) => c.post("/u/nobody_by_this_name/follow", { intent })),
        intent,
      ).toEqual(expectAll(404));
  });

  it("block and unblock: anyone signed in, for themselves; the blocked person cannot lift a block", async () => {
    const target = await makeUser(pool);
    const blockers = () =>
      ids("SELECT blocker_id AS id FROM blocks WHERE blocked_id = $1", [target.id]);
    const b = await matrix((c) => c.post(`/u/${target.username}/follow`, { intent: "block" }));
    expect(b).toEqual(expectAll(200, { anonymous: 404 }));
    expect(await blockers()).toEqual(allowedBy(b, 200));
    expect(
      await matrix((c) => c.post(`/u/${target.username}/follow`, { intent: "unblock" })),
    ).toEqual(expectAll(200, { anonymous: 404 }));
    expect(await blockers()).toEqual([]);
    // The owner's block of `blocked`, and `blocker`'s of the owner, survive the other side's unblock.
    expect(
      (await client.blocked.post(`/u/${user.owner.username}/follow`, { intent: "unblock" })).status,
    ).toBe(200);
    expect(
      (await client.owner.post(`/u/${user.blocker.username}/follow`, { intent: "unblock" })).status,
    ).toBe(200);
    expect(
      (
        await pool.query(
          "SELECT blocker_id, blocked_id FROM blocks WHERE $1 IN (blocker_id, blocked_id)",
          [user.owner.id],
        )
      ).rows
        .map((x) => `${x.blocker_id}>${x.blocked_id}`)
        .sort(),
    ).toEqual(
      [`${user.owner.id}>${user.blocked.id}`, `${user.blocker.id}>${user.owner.id}`].sort(),
    );
  });
});

describe("reports", () => {
  const reporters = (id: string) =>
    ids("SELECT reporter_id AS id FROM reports WHERE target_id = $1", [id]);

  it("reporting a post or a comment: signed-in people who can see it (401 anonymous, 404 hidden)", async () => {
    const commenter = await makeUser(pool);
    const onPub = (await addComment(pool, commenter.viewer, post.pub, "reportable")).id;
    const onUnpub = (
      await pool.query<{ id: string }>(
        "INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, 'hidden') RETURNING id",
        [post.unpub, commenter.id],
      )
    ).rows[0]!.id;
    const cases: [string, "post" | "comment", string, Matrix][] = [
      ["published post", "post", post.pub, actOn("pub", 200)],
      ["adults-only post", "post", post.adults, actOn("adults", 200)],
      ["unpublished post", "post", post.unpub, actOn("unpub", 200, 200)],
      ["deleted post", "post", post.deleted, expectAll(404)],
      ["comment on a published post", "comment", onPub, actOn("pub", 200)],
      ["comment on an unpublished post", "comment", onUnpub, actOn("unpub", 200, 200)],
      ["made-up post", "post", randomUUID(), expectAll(404)],
      ["made-up comment", "comment", randomUUID(), expectAll(404)],
    ];
    for (const [name, targetKind, targetId, expected] of cases) {
      expected.anonymous = 401;
      const before = await reporters(targetId);
      expect(
        await matrix((c) => c.post("/report", { targetKind, targetId, reason: "spam" })),
        name,
      ).toEqual(expected);
      expect(await reporters(targetId), name).toEqual(
        [...before, ...allowedBy(expected, 200)].sort(),
      );
    }
    expect(
      await matrix((c) => c.post("/report", { targetKind: "post", targetId: "x", reason: "spam" })),
    ).toEqual(expectAll(400, { anonymous: 401 }));
  });

  it("reporting a profile: anyone signed in but its owner, even across a block", async () => {
    const expected = expectAll(200, { owner: 400, anonymous: 401 });
    expect(
      await matrix((c) =>
        c.post("/report", { targetKind: "user", targetId: user.owner.id, reason: "other" }),
      ),
    ).toEqual(expected);
    expect(await reporters(user.owner.id)).toEqual(allowedBy(expected, 200));
  });
});

/** The first unread count /notifications/stream sends, or the status if it is not a stream. */
function firstStreamCount(c: Client): Promise<number | { status: number }> {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Promise((resolve, reject) => {
    const req = http.get(
      new URL("/notifications/stream", c.base),
      {
        localAddress: c.localAddress,
        headers: { accept: "text/event-stream", ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve({ status: res.statusCode ?? 0 });
          return;
        }
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          const m = /^data: (.+)$/m.exec(buf);
          if (m) {
            req.destroy();
            resolve((JSON.parse(m[1]!) as { unread: number }).unread);
          }
        });
      },
    );
    req.on("error", (err) => {
      if (!req.destroyed) reject(err);
    });
    req.setTimeout(10_000, () => reject(new Error("no count on the stream")));
  });
}

describe("notifications", () => {
  const unread = async (who: Person) =>
    count("SELECT count(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL", [
      user[who].id,
    ]);

  it("the list, the count and the live stream show each person their own; anonymous visitors nothing", async () => {
    const secret = `owner-only-${randomUUID()}`;
    await notify(pool, {
      userId: user.owner.id,
      actorId: null,
      kind: "report_outcome",
      payload: { message: secret },
      dedupeKey: secret,
    });
    const page = {} as Record<Role, number | boolean>;
    for (const r of ROLES) {
      const res = await client[r].get("/notifications");
      if (r === "anonymous") expect(res.headers.location).toMatch(/^\/signin/);
      page[r] = res.status === 200 ? res.body.includes(secret) : res.status;
    }
    expect(page).toEqual({
      ...expectAll(0),
      ...mapPeople(() => false),
      owner: true,
      anonymous: 302,
    });
    for (const r of ROLES) {
      const res = await client[r].get("/notifications/count");
      expect(res.status, r).toBe(200);
      const want = r === "anonymous" ? 0 : await unread(r);
      expect(JSON.parse(res.body), r).toEqual({ unread: want });
      expect(await firstStreamCount(client[r]), r).toEqual(
        r === "anonymous" ? { status: 401 } : want,
      );
    }
    expect(await unread("owner")).toBeGreaterThan(0);
  });

  it("marking read touches only one's own notifications, by id or all at once", async () => {
    const key = `mark-${randomUUID()}`;
    await notify(pool, {
      userId: user.owner.id,
      actorId: null,
      kind: "report_outcome",
      payload: { message: key },
      dedupeKey: key,
    });
    const id = (
      await pool.query<{ id: string }>("SELECT id FROM notifications WHERE dedupe_key = $1", [key])
    ).rows[0]!.id;
    const readAt = async () =>
      (await pool.query("SELECT read_at FROM notifications WHERE id = $1", [id])).rows[0].read_at;
    for (const r of ROLES.filter((x) => x !== "owner")) {
      for (const fields of [{ id }, {}]) {
        const res = await client[r].post("/notifications", fields);
        expect(res.status, r).toBe(r === "anonymous" ? 302 : 200);
        expect(await readAt(), r).toBeNull();
      }
    }
    expect((await client.owner.post("/notifications", { id })).status).toBe(200);
    expect(await readAt()).not.toBeNull();
  });
});

describe("moderation", () => {
  it("the queue: moderators only (403 for members, sign-in for anonymous visitors)", async () => {
    const m = await matrix((c) => c.get("/moderation"));
    expect(m).toEqual(expectAll(403, { moderator: 200, anonymous: 302 }));
  });

  it("a decision: moderators only; a refused one applies, logs and closes nothing", async () => {
    const target = await ownerPost();
    await report(pool, user.stranger.viewer, {
      targetKind: "post",
      targetId: target,
      reason: "spam",
    });
    const state = async () => ({
      status: (await pool.query("SELECT status FROM posts WHERE id = $1", [target])).rows[0].status,
      decisions: await count(
        "SELECT count(*) AS n FROM moderation_decisions WHERE target_id = $1",
        [target],
      ),
      open: await count(
        "SELECT count(*) AS n FROM reports WHERE target_id = $1 AND status = 'open'",
        [target],
      ),
    });
    const before = await state();
    expect(before).toEqual({ status: "published", decisions: 0, open: 1 });
    const got = {} as Matrix;
    for (const r of ROLES.filter((x) => x !== "moderator")) {
      await client[r].get("/feed"); // a fresh page for the token, as a browser would have
      got[r] = (
        await client[r].post("/moderation", {
          targetKind: "post",
          targetId: target,
          action: "remove",
          reason: "spam",
        })
      ).status;
      expect(await state(), r).toEqual(before);
    }
    got.moderator = (
      await client.moderator.post("/moderation", {
        targetKind: "post",
        targetId: target,
        action: "remove",
        reason: "spam",
      })
    ).status;
    expect(got).toEqual(expectAll(403, { moderator: 200, anonymous: 302 }));
    expect(await state()).toEqual({ status: "removed", decisions: 1, open: 0 });
  });

  it("a moderator removes a comment by decision; made-up or garbage targets are 404, unknown kinds 400", async () => {
    const commenter = await makeUser(pool);
    const { id } = await addComment(pool, commenter.viewer, post.pub, "remove me");
    const decide = (targetKind: string, targetId: string, action = "remove") =>
      client.moderator.post("/moderation", { targetKind, targetId, action, reason: "spam" });
    expect((await decide("comment", id)).status).toBe(200);
    const row = (await pool.query("SELECT deleted_at, body FROM comments WHERE id = $1", [id]))
      .rows[0];
    expect(row.deleted_at).not.toBeNull();
    expect(row.body).toBe("");
    for (const kind of ["post", "comment", "user"]) {
      expect((await decide(kind, randomUUID())).status, kind).toBe(404);
      expect((await decide(kind, "not-a-uuid")).status, kind).toBe(404);
    }
    expect((await decide("deleted-thing", post.pub)).status).toBe(400);
    expect((await decide("post", post.deleted)).status).toBe(404);
  });
});

describe("publishing a draft", () => {
  it("a private draft is 'not found' to everyone outside its project, moderators included", async () => {
    const { draftId } = await makeDraft(pool, user.owner);
    const jobs = () =>
      count("SELECT count(*) AS n FROM publish_jobs WHERE draft_id = $1", [draftId]);
    const page = await matrix((c, r) =>
      r === "owner" ? Promise.resolve(-1) : c.get(`/publish/${draftId}`),
    );
    expect(page).toEqual(expectAll(404, { owner: -1, anonymous: 302 }));
    const send = await matrix((c, r) =>
      r === "owner"
        ? Promise.resolve(-1)
        : c.post(`/publish/${draftId}`, { caption: "mine now", audience: "all" }),
    );
    expect(send).toEqual(expectAll(404, { owner: -1, anonymous: 302 }));
    expect(await jobs()).toBe(0);
    const own = await client.owner.get(`/publish/${draftId}`);
    expect(own.status).toBe(200);
    expect(text(own.body)).toContain("a red fox runs through snow at dawn");
  });

  it("a project viewer sees the draft but may not publish it (403)", async () => {
    const { draftId, workspaceId } = await makeDraft(pool, user.owner);
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')",
      [workspaceId, user.stranger.id],
    );
    expect((await client.stranger.get(`/publish/${draftId}`)).status).toBe(403);
    expect((await client.stranger.post(`/publish/${draftId}`, { caption: "x" })).status).toBe(403);
    expect(
      await count("SELECT count(*) AS n FROM publish_jobs WHERE draft_id = $1", [draftId]),
    ).toBe(0);
  });

  it("made-up and garbage draft ids are a clean 404, never a 500", async () => {
    for (const id of [randomUUID(), "not-a-uuid", "1%27%20OR%201%3D1"]) {
      const page = await matrix((c) => c.get(`/publish/${id}`));
      expect(page, id).toEqual(expectAll(404, { anonymous: 302 }));
      const send = await matrix((c) => c.post(`/publish/${id}`, { caption: "x" }));
      expect(send, id).toEqual(expectAll(404, { anonymous: 302 }));
    }
  });
});

describe("CSRF on every social mutation", () => {
  it("a POST without the token is refused (403) before any route runs, for members and anonymous visitors", async () => {
    const { draftId } = await makeDraft(pool, user.stranger);
    const targets: [string, Record<string, string>][] = [
      [`/p/${post.pub}/like`, { intent: "like" }],
      [`/p/${post.pub}/comments`, { intent: "add", body: "no token" }],
      [`/p/${post.pub}/manage`, { intent: "unpublish" }],
      [`/p/${post.pub}/remix`, {}],
      [`/u/${user.owner.username}/follow`, { intent: "block" }],
      ["/report", { targetKind: "post", targetId: post.pub, reason: "spam" }],
      ["/notifications", {}],
      ["/moderation", { targetKind: "post", targetId: post.pub, action: "remove", reason: "x" }],
      [`/publish/${draftId}`, { caption: "no token" }],
    ];
    const fingerprint = async () =>
      (
        await pool.query(
          `SELECT (SELECT count(*) FROM likes WHERE post_id = $1) AS likes,
                  (SELECT count(*) FROM comments WHERE post_id = $1) AS comments,
                  (SELECT status FROM posts WHERE id = $1) AS status,
                  (SELECT count(*) FROM project_remixes WHERE remix_of = $1) AS remixes,
                  (SELECT count(*) FROM blocks WHERE blocked_id = $2) AS blocks,
                  (SELECT count(*) FROM reports WHERE target_id = $1) AS reports,
                  (SELECT count(*) FROM notifications WHERE user_id = ANY($3) AND read_at IS NULL) AS unread,
                  (SELECT count(*) FROM moderation_decisions WHERE target_id = $1) AS decisions,
                  (SELECT count(*) FROM publish_jobs WHERE draft_id = $4) AS jobs`,
          [post.pub, user.owner.id, Object.values(user).map((u) => u.id), draftId],
        )
      ).rows[0];
    const before = await fingerprint();
    for (const [url, fields] of targets) {
      const m = await matrix((c) => c.post(url, fields, { csrf: null }));
      expect(m, url).toEqual(expectAll(403));
    }
    expect(await fingerprint()).toEqual(before);
  });
});

describe("client-side navigations (.data requests) answer like the pages", () => {
  it("post, profile, moderation, notifications and publish data: same statuses, nothing hidden in a 404", async () => {
    const captions = { unpub: "Draft-ish", removed: "Removed #", adults: "Late show" };
    for (const state of STATES) {
      const got = await matrix(async (c, r) => {
        const res = await c.get(`/p/${post[state]}.data`);
        if (res.status !== 200 && state in captions)
          expect(res.body, `${state} ${r}`).not.toContain(captions[state as keyof typeof captions]);
        return res;
      });
      expect(got, state).toEqual(READ[state]);
    }
    expect(await matrix((c) => c.get(`/u/${user.owner.username}.data`))).toEqual(
      expectAll(200, { blocked: 404 }),
    );
    // Anonymous data requests get React Router's redirect (202 + SingleFetchRedirect) to sign-in.
    const moderation = await matrix((c) => c.get("/moderation.data"));
    expect(moderation).toEqual(expectAll(403, { moderator: 200, anonymous: 202 }));
    expect((await client.anonymous.get("/moderation.data")).body).toContain("/signin");
    expect(await matrix((c) => c.get("/notifications.data"))).toEqual(
      expectAll(200, { anonymous: 202 }),
    );
    const { draftId } = await makeDraft(pool, user.owner);
    expect(await matrix((c) => c.get(`/publish/${draftId}.data`))).toEqual(
      expectAll(404, { owner: 200, anonymous: 202 }),
    );
  });
});
