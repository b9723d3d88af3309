import { decodeCursor, encodeCursor, timeCursorSchema } from "./cursor.ts";
import { forbidden, invalid, notFound } from "./errors.ts";
import type { FeedPage } from "./feed.server.ts";
import { hydratePosts } from "./posts.server.ts";
import { type Queryable, seesAdultContent, type Viewer } from "./viewer.server.ts";

/** The social half of a profile page: counts, follow state, and the created / liked / remix lists. */
export type SocialProfile = {
  userId: string;
  username: string;
  followerCount: number;
  followingCount: number;
  postCount: number;
  likedVisibility: "public" | "private";
  viewerFollows: boolean;
  followsViewer: boolean;
  viewerBlocked: boolean;
  isSelf: boolean;
};

const TOP_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/** By username; a block in either direction hides the profile ("not found") unless it's the blocker looking. */
export async function socialProfile(
  q: Queryable,
  v: Viewer,
  username: string,
): Promise<SocialProfile> {
  const r = await q.query<{
    id: string;
    username: string;
    follower_count: number | null;
    following_count: number | null;
    liked_visibility: "public" | "private" | null;
    post_count: number;
  }>(
    `SELECT u.id, u.username, s.follower_count, s.following_count, s.liked_visibility,
            -- What this viewer can see of them: minors and visitors only audience "all".
            (SELECT count(*)::int FROM posts p WHERE p.author_id = u.id AND p.status = 'published'
                AND ($2 OR p.audience = 'all' OR u.id = $3::uuid)) AS post_count
       FROM users u LEFT JOIN social_profiles s ON s.user_id = u.id
      WHERE lower(u.username) = lower($1)`,
    [username, v !== null && !v.isMinor, v?.id ?? null],
  );
  const u = r.rows[0];
  if (!u) throw notFound("profile");
  let viewerFollows = false;
  let followsViewer = false;
  let viewerBlocked = false;
  if (v && v.id !== u.id) {
    const rel = await q.query<{
      a: boolean;
      b: boolean;
      blocked_by_viewer: boolean;
      blocked_viewer: boolean;
    }>(
      `SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS a,
              EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1) AS b,
              EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocked_by_viewer,
              EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS blocked_viewer`,
      [v.id, u.id],
    );
    const x = rel.rows[0]!;
    if (x.blocked_viewer && !v.isModerator) throw notFound("profile");
    viewerFollows = x.a;
    followsViewer = x.b;
    viewerBlocked = x.blocked_by_viewer;
  }
  return {
    userId: u.id,
    username: u.username,
    followerCount: u.follower_count ?? 0,
    followingCount: u.following_count ?? 0,
    postCount: u.post_count,
    likedVisibility: u.liked_visibility ?? "private",
    viewerFollows,
    followsViewer,
    viewerBlocked,
    isSelf: v?.id === u.id,
  };
}

/**
 * Whether the viewer may see a person's lists. Blocked by them: the profile is "not found", like in
 * `socialProfile`. Their blocker: the profile stays reachable (to unblock) but its lists are empty,
 * since the blocked person's posts are hidden from the blocker too.
 */
async function listsVisible(q: Queryable, v: Viewer, userId: string): Promise<boolean> {
  if (!v || v.id === userId || v.isModerator) return true;
  const r = await q.query<{ blocked_viewer: boolean; blocked_by_viewer: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS blocked_viewer,
            EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocked_by_viewer`,
    [v.id, userId],
  );
  const x = r.rows[0]!;
  if (x.blocked_viewer) throw notFound("profile");
  return !x.blocked_by_viewer;
}

const empty = (): FeedPage => ({ posts: [], nextCursor: null });

/** A creator's videos, newest first. The owner also sees their unpublished ones. */
export async function createdPosts(
  q: Queryable,
  v: Viewer,
  userId: string,
  rawCursor?: string | null,
  limit = 24,
): Promise<FeedPage> {
  if (!(await listsVisible(q, v, userId))) return empty();
  const cur = decodeCursor(timeCursorSchema, rawCursor);
  const own = v?.id === userId;
  const r = await q.query<{ id: string; at: string }>(
    `SELECT id, created_at::text AS at FROM posts
      WHERE author_id = $1 AND (status = 'published' OR ($2 AND status IN ('unpublished', 'removed')))
        AND ($3 OR audience = 'all') AND (created_at, id) < ($4::timestamptz, $5::uuid)
      ORDER BY created_at DESC, id DESC LIMIT $6`,
    [userId, own, own || seesAdultContent(v), cur?.p ?? "infinity", cur?.i ?? TOP_ID, limit],
  );
  const last = r.rows[r.rows.length - 1];
  return {
    posts: await hydratePosts(
      q,
      v?.id ?? null,
      r.rows.map((x) => x.id),
    ),
    nextCursor:
      last && r.rows.length === limit ? encodeCursor({ v: 1, p: last.at, i: last.id }) : null,
  };
}

/** Videos a person liked: visible to others only if they made the list public. */
export async function likedPosts(
  q: Queryable,
  v: Viewer,
  userId: string,
  rawCursor?: string | null,
  limit = 24,
): Promise<FeedPage> {
  if (!(await listsVisible(q, v, userId))) return empty();
  if (v?.id !== userId) {
    const s = await q.query<{ liked_visibility: string }>(
      "SELECT liked_visibility FROM social_profiles WHERE user_id = $1",
      [userId],
    );
    if ((s.rows[0]?.liked_visibility ?? "private") !== "public")
      throw forbidden("this person keeps their liked videos private");
  }
  const cur = decodeCursor(timeCursorSchema, rawCursor);
  const r = await q.query<{ id: string; at: string }>(
    `SELECT p.id, l.created_at::text AS at FROM likes l JOIN posts p ON p.id = l.post_id
      WHERE l.user_id = $1 AND p.status = 'published' AND ($2 OR p.audience = 'all')
        AND (l.created_at, l.post_id) < ($3::timestamptz, $4::uuid)
        AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $5 AND b.blocked_id = p.author_id)
                                                 OR (b.blocker_id = p.author_id AND b.blocked_id = $5))
      ORDER BY l.created_at DESC, l.post_id DESC LIMIT $6`,
    [userId, seesAdultContent(v), cur?.p ?? "infinity", cur?.i ?? TOP_ID, v?.id ?? null, limit],
  );
  const last = r.rows[r.rows.length - 1];
  return {
    posts: await hydratePosts(
      q,
      v?.id ?? null,
      r.rows.map((x) => x.id),
    ),
    nextCursor:
      last && r.rows.length === limit ? encodeCursor({ v: 1, p: last.at, i: last.id }) : null,
  };
}

/** A creator's published remixes. */
export async function remixPosts(
  q: Queryable,
  v: Viewer,
  userId: string,
  limit = 24,
): Promise<FeedPage> {
  if (!(await listsVisible(q, v, userId))) return empty();
  const r = await q.query<{ id: string }>(
    `SELECT id FROM posts WHERE author_id = $1 AND remix_of IS NOT NULL AND status = 'published'
        AND ($2 OR audience = 'all') ORDER BY published_at DESC, id DESC LIMIT $3`,
    [userId, seesAdultContent(v), limit],
  );
  return {
    posts: await hydratePosts(
      q,
      v?.id ?? null,
      r.rows.map((x) => x.id),
    ),
    nextCursor: null,
  };
}

/** The published remixes of one post (its "remixes" tab). */
export async function remixesOf(
  q: Queryable,
  v: Viewer,
  postId: string,
  limit = 24,
): Promise<FeedPage> {
  const r = await q.query<{ id: string }>(
    `SELECT p.id FROM posts p WHERE p.remix_of = $1 AND p.status = 'published' AND ($2 OR p.audience = 'all')
        AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $3 AND b.blocked_id = p.author_id)
                                                 OR (b.blocker_id = p.author_id AND b.blocked_id = $3))
      ORDER BY p.published_at DESC, p.id DESC LIMIT $4`,
    [postId, seesAdultContent(v), v?.id ?? null, limit],
  );
  return {
    posts: await hydratePosts(
      q,
      v?.id ?? null,
      r.rows.map((x) => x.id),
    ),
    nextCursor: null,
  };
}

/** The owner's setting for who sees their liked videos. */
export async function setLikedVisibility(
  q: Queryable,
  v: Viewer,
  visibility: unknown,
): Promise<void> {
  if (!v) throw notFound("profile");
  if (visibility !== "public" && visibility !== "private")
    throw invalid("liked visibility: public or private");
  await q.query(
    `INSERT INTO social_profiles (user_id, liked_visibility) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET liked_visibility = EXCLUDED.liked_visibility`,
    [v.id, visibility],
  );
}
