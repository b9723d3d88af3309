import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { testPool } from "../testing/db.ts";
import {
  addComment,
  block,
  deleteComment,
  editComment,
  follow,
  like,
  listComments,
} from "./interactions.server.ts";
import { decide, moderationQueue, report } from "./moderation.server.ts";
import { markRead, unreadCount } from "./notifications.server.ts";
import {
  checkPublish,
  deletePost,
  getPost,
  postFile,
  remixSeed,
  setPublished,
} from "./posts.server.ts";
import {
  createdPosts,
  likedPosts,
  remixPosts,
  setLikedVisibility,
  socialProfile,
} from "./profiles.server.ts";
import { makeDraft, makePost, makeUser, type TestUser } from "./test-fixtures.ts";
import type { Viewer } from "./viewer.server.ts";

/**
 * The access matrix: every action × every kind of person. "ok" = allowed; "not_found" = the item
 * is invisible to them (same answer as a wrong id, so guessing ids reveals nothing); "forbidden" =
 * they can see it but may not do this.
 */

type Role = "owner" | "follower" | "stranger" | "blocked" | "minor" | "anonymous" | "moderator";
const ROLES: Role[] = [
  "owner",
  "follower",
  "stranger",
  "blocked",
  "minor",
  "anonymous",
  "moderator",
];
type Outcome = "ok" | "not_found" | "forbidden" | "unauthenticated";

let pool: Pool;
const people = {} as Record<Exclude<Role, "anonymous">, TestUser>;
const viewer = (r: Role): Viewer => (r === "anonymous" ? null : people[r].viewer);

beforeAll(async () => {
  pool = testPool(6);
  for (const r of ROLES)
    if (r !== "anonymous")
      people[r] = await makeUser(pool, { minor: r === "minor", moderator: r === "moderator" });
  await follow(pool, people.follower.viewer, people.owner.id);
  await block(pool, people.owner.viewer, people.blocked.id);
});
afterAll(async () => {
  await pool.end();
});

async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    await fn();
    return "ok";
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "not_found" || code === "forbidden" || code === "unauthenticated") return code;
    throw err;
  }
}

async function matrix(
  action: (v: Viewer, r: Role) => Promise<unknown>,
): Promise<Record<Role, Outcome>> {
  const out = {} as Record<Role, Outcome>;
  for (const r of ROLES) out[r] = await outcome(() => action(viewer(r), r));
  return out;
}

describe("access matrix", () => {
  it("reading a published post (page and media file): everyone but a blocked person", async () => {
    const post = await makePost(pool, people.owner);
    const expected = {
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "ok",
      anonymous: "ok",
      moderator: "ok",
    };
    expect(await matrix((v) => getPost(pool, v, post))).toEqual(expected);
    expect(await matrix((v) => postFile(pool, v, post, "download"))).toEqual(expected);
  });

  it("reading an adults-only post: not minors, not anonymous visitors, not a blocked person", async () => {
    const post = await makePost(pool, people.owner, { audience: "adults" });
    expect(await matrix((v) => getPost(pool, v, post))).toEqual({
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "not_found",
      anonymous: "not_found",
      moderator: "ok",
    });
  });

  it("an unpublished post is private to its owner (and moderators); a deleted one to nobody", async () => {
    const post = await makePost(pool, people.owner);
    await setPublished(pool, people.owner.viewer, post, false);
    expect(await matrix((v) => getPost(pool, v, post))).toEqual({
      owner: "ok",
      follower: "not_found",
      stranger: "not_found",
      blocked: "not_found",
      minor: "not_found",
      anonymous: "not_found",
      moderator: "ok",
    });
    const gone = await makePost(pool, people.owner);
    await deletePost(pool, people.owner.viewer, gone);
    const none = await matrix((v) => getPost(pool, v, gone));
    expect(Object.values(none).every((o) => o === "not_found")).toBe(true);
  });

  it("nobody reads or publishes a private draft by guessing its id", async () => {
    const draft = await makeDraft(pool, people.owner);
    expect(
      await matrix((_v, r) =>
        r === "anonymous"
          ? Promise.reject({ code: "not_found" })
          : checkPublish(pool, people[r].id, { draftId: draft.draftId }),
      ),
    ).toEqual({
      owner: "ok",
      follower: "not_found",
      stranger: "not_found",
      blocked: "not_found",
      minor: "not_found",
      anonymous: "not_found",
      moderator: "not_found",
    });
    // A malformed id is only a wrong id.
    for (const draftId of ["nope", "", 42])
      expect(await outcome(() => checkPublish(pool, people.owner.id, { draftId }))).toBe(
        "not_found",
      );
  });

  it("liking and commenting: signed-in people who can see the post", async () => {
    const post = await makePost(pool, people.owner);
    const expected = {
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "ok",
      anonymous: "not_found",
      moderator: "ok",
    };
    expect(await matrix((v) => like(pool, v, post))).toEqual(expected);
    expect(await matrix((v) => addComment(pool, v, post, "nice"))).toEqual(expected);
  });

  it("deleting someone else's comment: only the comment's author and the post's owner", async () => {
    const post = await makePost(pool, people.owner);
    const author = await makeUser(pool);
    const results = {} as Record<Role, Outcome>;
    for (const r of ROLES) {
      const { id } = await addComment(pool, author.viewer, post, `comment for ${r}`);
      results[r] = await outcome(() => deleteComment(pool, viewer(r), id));
    }
    expect(results).toEqual({
      owner: "ok",
      follower: "forbidden",
      stranger: "forbidden",
      blocked: "not_found",
      minor: "forbidden",
      anonymous: "not_found",
      moderator: "forbidden", // moderators remove through a logged decision, not silently
    });
    const { id } = await addComment(pool, author.viewer, post, "mine");
    expect(await outcome(() => deleteComment(pool, author.viewer, id))).toBe("ok");
    // Guessing: a random id, and a comment id used with someone else's session after deletion.
    expect(
      await outcome(() =>
        deleteComment(pool, people.stranger.viewer, "00000000-0000-4000-8000-000000000000"),
      ),
    ).toBe("not_found");
    expect(await outcome(() => deleteComment(pool, people.owner.viewer, id))).toBe("not_found");
  });

  it("editing a comment: only its author", async () => {
    const post = await makePost(pool, people.owner);
    const { id } = await addComment(pool, people.stranger.viewer, post, "typo");
    expect(await matrix((v) => editComment(pool, v, id, "fixed"))).toEqual({
      owner: "forbidden",
      follower: "forbidden",
      stranger: "ok",
      blocked: "not_found",
      minor: "forbidden",
      anonymous: "not_found",
      moderator: "forbidden",
    });
    const [c] = (await listComments(pool, people.owner.viewer, post)).filter((x) => x.id === id);
    expect(c).toMatchObject({ body: "fixed", edited: true });
  });

  it("unpublishing and deleting a post: only its owner", async () => {
    const expected = {
      owner: "ok",
      follower: "forbidden",
      stranger: "forbidden",
      blocked: "not_found",
      minor: "forbidden",
      anonymous: "not_found",
      moderator: "forbidden",
    };
    const post = await makePost(pool, people.owner);
    const results = {} as Record<Role, Outcome>;
    for (const r of ROLES.filter((x) => x !== "owner"))
      results[r] = await outcome(() => deletePost(pool, viewer(r), post));
    results.owner = await outcome(() => deletePost(pool, people.owner.viewer, post));
    expect(results).toEqual(expected);
    const other = await makePost(pool, people.owner);
    const unpub = {} as Record<Role, Outcome>;
    for (const r of ROLES.filter((x) => x !== "owner"))
      unpub[r] = await outcome(() => setPublished(pool, viewer(r), other, false));
    unpub.owner = await outcome(() => setPublished(pool, people.owner.viewer, other, false));
    expect(unpub).toEqual(expected);
  });

  it("remixing: anyone signed in who can see the post, unless its owner forbids remixes", async () => {
    const open = await makePost(pool, people.owner);
    expect(await matrix((v) => remixSeed(pool, v, open))).toEqual({
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "ok",
      anonymous: "not_found",
      moderator: "ok",
    });
    const closed = await makePost(pool, people.owner, { allowRemix: false });
    expect(await matrix((v) => remixSeed(pool, v, closed))).toEqual({
      owner: "ok",
      follower: "forbidden",
      stranger: "forbidden",
      blocked: "not_found",
      minor: "forbidden",
      anonymous: "not_found",
      moderator: "forbidden",
    });
  });

  it("liked videos: private by default, public when the owner says so, never to a blocked person", async () => {
    const list = (v: Viewer) => likedPosts(pool, v, people.owner.id);
    expect(await matrix(list)).toEqual({
      owner: "ok",
      follower: "forbidden",
      stranger: "forbidden",
      blocked: "not_found",
      minor: "forbidden",
      anonymous: "forbidden",
      moderator: "forbidden",
    });
    await setLikedVisibility(pool, people.owner.viewer, "public");
    expect(await matrix(list)).toEqual({
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "ok",
      anonymous: "ok",
      moderator: "ok",
    });
    await setLikedVisibility(pool, people.owner.viewer, "private");
  });

  it("a profile is hidden from the person its owner blocked", async () => {
    expect(await matrix((v) => socialProfile(pool, v, people.owner.username))).toEqual({
      owner: "ok",
      follower: "ok",
      stranger: "ok",
      blocked: "not_found",
      minor: "ok",
      anonymous: "ok",
      moderator: "ok",
    });
  });

  it("the blocker still reaches the profile of the person they blocked (to unblock), with empty lists", async () => {
    await makePost(pool, people.blocked);
    await setLikedVisibility(pool, people.blocked.viewer, "public");
    const owner = people.owner.viewer;
    expect(await socialProfile(pool, owner, people.blocked.username)).toMatchObject({
      viewerBlocked: true,
    });
    for (const list of [createdPosts, likedPosts, remixPosts])
      expect((await list(pool, owner, people.blocked.id)).posts).toEqual([]);
    // The other way round the profile and its lists are not found.
    expect(await outcome(() => createdPosts(pool, people.blocked.viewer, people.owner.id))).toBe(
      "not_found",
    );
    expect(
      (await createdPosts(pool, people.stranger.viewer, people.blocked.id)).posts,
    ).toHaveLength(1);
    await setLikedVisibility(pool, people.blocked.viewer, "private");
  });

  it("the moderation queue and decisions: moderators only", async () => {
    const post = await makePost(pool, people.owner);
    await report(pool, people.stranger.viewer, {
      targetKind: "post",
      targetId: post,
      reason: "spam",
    });
    expect(await matrix((v) => moderationQueue(pool, v))).toEqual({
      owner: "forbidden",
      follower: "forbidden",
      stranger: "forbidden",
      blocked: "forbidden",
      minor: "forbidden",
      anonymous: "unauthenticated",
      moderator: "ok",
    });
    const results = {} as Record<Role, Outcome>;
    for (const r of ROLES.filter((x) => x !== "moderator"))
      results[r] = await outcome(() =>
        decide(pool, viewer(r), { kind: "post", id: post }, { action: "remove", reason: "spam" }),
      );
    expect(Object.values(results).every((o) => o === "forbidden" || o === "unauthenticated")).toBe(
      true,
    );
    expect((await getPost(pool, null, post)).status).toBe("published"); // nothing was applied
  });

  it("notifications: marking another person's notification read does nothing", async () => {
    const post = await makePost(pool, people.owner);
    await like(pool, people.stranger.viewer, post);
    const before = await unreadCount(pool, people.owner.id);
    expect(before).toBeGreaterThan(0);
    const ids = (
      await pool.query<{ id: string }>("SELECT id FROM notifications WHERE user_id = $1", [
        people.owner.id,
      ])
    ).rows.map((r) => r.id);
    expect(await markRead(pool, people.stranger.id, ids)).toBe(0);
    expect(await unreadCount(pool, people.owner.id)).toBe(before);
    expect(await markRead(pool, people.owner.id, ids)).toBe(before);
    expect(await unreadCount(pool, people.owner.id)).toBe(0);
  });
});
