import type { Pool } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { forbidden, invalid, notFound } from "./errors.ts";
import { notify } from "./notifications.server.ts";
import { requireReadablePost } from "./posts.server.ts";
import { parseMentions } from "./text.ts";
import { isBlockedEitherWay, isUuid, type Viewer } from "./viewer.server.ts";

/**
 * Likes, comments, follows and blocks. Every counter changes in the same transaction as the row it
 * counts, and only when that row was actually inserted or deleted (ON CONFLICT DO NOTHING /
 * DELETE … RETURNING), so concurrent duplicate requests count once.
 */

function signedIn(v: Viewer): asserts v is NonNullable<Viewer> {
  if (!v) throw notFound("post");
}

export async function like(
  pool: Pool,
  v: Viewer,
  postId: string,
): Promise<{ liked: true; likeCount: number }> {
  signedIn(v);
  const p = await requireReadablePost(pool, v, postId);
  if (p.status !== "published") throw forbidden("only published posts can be liked");
  const count = await transaction(pool, async (c) => {
    const ins = await c.query(
      "INSERT INTO likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [postId, v.id],
    );
    if ((ins.rowCount ?? 0) === 0) {
      return (
        await c.query<{ n: number }>("SELECT like_count AS n FROM posts WHERE id = $1", [postId])
      ).rows[0]!.n;
    }
    const r = await c.query<{ n: number }>(
      "UPDATE posts SET like_count = like_count + 1 WHERE id = $1 RETURNING like_count AS n",
      [postId],
    );
    return r.rows[0]!.n;
  });
  await notify(pool, {
    userId: p.author_id,
    actorId: v.id,
    kind: "like",
    payload: { postId },
    dedupeKey: `like:${postId}:${v.id}`,
  });
  return { liked: true, likeCount: count };
}

export async function unlike(
  pool: Pool,
  v: Viewer,
  postId: string,
): Promise<{ liked: false; likeCount: number }> {
  signedIn(v);
  await requireReadablePost(pool, v, postId);
  const count = await transaction(pool, async (c) => {
    const del = await c.query("DELETE FROM likes WHERE post_id = $1 AND user_id = $2", [
      postId,
      v.id,
    ]);
    if ((del.rowCount ?? 0) === 0) {
      return (
        await c.query<{ n: number }>("SELECT like_count AS n FROM posts WHERE id = $1", [postId])
      ).rows[0]!.n;
    }
    const r = await c.query<{ n: number }>(
      "UPDATE posts SET like_count = like_count - 1 WHERE id = $1 RETURNING like_count AS n",
      [postId],
    );
    return r.rows[0]!.n;
  });
  return { liked: false, likeCount: count };
}

export type CommentView = {
  id: string;
  postId: string;
  parentId: string | null;
  author: { id: string; username: string } | null;
  body: string;
  deleted: boolean;
  edited: boolean;
  createdAt: Date;
  /** What the viewer may do with it. */
  canEdit: boolean;
  canDelete: boolean;
};

const bodyOf = (raw: unknown): string => {
  if (typeof raw !== "string") throw invalid("comment: text required");
  const body = raw.trim();
  if (body.length === 0) throw invalid("comment: empty");
  if (body.length > 2000) throw invalid("comment: at most 2000 characters");
  return body;
};

/** Comments of a post the viewer can read, threads in order (replies after their parent). */
export async function listComments(pool: Pool, v: Viewer, postId: string): Promise<CommentView[]> {
  const p = await requireReadablePost(pool, v, postId);
  const r = await pool.query<{
    id: string;
    parent_id: string | null;
    author_id: string;
    username: string;
    body: string;
    deleted_at: Date | null;
    edited_at: Date | null;
    created_at: Date;
  }>(
    `SELECT c.id, c.parent_id, c.author_id, u.username, c.body, c.deleted_at, c.edited_at, c.created_at
       FROM comments c JOIN users u ON u.id = c.author_id
      WHERE c.post_id = $1
        AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $2 AND b.blocked_id = c.author_id)
                                                 OR (b.blocker_id = c.author_id AND b.blocked_id = $2))
      ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL, c.created_at`,
    [postId, v?.id ?? null],
  );
  // Threads by their top-level comment's time.
  const top = new Map(
    r.rows.filter((c) => !c.parent_id).map((c) => [c.id, c.created_at.getTime()]),
  );
  const rows = [...r.rows].sort((a, b) => {
    const ta = top.get(a.parent_id ?? a.id) ?? 0;
    const tb = top.get(b.parent_id ?? b.id) ?? 0;
    if (ta !== tb) return ta - tb;
    if ((a.parent_id ?? a.id) !== (b.parent_id ?? b.id))
      return (a.parent_id ?? a.id) < (b.parent_id ?? b.id) ? -1 : 1;
    if (!a.parent_id !== !b.parent_id) return a.parent_id ? 1 : -1;
    return a.created_at.getTime() - b.created_at.getTime();
  });
  const withReplies = new Set(
    rows.map((c) => c.parent_id).filter((id): id is string => id !== null),
  );
  return (
    rows
      .filter((c) => c.parent_id === null || top.has(c.parent_id))
      // A deleted comment stays as a placeholder only while replies hang under it.
      .filter((c) => c.deleted_at === null || withReplies.has(c.id))
      .map((c) => {
        const deleted = c.deleted_at !== null;
        return {
          id: c.id,
          postId,
          parentId: c.parent_id,
          author: deleted ? null : { id: c.author_id, username: c.username },
          body: deleted ? "" : c.body,
          deleted,
          edited: c.edited_at !== null,
          createdAt: c.created_at,
          canEdit: !deleted && v?.id === c.author_id,
          // As `deleteComment` allows: moderators remove through a logged decision instead.
          canDelete: !deleted && v !== null && (v.id === c.author_id || v.id === p.author_id),
        };
      })
  );
}

export async function addComment(
  pool: Pool,
  v: Viewer,
  postId: string,
  rawBody: unknown,
  parentId?: string | null,
): Promise<{ id: string }> {
  signedIn(v);
  const p = await requireReadablePost(pool, v, postId);
  if (p.status !== "published") throw forbidden("only published posts take comments");
  const body = bodyOf(rawBody);
  let parentAuthor: string | null = null;
  let threadId: string | null = null;
  if (parentId) {
    if (!isUuid(parentId)) throw notFound("comment");
    const r = await pool.query<{
      id: string;
      parent_id: string | null;
      author_id: string;
      deleted_at: Date | null;
    }>("SELECT id, parent_id, author_id, deleted_at FROM comments WHERE id = $1 AND post_id = $2", [
      parentId,
      postId,
    ]);
    const parent = r.rows[0];
    if (!parent) throw notFound("comment");
    if (await isBlockedEitherWay(pool, v.id, parent.author_id)) throw notFound("comment");
    // One level of threads: a reply to a reply joins the same thread.
    threadId = parent.parent_id ?? parent.id;
    parentAuthor = parent.deleted_at ? null : parent.author_id;
  }
  const id = await transaction(pool, async (c) => {
    const ins = await c.query<{ id: string }>(
      "INSERT INTO comments (post_id, author_id, parent_id, body) VALUES ($1, $2, $3, $4) RETURNING id",
      [postId, v.id, threadId, body],
    );
    await c.query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1", [postId]);
    return ins.rows[0]!.id;
  });
  if (parentAuthor) {
    await notify(pool, {
      userId: parentAuthor,
      actorId: v.id,
      kind: "reply",
      payload: { postId, commentId: id },
      dedupeKey: `reply:${id}`,
    });
  }
  if (parentAuthor !== p.author_id) {
    await notify(pool, {
      userId: p.author_id,
      actorId: v.id,
      kind: "comment",
      payload: { postId, commentId: id },
      dedupeKey: `comment:${id}`,
    });
  }
  const mentioned = parseMentions(body);
  if (mentioned.length) {
    const users = await pool.query<{ id: string }>(
      "SELECT id FROM users WHERE lower(username) = ANY($1::text[])",
      [mentioned],
    );
    for (const u of users.rows) {
      await notify(pool, {
        userId: u.id,
        actorId: v.id,
        kind: "mention",
        payload: { postId, commentId: id },
        dedupeKey: `mention:comment:${id}:${u.id}`,
      });
    }
  }
  return { id };
}

type CommentAccess = {
  id: string;
  post_id: string;
  author_id: string;
  post_author_id: string;
  deleted_at: Date | null;
};

async function commentFor(
  pool: Pool,
  v: NonNullable<Viewer>,
  commentId: string,
): Promise<CommentAccess> {
  if (!isUuid(commentId)) throw notFound("comment");
  const r = await pool.query<CommentAccess>(
    `SELECT c.id, c.post_id, c.author_id, p.author_id AS post_author_id, c.deleted_at
       FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = $1`,
    [commentId],
  );
  const c = r.rows[0];
  if (!c || c.deleted_at) throw notFound("comment");
  // The post must be readable too: an id guessed from elsewhere reveals nothing.
  await requireReadablePost(pool, v, c.post_id).catch(() => {
    throw notFound("comment");
  });
  return c;
}

/** Only the author edits a comment. */
export async function editComment(
  pool: Pool,
  v: Viewer,
  commentId: string,
  rawBody: unknown,
): Promise<void> {
  signedIn(v);
  const c = await commentFor(pool, v, commentId);
  if (c.author_id !== v.id) throw forbidden("only the author can edit a comment");
  const body = bodyOf(rawBody);
  await pool.query("UPDATE comments SET body = $2, edited_at = now() WHERE id = $1", [
    commentId,
    body,
  ]);
}

/**
 * The author, the post's owner, or a moderator deletes a comment. A comment with replies is emptied
 * ("comment deleted") so its thread stays; one without is removed.
 */
export async function deleteComment(
  pool: Pool,
  v: Viewer,
  commentId: string,
  opts: { byModerator?: boolean } = {},
): Promise<void> {
  signedIn(v);
  const c = await commentFor(pool, v, commentId);
  const allowed =
    c.author_id === v.id ||
    c.post_author_id === v.id ||
    (opts.byModerator === true && v.isModerator);
  if (!allowed) throw forbidden("only the comment's author or the post's owner can delete it");
  await transaction(pool, async (t) => {
    const replies = await t.query(
      "SELECT 1 FROM comments WHERE parent_id = $1 AND deleted_at IS NULL LIMIT 1",
      [commentId],
    );
    const r =
      (replies.rowCount ?? 0) > 0
        ? await t.query(
            "UPDATE comments SET deleted_at = now(), body = '', removed_by_moderator = $2 WHERE id = $1 AND deleted_at IS NULL",
            [commentId, opts.byModerator === true],
          )
        : await t.query("DELETE FROM comments WHERE id = $1 AND deleted_at IS NULL", [commentId]);
    if ((r.rowCount ?? 0) > 0) {
      await t.query(
        "UPDATE posts SET comment_count = greatest(comment_count - 1, 0) WHERE id = $1",
        [c.post_id],
      );
    }
  });
}

async function requireOtherUser(pool: Pool, v: NonNullable<Viewer>, userId: string): Promise<void> {
  if (!isUuid(userId)) throw notFound("user");
  if (userId === v.id) throw invalid("you cannot do this to yourself");
  const r = await pool.query("SELECT 1 FROM users WHERE id = $1", [userId]);
  if ((r.rowCount ?? 0) === 0) throw notFound("user");
}

async function ensureProfiles(c: { query: Pool["query"] }, ids: string[]): Promise<void> {
  await c.query(
    "INSERT INTO social_profiles (user_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING",
    [ids],
  );
}

export async function follow(pool: Pool, v: Viewer, userId: string): Promise<{ following: true }> {
  if (!v) throw notFound("user");
  await requireOtherUser(pool, v, userId);
  if (await isBlockedEitherWay(pool, v.id, userId)) throw notFound("user");
  const created = await transaction(pool, async (c) => {
    const ins = await c.query(
      "INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [v.id, userId],
    );
    if ((ins.rowCount ?? 0) === 0) return false;
    await ensureProfiles(c, [v.id, userId]);
    // Fixed order of the two row locks: concurrent follows in both directions cannot deadlock.
    for (const id of [v.id, userId].sort()) {
      await c.query(
        `UPDATE social_profiles SET following_count = following_count + (user_id = $2)::int,
                follower_count = follower_count + (user_id = $3)::int WHERE user_id = $1`,
        [id, v.id, userId],
      );
    }
    return true;
  });
  if (created) {
    await notify(pool, {
      userId,
      actorId: v.id,
      kind: "follow",
      payload: {},
      dedupeKey: `follow:${v.id}:${userId}`,
    });
  }
  return { following: true };
}

async function removeFollow(
  c: { query: Pool["query"] },
  follower: string,
  followee: string,
): Promise<boolean> {
  const del = await c.query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2", [
    follower,
    followee,
  ]);
  if ((del.rowCount ?? 0) === 0) return false;
  for (const id of [follower, followee].sort()) {
    await c.query(
      `UPDATE social_profiles SET following_count = greatest(following_count - (user_id = $2)::int, 0),
              follower_count = greatest(follower_count - (user_id = $3)::int, 0) WHERE user_id = $1`,
      [id, follower, followee],
    );
  }
  return true;
}

export async function unfollow(
  pool: Pool,
  v: Viewer,
  userId: string,
): Promise<{ following: false }> {
  if (!v) throw notFound("user");
  await requireOtherUser(pool, v, userId);
  await transaction(pool, (c) => removeFollow(c, v.id, userId));
  return { following: false };
}

/** Block: hides each from the other everywhere and removes follows in both directions. */
export async function block(pool: Pool, v: Viewer, userId: string): Promise<void> {
  if (!v) throw notFound("user");
  await requireOtherUser(pool, v, userId);
  await transaction(pool, async (c) => {
    await c.query(
      "INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [v.id, userId],
    );
    await removeFollow(c, v.id, userId);
    await removeFollow(c, userId, v.id);
  });
}

export async function unblock(pool: Pool, v: Viewer, userId: string): Promise<void> {
  if (!v) throw notFound("user");
  await requireOtherUser(pool, v, userId);
  await pool.query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2", [v.id, userId]);
}
