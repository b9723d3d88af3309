import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { testPool } from "../testing/db.ts";
import {
  addComment,
  block,
  deleteComment,
  follow,
  like,
  listComments,
  unfollow,
  unlike,
} from "./interactions.server.ts";
import { decide, decisionLog, moderationQueue, report } from "./moderation.server.ts";
import { listNotifications, unreadCount } from "./notifications.server.ts";
import { attributionChain, deletePost, getPost, insertPost, remixSeed } from "./posts.server.ts";
import { socialProfile } from "./profiles.server.ts";
import { makePost, makeUser } from "./test-fixtures.ts";

let pool: Pool;
beforeAll(() => {
  pool = testPool(20);
});
afterAll(async () => {
  await pool.end();
});

const likeCount = async (id: string) =>
  (await pool.query<{ n: number }>("SELECT like_count AS n FROM posts WHERE id = $1", [id]))
    .rows[0]!.n;
const likeRows = async (id: string) =>
  (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM likes WHERE post_id = $1", [id]))
    .rows[0]!.n;

describe("likes", () => {
  it("count once under 20 concurrent likes by the same person, and the counter matches the rows", async () => {
    const owner = await makeUser(pool);
    const fan = await makeUser(pool);
    const post = await makePost(pool, owner);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => like(pool, fan.viewer, post)),
    );
    expect(results.every((r) => r.liked)).toBe(true);
    expect(await likeCount(post)).toBe(1);
    expect(await likeRows(post)).toBe(1);
    // One notification, even after unlike + like again.
    await unlike(pool, fan.viewer, post);
    await like(pool, fan.viewer, post);
    expect((await listNotifications(pool, owner.id)).filter((n) => n.kind === "like")).toHaveLength(
      1,
    );
  });

  it("count each of 10 people once when each likes twice concurrently, and unlikes race to zero", async () => {
    const owner = await makeUser(pool);
    const post = await makePost(pool, owner);
    const fans = await Promise.all(Array.from({ length: 10 }, () => makeUser(pool)));
    await Promise.all(
      fans.flatMap((f) => [like(pool, f.viewer, post), like(pool, f.viewer, post)]),
    );
    expect(await likeCount(post)).toBe(10);
    expect(await likeRows(post)).toBe(10);
    await Promise.all(
      fans.flatMap((f) => [unlike(pool, f.viewer, post), unlike(pool, f.viewer, post)]),
    );
    expect(await likeCount(post)).toBe(0);
    expect(await likeRows(post)).toBe(0);
  });
});

describe("comments", () => {
  it("thread replies under their top-level comment and notify the post owner, the replied-to person and mentions", async () => {
    const owner = await makeUser(pool);
    const a = await makeUser(pool);
    const b = await makeUser(pool);
    const post = await makePost(pool, owner);
    const top = await addComment(pool, a.viewer, post, "first!");
    const second = await addComment(pool, b.viewer, post, "second");
    const reply = await addComment(pool, b.viewer, post, `@${a.username} agreed`, top.id);
    const replyToReply = await addComment(pool, owner.viewer, post, "thanks", reply.id);
    const list = await listComments(pool, owner.viewer, post);
    expect(list.map((c) => c.id)).toEqual([top.id, reply.id, replyToReply.id, second.id]);
    expect(list.find((c) => c.id === replyToReply.id)!.parentId).toBe(top.id); // one level of threads
    expect((await getPost(pool, null, post)).commentCount).toBe(4);
    const aKinds = (await listNotifications(pool, a.id)).map((n) => n.kind).sort();
    expect(aKinds).toEqual(["mention", "reply"]);
    expect(
      (await listNotifications(pool, owner.id)).filter((n) => n.kind === "comment"),
    ).toHaveLength(3);
  });

  it("refuse empty and overlong comments, writing nothing", async () => {
    const owner = await makeUser(pool);
    const post = await makePost(pool, owner);
    await expect(addComment(pool, owner.viewer, post, "   ")).rejects.toMatchObject({
      code: "invalid",
    });
    await expect(addComment(pool, owner.viewer, post, "x".repeat(2001))).rejects.toMatchObject({
      code: "invalid",
      message: /2000/,
    });
    expect((await getPost(pool, null, post)).commentCount).toBe(0);
  });

  it("a deleted comment with replies leaves a placeholder so its thread stays", async () => {
    const owner = await makeUser(pool);
    const a = await makeUser(pool);
    const post = await makePost(pool, owner);
    const top = await addComment(pool, a.viewer, post, "top");
    await addComment(pool, owner.viewer, post, "reply", top.id);
    await deleteComment(pool, a.viewer, top.id);
    const list = await listComments(pool, owner.viewer, post);
    expect(list[0]).toMatchObject({ id: top.id, deleted: true, body: "", author: null });
    expect(list[1]).toMatchObject({ body: "reply", parentId: top.id });
    expect((await getPost(pool, null, post)).commentCount).toBe(1);
  });
});

describe("follows and blocks", () => {
  it("follow/unfollow are idempotent and keep the counts right", async () => {
    const a = await makeUser(pool);
    const b = await makeUser(pool);
    await Promise.all([
      follow(pool, a.viewer, b.id),
      follow(pool, a.viewer, b.id),
      follow(pool, b.viewer, a.id),
    ]);
    let pb = await socialProfile(pool, a.viewer, b.username);
    expect(pb).toMatchObject({
      followerCount: 1,
      followingCount: 1,
      viewerFollows: true,
      followsViewer: true,
    });
    await unfollow(pool, a.viewer, b.id);
    await unfollow(pool, a.viewer, b.id);
    pb = await socialProfile(pool, a.viewer, b.username);
    expect(pb).toMatchObject({ followerCount: 0, followingCount: 1, viewerFollows: false });
    await expect(follow(pool, a.viewer, a.id)).rejects.toMatchObject({ code: "invalid" });
  });

  it("block removes follows both ways, refuses a new follow, and hides comments both ways", async () => {
    const a = await makeUser(pool);
    const b = await makeUser(pool);
    const owner = await makeUser(pool);
    await follow(pool, a.viewer, b.id);
    await follow(pool, b.viewer, a.id);
    const post = await makePost(pool, owner);
    await addComment(pool, b.viewer, post, "from b");
    await block(pool, a.viewer, b.id);
    const rows = await pool.query(
      "SELECT 1 FROM follows WHERE (follower_id = $1 AND followee_id = $2) OR (follower_id = $2 AND followee_id = $1)",
      [a.id, b.id],
    );
    expect(rows.rowCount).toBe(0);
    expect((await socialProfile(pool, a.viewer, b.username)).followerCount).toBe(0);
    await expect(follow(pool, b.viewer, a.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await listComments(pool, a.viewer, post)).map((c) => c.body)).not.toContain("from b");
    expect((await listComments(pool, owner.viewer, post)).map((c) => c.body)).toContain("from b");
  });
});

describe("remix attribution", () => {
  it("labels a remix with its original, counts remixes, and survives a deletion in the middle of the chain", async () => {
    const alice = await makeUser(pool);
    const bob = await makeUser(pool);
    const carol = await makeUser(pool);
    const a = await makePost(pool, alice, { caption: "original" });
    const seed = await remixSeed(pool, bob.viewer, a);
    expect(seed).toMatchObject({ remixOf: a, ownerUsername: alice.username, prompt: "a prompt" });
    const b = await makePost(pool, bob, { remixOf: a });
    const c = await makePost(pool, carol, { remixOf: b });
    expect((await getPost(pool, null, a)).remixCount).toBe(1);
    expect((await getPost(pool, null, c)).remixOf).toEqual({
      id: b,
      username: bob.username,
      available: true,
    });
    await deletePost(pool, bob.viewer, b);
    expect((await getPost(pool, null, c)).remixOf).toEqual({
      id: b,
      username: null,
      available: false,
    });
    expect(await attributionChain(pool, c)).toEqual([
      { id: b, username: null, available: false },
      { id: a, username: alice.username, available: true },
    ]);
  });

  it("the same publish workflow id inserts one post and counts the remix once", async () => {
    const alice = await makeUser(pool);
    const bob = await makeUser(pool);
    const a = await makePost(pool, alice);
    const ids = await Promise.all(
      Array.from({ length: 5 }, () =>
        makePost(pool, bob, { remixOf: a, workflowId: `publish:same-${a}` }),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    expect((await getPost(pool, null, a)).remixCount).toBe(1);
    const again = await insertPost(pool, {
      workflowId: `publish:same-${a}`,
      authorId: bob.id,
      req: {
        draftId: null as unknown as string,
        caption: "",
        audience: "all",
        allowRemix: true,
        remixOf: a,
      },
      source: {
        draftId: null as unknown as string,
        projectId: null as unknown as string,
        prompt: "",
        videoPath: "",
        durationMs: 1,
        width: 1,
        height: 1,
        storyboard: null,
      },
      videoPath: "v",
      posterPath: "p",
      downloadPath: "d",
    });
    expect(again).toEqual({ postId: ids[0], created: false });
  });
});

describe("reports and moderation", () => {
  it("a decision is applied, logged with who and why, closes every report on the item and tells each reporter", async () => {
    const owner = await makeUser(pool);
    const r1 = await makeUser(pool);
    const r2 = await makeUser(pool);
    const mod = await makeUser(pool, { moderator: true });
    const post = await makePost(pool, owner, { caption: "buy followers now" });
    await report(pool, r1.viewer, {
      targetKind: "post",
      targetId: post,
      reason: "spam",
      details: "ad",
    });
    await report(pool, r2.viewer, { targetKind: "post", targetId: post, reason: "spam" });
    await expect(
      report(pool, r1.viewer, { targetKind: "post", targetId: post, reason: "spam" }),
    ).rejects.toMatchObject({ code: "conflict" });
    const item = (await moderationQueue(pool, mod.viewer)).find((i) => i.targetId === post)!;
    expect(item.reports).toHaveLength(2);
    expect(item.context).toMatchObject({
      caption: "buy followers now",
      owner: owner.username,
      status: "published",
    });

    await expect(
      decide(pool, mod.viewer, { kind: "post", id: post }, { action: "remove", reason: " " }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect(await decisionLog(pool, mod.viewer, "post", post)).toHaveLength(0);

    const res = await decide(
      pool,
      mod.viewer,
      { kind: "post", id: post },
      { action: "remove", reason: "commercial spam" },
    );
    expect(res.reportsClosed).toBe(2);
    await expect(getPost(pool, r1.viewer, post)).rejects.toMatchObject({ code: "not_found" });
    expect((await getPost(pool, owner.viewer, post)).status).toBe("removed");
    const logRows = await decisionLog(pool, mod.viewer, "post", post);
    expect(logRows).toMatchObject([
      { action: "remove", reason: "commercial spam", moderator: mod.username },
    ]);
    for (const r of [r1, r2]) {
      const n = (await listNotifications(pool, r.id)).find((x) => x.kind === "report_outcome")!;
      expect(n.payload).toMatchObject({ action: "remove", targetId: post });
      expect(String(n.payload.message)).toMatch(/removed/);
      expect(await unreadCount(pool, r.id)).toBe(1);
    }
    expect(
      (await moderationQueue(pool, mod.viewer)).find((i) => i.targetId === post),
    ).toBeUndefined();
  });

  it("restrict to adults hides a post from minors; keep leaves it; comments can be removed", async () => {
    const owner = await makeUser(pool);
    const minor = await makeUser(pool, { minor: true });
    const rep = await makeUser(pool);
    const mod = await makeUser(pool, { moderator: true });
    const post = await makePost(pool, owner);
    await report(pool, rep.viewer, { targetKind: "post", targetId: post, reason: "violence" });
    await decide(
      pool,
      mod.viewer,
      { kind: "post", id: post },
      { action: "restrict_adults", reason: "realistic fight scene" },
    );
    await expect(getPost(pool, minor.viewer, post)).rejects.toMatchObject({ code: "not_found" });
    expect((await getPost(pool, rep.viewer, post)).audience).toBe("adults");

    const { id } = await addComment(pool, rep.viewer, post, "rude words");
    await report(pool, owner.viewer, { targetKind: "comment", targetId: id, reason: "harassment" });
    await expect(
      decide(pool, mod.viewer, { kind: "comment", id }, { action: "restrict_adults", reason: "x" }),
    ).rejects.toMatchObject({ code: "invalid" });
    await decide(pool, mod.viewer, { kind: "comment", id }, { action: "remove", reason: "insult" });
    expect((await listComments(pool, owner.viewer, post)).find((c) => c.id === id)).toBeUndefined();

    const other = await makePost(pool, owner);
    await report(pool, rep.viewer, {
      targetKind: "post",
      targetId: other,
      reason: "other",
      details: "not sure",
    });
    await decide(
      pool,
      mod.viewer,
      { kind: "post", id: other },
      { action: "keep", reason: "within the rules" },
    );
    expect((await getPost(pool, minor.viewer, other)).status).toBe("published");
    const outcome = (await listNotifications(pool, rep.id)).find(
      (n) => n.payload.targetId === other,
    )!;
    expect(String(outcome.payload.message)).toMatch(/stays up/);
  });

  it("refuses reports with an unknown reason, of an invisible item, or by anonymous visitors", async () => {
    const owner = await makeUser(pool);
    const rep = await makeUser(pool);
    const post = await makePost(pool, owner);
    await expect(
      report(pool, rep.viewer, { targetKind: "post", targetId: post, reason: "boring" }),
    ).rejects.toMatchObject({ code: "invalid" });
    await expect(
      report(pool, rep.viewer, {
        targetKind: "post",
        targetId: "00000000-0000-4000-8000-000000000001",
        reason: "spam",
      }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      report(pool, null, { targetKind: "post", targetId: post, reason: "spam" }),
    ).rejects.toMatchObject({ code: "unauthenticated" });
    expect(
      (await pool.query("SELECT count(*)::int AS n FROM reports WHERE target_id = $1", [post]))
        .rows[0].n,
    ).toBe(0);
  });
});
