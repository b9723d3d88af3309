import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { testPool } from "../testing/db.ts";
import { FOLLOW_BOOST, following, forYou, PER_CREATOR } from "./feed.server.ts";
import { block, follow, like } from "./interactions.server.ts";
import { makePost, makeUser, type TestUser } from "./test-fixtures.ts";
import type { Viewer } from "./viewer.server.ts";

let pool: Pool;
beforeAll(() => {
  pool = testPool(8);
});
afterAll(async () => {
  await pool.end();
});

/** Every page of a feed, following cursors to the end (bounded). */
async function drain(
  page: (cursor: string | null) => Promise<{
    posts: { id: string; author: { id: string }; audience: string }[];
    nextCursor: string | null;
  }>,
  between?: (pageNo: number) => Promise<void>,
) {
  const pages: { id: string; author: { id: string }; audience: string }[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 200; i++) {
    const p = await page(cursor);
    pages.push(p.posts);
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
    if (between) await between(i);
  }
  return pages;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("For you", () => {
  it("pages without duplicates or gaps while new posts are published between pages", async () => {
    const viewer = await makeUser(pool);
    const creators: TestUser[] = [];
    for (let i = 0; i < 8; i++) creators.push(await makeUser(pool));
    const before: string[] = [];
    for (let i = 0; i < 60; i++)
      before.push(await makePost(pool, creators[i % 8]!, { publishedAt: minutesAgo(60 + i * 7) }));
    // Some engagement so the order is not just time.
    for (let i = 0; i < 10; i++) await like(pool, creators[(i + 1) % 8]!.viewer, before[i * 5]!);
    const inserted: string[] = [];
    const pages = await drain(
      (c) => forYou(pool, viewer.viewer, c, 10),
      async () => {
        inserted.push(await makePost(pool, creators[0]!));
        inserted.push(await makePost(pool, creators[3]!));
      },
    );
    const seen = pages.flat().map((p) => p.id);
    expect(new Set(seen).size).toBe(seen.length); // no duplicates
    for (const id of before) expect(seen).toContain(id); // no gaps
    for (const id of inserted) expect(seen).not.toContain(id); // snapshot: later posts wait for a refresh
    expect(pages.length).toBeGreaterThan(5);
  });

  it("serves followed creators' older posts after the global stream's cut, once each", async () => {
    // A round reads 40 global candidates and leaves followed creators' posts scoring below the
    // 40th to a later round: those must still come, exactly once, in their place.
    const viewer = await makeUser(pool);
    const friends = [await makeUser(pool), await makeUser(pool), await makeUser(pool)];
    for (const f of friends) await follow(pool, viewer.viewer, f.id);
    const strangers: TestUser[] = [];
    for (let i = 0; i < 6; i++) strangers.push(await makeUser(pool));
    const mine: string[] = [];
    for (let i = 0; i < 60; i++)
      mine.push(await makePost(pool, strangers[i % 6]!, { publishedAt: minutesAgo(5 + i * 3) }));
    // Six hours apart: most are far below the cut even with the follow boost (12 hours).
    for (let i = 0; i < 24; i++)
      mine.push(await makePost(pool, friends[i % 3]!, { publishedAt: minutesAgo(10 + i * 360) }));
    const pages = await drain((c) => forYou(pool, viewer.viewer, c, 10));
    const seen = pages.flat().map((p) => p.id);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of mine) expect(seen).toContain(id);
    for (const page of pages) {
      const per = new Map<string, number>();
      for (const p of page) per.set(p.author.id, (per.get(p.author.id) ?? 0) + 1);
      expect(Math.max(0, ...per.values())).toBeLessThanOrEqual(PER_CREATOR);
    }
    // The freshest friend post (boosted) comes before the oldest stranger post of this test.
    expect(seen.indexOf(mine[60]!)).toBeLessThan(seen.indexOf(mine[59]!));
  });

  it(`caps any creator at ${PER_CREATOR} posts per page, deferring the rest rather than dropping them`, async () => {
    const viewer = await makeUser(pool);
    const star = await makeUser(pool);
    const others: TestUser[] = [];
    for (let i = 0; i < 5; i++) others.push(await makeUser(pool));
    // The star's 12 posts are the freshest of this test: without the cap they would fill pages.
    const starPosts: string[] = [];
    for (let i = 0; i < 12; i++)
      starPosts.push(await makePost(pool, star, { publishedAt: minutesAgo(1 + i / 10) }));
    const otherPosts: string[] = [];
    for (let i = 0; i < 20; i++)
      otherPosts.push(await makePost(pool, others[i % 5]!, { publishedAt: minutesAgo(30 + i) }));
    const pages = await drain((c) => forYou(pool, viewer.viewer, c, 10));
    for (const page of pages) {
      const counts = new Map<string, number>();
      for (const p of page) counts.set(p.author.id, (counts.get(p.author.id) ?? 0) + 1);
      if (page.length) expect(Math.max(...counts.values())).toBeLessThanOrEqual(PER_CREATOR);
    }
    const seen = pages.flat().map((p) => p.id);
    for (const id of [...starPosts, ...otherPosts])
      expect(seen.filter((s) => s === id)).toHaveLength(1);
    const pagesWithStar = pages.filter((p) => p.some((x) => x.author.id === star.id)).length;
    expect(pagesWithStar).toBeGreaterThanOrEqual(12 / PER_CREATOR);
  });

  it("ranks a followed creator's post above an equally fresh, equally liked stranger's", async () => {
    const viewer = await makeUser(pool);
    const friend = await makeUser(pool);
    const stranger = await makeUser(pool);
    // The stranger's post is 6 hours fresher: less than FOLLOW_BOOST (12 h), so the friend still wins.
    const friendPost = await makePost(pool, friend, {
      publishedAt: minutesAgo(6 * 60 * FOLLOW_BOOST + 2),
    });
    const strangerPost = await makePost(pool, stranger, { publishedAt: minutesAgo(2) });
    await follow(pool, viewer.viewer, friend.id);
    const ranked = (await drain((c) => forYou(pool, viewer.viewer, c, 10))).flat().map((p) => p.id);
    expect(ranked.indexOf(friendPost)).toBeGreaterThanOrEqual(0);
    expect(ranked.indexOf(friendPost)).toBeLessThan(ranked.indexOf(strangerPost));
    // Without the follow the stranger's fresher post ranks first.
    const other = await makeUser(pool);
    const plain = (await drain((c) => forYou(pool, other.viewer, c, 10))).flat().map((p) => p.id);
    expect(plain.indexOf(strangerPost)).toBeGreaterThanOrEqual(0);
    expect(plain.indexOf(strangerPost)).toBeLessThan(plain.indexOf(friendPost));
  });

  it("shows minors and anonymous visitors only posts suitable for all, and hides blocked creators both ways", async () => {
    const minor = await makeUser(pool, { minor: true });
    const adult = await makeUser(pool);
    const creator = await makeUser(pool);
    const blocker = await makeUser(pool);
    const adultsOnly = await makePost(pool, creator, { audience: "adults" });
    const forAll = await makePost(pool, creator, { audience: "all" });
    const byBlocker = await makePost(pool, blocker);
    await block(pool, blocker.viewer, adult.id); // blocker blocked adult: hidden both ways
    const all = async (v: Viewer) => (await drain((c) => forYou(pool, v, c, 20))).flat();
    const minorSees = await all(minor.viewer);
    expect(minorSees.every((p) => p.audience === "all")).toBe(true);
    expect(minorSees.map((p) => p.id)).toContain(forAll);
    expect(minorSees.map((p) => p.id)).not.toContain(adultsOnly);
    const anonSees = await all(null);
    expect(anonSees.map((p) => p.id)).not.toContain(adultsOnly);
    const adultSees = (await all(adult.viewer)).map((p) => p.id);
    expect(adultSees).toContain(adultsOnly);
    expect(adultSees).not.toContain(byBlocker);
    const blockerSees = (await all(blocker.viewer)).map((p) => p.id);
    expect(blockerSees.every((id) => id !== undefined)).toBe(true);
    const adultsPosts = await makePost(pool, adult);
    expect((await all(blocker.viewer)).map((p) => p.id)).not.toContain(adultsPosts);
  });

  it("refuses a forged cursor with a clear error", async () => {
    await expect(forYou(pool, null, "not-a-cursor")).rejects.toMatchObject({
      code: "invalid",
      status: 400,
    });
    const forged = Buffer.from(
      JSON.stringify({ v: 1, s: "1 OR 1=1", i: "x", t: "now", d: [] }),
    ).toString("base64url");
    await expect(forYou(pool, null, forged)).rejects.toMatchObject({ code: "invalid" });
  });
});

describe("Following", () => {
  it("lists only followed creators, newest first, without duplicates or gaps during inserts", async () => {
    const viewer = await makeUser(pool);
    const a = await makeUser(pool);
    const b = await makeUser(pool);
    const c = await makeUser(pool);
    await follow(pool, viewer.viewer, a.id);
    await follow(pool, viewer.viewer, b.id);
    const expected: string[] = [];
    // Same timestamp for several posts: the id breaks ties.
    const same = minutesAgo(500);
    for (let i = 0; i < 25; i++) {
      expected.push(
        await makePost(pool, i % 2 ? a : b, {
          publishedAt: i % 5 === 0 ? same : minutesAgo(100 + i),
        }),
      );
      await makePost(pool, c, { publishedAt: minutesAgo(100 + i) });
    }
    const pages = await drain(
      (cur) => following(pool, viewer.viewer, cur, 4),
      async () => {
        await makePost(pool, a);
      },
    );
    const seen = pages.flat();
    const ids = seen.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of expected) expect(ids).toContain(id);
    expect(seen.every((p) => p.author.id === a.id || p.author.id === b.id)).toBe(true);
  });

  it("is empty for anonymous visitors and people who follow nobody", async () => {
    expect((await following(pool, null)).posts).toEqual([]);
    const lonely = await makeUser(pool);
    expect((await following(pool, lonely.viewer)).posts).toEqual([]);
  });
});
