import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Pool, type PoolClient, transaction } from "../db/pool.server.ts";
import { testDatabaseUrl, testPool, uniq } from "../testing/db.ts";
import {
  enablePostCardCache,
  POST_CARDS_CHANNEL,
  type PostCardCache,
  type PostCardCacheOptions,
  postCards,
} from "./post-cards.server.ts";
import type { PostCard } from "./posts.server.ts";
import { makePost, makeUser } from "./test-fixtures.ts";

/**
 * The post card cache against the real test database. Writes go through `other`, a second pool,
 * as another web process or a worker would make them; reads go through a pool with its own cache.
 * Other test files share the database and send their own post_cards notifications meanwhile: every
 * check here is about the rows this file made.
 */
let other: Pool;
beforeAll(() => {
  other = testPool(4);
});
afterAll(async () => {
  await other.end();
});

/** The cached pool of the running test, stopped and ended after it. */
let running: { pool: Pool; cache: PostCardCache } | null = null;
afterEach(async () => {
  if (!running) return;
  await running.cache.stop();
  await running.pool.end();
  running = null;
});

/** A fresh pool with a listening card cache; its LISTEN connection is named `appName`. */
async function cachedPool(opts: PostCardCacheOptions = {}, appName = uniq("post-cards-")) {
  const url = new URL(testDatabaseUrl());
  url.searchParams.set("application_name", appName);
  const pool = testPool(4);
  const cache = enablePostCardCache(pool, url.toString(), { log: () => {}, ...opts });
  running = { pool, cache };
  await cache.ready();
  return { pool, cache, appName };
}

async function card(q: Pool | PoolClient, id: string): Promise<PostCard | undefined> {
  return (await postCards(q, [id])).get(id);
}

/**
 * Reads `ids` until the cache keeps them all: a load that overlapped any notification (another
 * file's, say) is served but not kept. The cache is fresh, so its size counts this test's cards.
 */
async function warm(cache: PostCardCache, pool: Pool, ids: string[]): Promise<void> {
  for (let i = 0; i < 50; i++) {
    await postCards(pool, ids);
    if (cache.size >= ids.length) return;
  }
  throw new Error("the cache never kept the cards");
}

/** A change that fires no trigger, so no notification: what the cache can't have heard of. */
async function unheard(sql: string, values: unknown[]): Promise<void> {
  await transaction(other, async (c) => {
    await c.query("SET LOCAL session_replication_role = replica");
    await c.query(sql, values);
  });
}

/** Polls until `ok` (a notification is asynchronous); the bound only turns a hang into a failure. */
async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("post card cache", () => {
  it("serves a card from memory once read, and drops it when a card column changes", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author, { caption: "first" });
    const { pool, cache } = await cachedPool();
    expect(cache.active).toBe(true);
    expect((await card(pool, post))?.caption).toBe("first");
    await warm(cache, pool, [post]);

    await unheard("UPDATE posts SET caption = 'unheard' WHERE id = $1", [post]);
    expect((await card(other, post))?.caption).toBe("unheard"); // Postgres has it (no cache on `other`)
    expect((await card(pool, post))?.caption).toBe("first"); // the cache still serves what it read

    await other.query("UPDATE posts SET caption = 'heard' WHERE id = $1", [post]);
    await until("the caption change", async () => (await card(pool, post))?.caption === "heard");
  });

  it("shows caption, status, audience and allow_remix changes made by another connection", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author, { caption: "before", allowRemix: true });
    const { pool, cache } = await cachedPool();
    const changes: [string, (c: PostCard | undefined) => boolean][] = [
      ["caption = 'after'", (c) => c?.caption === "after"],
      ["allow_remix = false", (c) => c?.allowRemix === false],
      ["audience = 'adults'", (c) => c?.audience === "adults"],
      ["status = 'unpublished'", (c) => c?.status === "unpublished"],
      ["status = 'deleted'", (c) => c?.status === "deleted" && c.caption === ""],
    ];
    for (const [set, seen] of changes) {
      await warm(cache, pool, [post]);
      expect(seen(await card(pool, post))).toBe(false);
      await other.query(`UPDATE posts SET ${set} WHERE id = $1`, [post]);
      await until(set, async () => seen(await card(pool, post)));
    }
  });

  it("drops a renamed user's cards and the cards of remixes that show their name", async () => {
    const author = await makeUser(other);
    const remixer = await makeUser(other);
    const original = await makePost(other, author, { caption: "original" });
    const remix = await makePost(other, remixer, { caption: "remix", remixOf: original });
    const { pool, cache } = await cachedPool();
    await warm(cache, pool, [original, remix]);
    const before = await postCards(pool, [original, remix]);
    expect(before.get(original)?.author.username).toBe(author.username);
    expect(before.get(remix)?.remixOf).toEqual({
      id: original,
      username: author.username,
      available: true,
    });

    const renamed = uniq("renamed");
    await other.query("UPDATE users SET username = $2, display_name = 'New Name' WHERE id = $1", [
      author.id,
      renamed,
    ]);
    await until("the rename on both cards", async () => {
      const now = await postCards(pool, [original, remix]);
      return (
        now.get(original)?.author.username === renamed &&
        now.get(original)?.author.displayName === "New Name" &&
        now.get(remix)?.remixOf?.username === renamed
      );
    });
    // The remixer's own name on the remix card is untouched.
    expect((await card(pool, remix))?.author.username).toBe(remixer.username);

    await warm(cache, pool, [original, remix]);
    const photo = await other.query<{ id: string }>(
      "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'avatar', 'image/jpeg', 1) RETURNING id",
      [author.id],
    );
    await other.query("UPDATE users SET photo_media_id = $2 WHERE id = $1", [
      author.id,
      photo.rows[0]!.id,
    ]);
    await until(
      "the new photo",
      async () => (await card(pool, original))?.author.photoMediaId === photo.rows[0]!.id,
    );
  });

  it("marks remixes unavailable when their original is unpublished or deleted, and detached when it is gone", async () => {
    const author = await makeUser(other);
    const remixer = await makeUser(other);
    const unpublished = await makePost(other, author);
    const softDeleted = await makePost(other, author);
    const hardDeleted = await makePost(other, author);
    const remixes = [
      await makePost(other, remixer, { remixOf: unpublished }),
      await makePost(other, remixer, { remixOf: softDeleted }),
      await makePost(other, remixer, { remixOf: hardDeleted }),
    ];
    const { pool, cache } = await cachedPool();
    await warm(cache, pool, remixes);
    const [r1, r2, r3] = remixes as [string, string, string];
    for (const r of remixes) expect((await card(pool, r))?.remixOf?.available).toBe(true);

    await other.query("UPDATE posts SET status = 'unpublished' WHERE id = $1", [unpublished]);
    await other.query("UPDATE posts SET status = 'deleted' WHERE id = $1", [softDeleted]);
    await other.query("DELETE FROM posts WHERE id = $1", [hardDeleted]);
    await until("the originals' changes on the remix cards", async () => {
      const now = await postCards(pool, remixes);
      const gone = { username: null, available: false };
      return (
        JSON.stringify(now.get(r1)?.remixOf) === JSON.stringify({ id: unpublished, ...gone }) &&
        JSON.stringify(now.get(r2)?.remixOf) === JSON.stringify({ id: softDeleted, ...gone }) &&
        now.get(r3)?.remixOf === null
      );
    });
  });

  it("sends no notification for counter changes (counters are not part of a card)", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author);
    const sentinel = uniq("post_cards_sentinel_");
    const listener = new pg.Client({ connectionString: testDatabaseUrl() });
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(`${n.channel} ${n.payload}`));
    await listener.connect();
    try {
      await listener.query(`LISTEN ${POST_CARDS_CHANNEL}`);
      await listener.query(`LISTEN ${sentinel}`);
      await other.query(
        `UPDATE posts SET like_count = like_count + 1, comment_count = comment_count + 1,
                          remix_count = remix_count + 1 WHERE id = $1`,
        [post],
      );
      // Notifications reach a listener in commit order: once the sentinel is heard, a notification
      // of the counter update would have been heard before it.
      await other.query(`NOTIFY ${sentinel}, 'done'`);
      await until("the sentinel", async () => heard.includes(`${sentinel} done`));
      expect(heard).not.toContain(`${POST_CARDS_CHANNEL} p:${post}`);

      // The listener does hear a card change of the same post.
      await other.query("UPDATE posts SET caption = 'changed' WHERE id = $1", [post]);
      await until("the caption notification", async () =>
        heard.includes(`${POST_CARDS_CHANNEL} p:${post}`),
      );
    } finally {
      await listener.end();
    }
  });

  it("reads Postgres while its LISTEN connection is down, then listens and caches again", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author, { caption: "v1" });
    let lost: () => void = () => {};
    const lostOnce = new Promise<void>((resolve) => {
      lost = resolve;
    });
    const { pool, cache, appName } = await cachedPool({
      retryMs: 100,
      log: (msg) => {
        if (msg.startsWith("connection lost")) lost();
      },
    });
    const listenerPid = async () => {
      const r = await other.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1 AND query ILIKE 'LISTEN post_cards%'`,
        [appName],
      );
      expect(r.rows).toHaveLength(1);
      return r.rows[0]!.pid;
    };
    await warm(cache, pool, [post]);
    await unheard("UPDATE posts SET caption = 'v2' WHERE id = $1", [post]);
    expect((await card(pool, post))?.caption).toBe("v1"); // cached

    const pid = await listenerPid();
    await other.query("SELECT pg_terminate_backend($1)", [pid]);
    await lostOnce;
    expect(cache.active).toBe(false);
    expect(cache.size).toBe(0);
    // Nothing is heard now, so nothing is served from memory: unheard changes show at once.
    expect((await card(pool, post))?.caption).toBe("v2");
    await unheard("UPDATE posts SET caption = 'v3' WHERE id = $1", [post]);
    expect((await card(pool, post))?.caption).toBe("v3");

    await cache.ready();
    expect(await listenerPid()).not.toBe(pid);
    // Caching again ...
    await warm(cache, pool, [post]);
    await unheard("UPDATE posts SET caption = 'v4' WHERE id = $1", [post]);
    expect((await card(pool, post))?.caption).toBe("v3");
    // ... and hearing changes again.
    await other.query("UPDATE posts SET caption = 'v5' WHERE id = $1", [post]);
    await until(
      "the change after reconnecting",
      async () => (await card(pool, post))?.caption === "v5",
    );
  });

  it("keeps at most `max` cards, letting the oldest go", async () => {
    const author = await makeUser(other);
    const posts: string[] = [];
    for (let i = 0; i < 30; i++) posts.push(await makePost(other, author, { caption: `c${i}` }));
    const { pool, cache } = await cachedPool({ max: 10 });
    for (let i = 0; i < 30; i += 3) {
      const got = await postCards(pool, posts.slice(i, i + 3));
      expect([...got.keys()].sort()).toEqual(posts.slice(i, i + 3).sort());
      expect(cache.size).toBeLessThanOrEqual(10);
    }
    // Some of those loads were kept (one that overlapped any notification is not).
    for (let i = 0; i < 50 && cache.size === 0; i++) await postCards(pool, [posts[29]!]);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThanOrEqual(10);
    // The first card read went first: an unheard change to it shows.
    await unheard("UPDATE posts SET caption = 'new' WHERE id = $1", [posts[0]]);
    expect((await card(pool, posts[0]!))?.caption).toBe("new");
  });

  it("stopped while still connecting, logs nothing and never listens", async () => {
    // Stopping at several points of the connect (socket, auth, LISTEN): none is a failure to log.
    const logged: string[] = [];
    for (const ms of [0, 1, 2, 3, 5, 8, 12, 20]) {
      const pool = testPool(2);
      try {
        const cache = enablePostCardCache(pool, testDatabaseUrl(), {
          log: (m) => logged.push(`${ms} ms: ${m}`),
          retryMs: 20,
        });
        await new Promise((r) => setTimeout(r, ms));
        await cache.stop();
        await new Promise((r) => setTimeout(r, 100));
        expect(cache.active).toBe(false);
      } finally {
        await pool.end();
      }
    }
    expect(logged).toEqual([]);
  });

  it("gives a pool a fresh cache after the old one stopped", async () => {
    const { pool, cache } = await cachedPool();
    await cache.stop();
    expect(cache.active).toBe(false);
    const again = enablePostCardCache(pool, testDatabaseUrl(), { log: () => {} });
    running = { pool, cache: again };
    expect(again).not.toBe(cache);
    await again.ready();
    expect(again.active).toBe(true);
    expect(enablePostCardCache(pool, testDatabaseUrl())).toBe(again);
  });

  it("reads a card again once it is older than ttlMs, even without a notification", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author, { caption: "old" });
    const { pool, cache } = await cachedPool({ ttlMs: 100 });
    await warm(cache, pool, [post]);
    await unheard("UPDATE posts SET caption = 'new' WHERE id = $1", [post]);
    await until("the card to expire", async () => (await card(pool, post))?.caption === "new");
  });

  it("reads through a transaction's client, which sees its own uncommitted change", async () => {
    const author = await makeUser(other);
    const post = await makePost(other, author, { caption: "committed" });
    const { pool, cache } = await cachedPool();
    await warm(cache, pool, [post]);
    await expect(
      transaction(pool, async (c) => {
        await c.query("UPDATE posts SET caption = 'uncommitted' WHERE id = $1", [post]);
        expect((await card(c, post))?.caption).toBe("uncommitted");
        expect((await card(pool, post))?.caption).toBe("committed");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect((await card(pool, post))?.caption).toBe("committed");
  });
});
