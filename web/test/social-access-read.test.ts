import { randomUUID } from "node:crypto";
import { makeDraft } from "@reelhouse/shared/social/test-fixtures";
import { describe, expect, it } from "vitest";
import { type Client, text } from "./harness.ts";
import {
  client,
  expectAll,
  listed,
  matrix,
  pool,
  post,
  READ,
  ROLES,
  type Role,
  STATES,
  setUpAccessWorld,
  tag,
  user,
} from "./social-access-world.ts";

/**
 * The access matrix over HTTP, reading: post pages, their files and the embed, the feeds (every
 * page they fetch), hashtags, trending, profiles and the data requests of client-side navigation,
 * for every kind of person (social-access-world.ts).
 */
setUpAccessWorld({ feedFiller: true });

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

const cursorIn = (body: string): string | null => /(eyJ[A-Za-z0-9_-]{20,})/.exec(body)?.[1] ?? null;

/**
 * Which of the owner's published posts a listing (feed, hashtag page) shows each person: both to
 * adults, only the one for all audiences to minors and anonymous visitors, none across a block.
 */
const LISTS_READABLE: Record<Role, string[]> = {
  owner: ["adults", "pub"],
  follower: ["adults", "pub"],
  stranger: ["adults", "pub"],
  blocked: [],
  blocker: [],
  minor: ["pub"],
  anonymous: ["pub"],
  moderator: ["adults", "pub"],
};

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
    expect(out).toEqual({ ...LISTS_READABLE, owner: [] });
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
    expect(out).toEqual(LISTS_READABLE);
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
    expect(out).toEqual(LISTS_READABLE);
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

describe("profiles", () => {
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
