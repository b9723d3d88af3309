import { randomUUID } from "node:crypto";
import http from "node:http";
import { addComment } from "@reelhouse/shared/social/interactions.server";
import { report } from "@reelhouse/shared/social/moderation.server";
import { notify } from "@reelhouse/shared/social/notifications.server";
import { makeDraft, makePost, makeUser } from "@reelhouse/shared/social/test-fixtures";
import { describe, expect, it } from "vitest";
import { type Client, text } from "./harness.ts";
import {
  actOn,
  allowedBy,
  client,
  count,
  expectAll,
  ids,
  listed,
  type Matrix,
  mapPeople,
  matrix,
  ownerPost,
  type Person,
  pool,
  post,
  ROLES,
  type Role,
  STATES,
  setUpAccessWorld,
  user,
} from "./social-access-world.ts";

/**
 * The access matrix over HTTP, acting: likes, comments, owner actions, remixes, follows and blocks,
 * reports, notifications, moderation, publishing and CSRF, for every kind of person
 * (social-access-world.ts). Every refusal is also checked in the database: nothing changed.
 */
setUpAccessWorld();

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

describe("comments across a block, on a third person's post", () => {
  it("each side of a block neither sees nor answers the other's comments", async () => {
    const creator = await makeUser(pool);
    const p = await makePost(pool, creator, { caption: "neutral ground" });
    const ownerSays = `owner says ${randomUUID()}`;
    const { id: ownerComment } = await addComment(pool, user.owner.viewer, p, ownerSays);
    const blockedSays = `blocked says ${randomUUID()}`;
    await addComment(pool, user.blocked.viewer, p, blockedSays);
    const seen = {} as Record<Role, string>;
    for (const r of ROLES) {
      const page = await client[r].get(`/p/${p}`);
      expect(page.status, r).toBe(200);
      seen[r] = [ownerSays, blockedSays].map((t) => (page.body.includes(t) ? "y" : "n")).join("");
    }
    // [owner's comment, blocked's comment]: hidden across the block in both directions.
    expect(seen).toEqual({
      owner: "yn",
      follower: "yy",
      stranger: "yy",
      blocked: "ny",
      blocker: "ny",
      minor: "yy",
      anonymous: "yy",
      moderator: "yy",
    });
    const replies = await matrix((c) =>
      c.post(`/p/${p}/comments`, { intent: "add", body: "re", parentId: ownerComment }),
    );
    expect(replies).toEqual(expectAll(200, { blocked: 404, blocker: 404, anonymous: 404 }));
    expect(
      await ids("SELECT author_id AS id FROM comments WHERE parent_id = $1", [ownerComment]),
    ).toEqual(allowedBy(replies, 200));
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

  /** A notification for the owner whose text (and dedupe key) is `message`. */
  const notifyOwner = (message: string) =>
    notify(pool, {
      userId: user.owner.id,
      actorId: null,
      kind: "report_outcome",
      payload: { message },
      dedupeKey: message,
    });

  it("the list, the count and the live stream show each person their own; anonymous visitors nothing", async () => {
    const secret = `owner-only-${randomUUID()}`;
    await notifyOwner(secret);
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
    await notifyOwner(key);
    const id = (
      await pool.query<{ id: string }>("SELECT id FROM notifications WHERE dedupe_key = $1", [key])
    ).rows[0]!.id;
    const readAt = async () =>
      (await pool.query("SELECT read_at FROM notifications WHERE id = $1", [id])).rows[0].read_at;
    for (const r of ROLES.filter((x) => x !== "owner")) {
      for (const fields of [{ id }, {}] as Record<string, string>[]) {
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

  it("every decision on every kind of item: moderators only; refusals log nothing", async () => {
    const creator = await makeUser(pool);
    for (const kind of ["post", "comment", "user"] as const)
      for (const action of ["keep", "restrict_adults", "remove"]) {
        const p = await makePost(pool, creator);
        const targetId =
          kind === "post"
            ? p
            : kind === "comment"
              ? (await addComment(pool, creator.viewer, p, "c")).id
              : (await makeUser(pool)).id;
        const logged = () =>
          count("SELECT count(*) AS n FROM moderation_decisions WHERE target_id = $1", [targetId]);
        const got = {} as Matrix;
        for (const r of ROLES.filter((x) => x !== "moderator")) {
          got[r] = (
            await client[r].post("/moderation", { targetKind: kind, targetId, action, reason: "x" })
          ).status;
          expect(await logged(), `${kind} ${action} ${r}`).toBe(0);
        }
        got.moderator = (
          await client.moderator.post("/moderation", {
            targetKind: kind,
            targetId,
            action,
            reason: "x",
          })
        ).status;
        // Comments can be kept or removed, not restricted.
        const ok = kind === "comment" && action === "restrict_adults" ? 400 : 200;
        expect(got, `${kind} ${action}`).toEqual(expectAll(403, { moderator: ok, anonymous: 302 }));
        expect(await logged(), `${kind} ${action}`).toBe(ok === 200 ? 1 : 0);
      }
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
