import {
  decodeCursor,
  encodeCursor,
  type ForYouCursor,
  forYouCursorSchema,
  timeCursorSchema,
} from "./cursor.ts";
import { notFound } from "./errors.ts";
import { hydratePosts, type PostView } from "./posts.server.ts";
import { type Queryable, seesAdultContent, type Viewer } from "./viewer.server.ts";

/**
 * The feeds. Both are keyset-paginated over a static sort key, so posts published while someone
 * scrolls never shift later pages (no duplicates, no gaps):
 *
 * - For you: effective score = hot_score (recency decay + engagement, 0030_social.sql) + FOLLOW_BOOST
 *   if the viewer follows the creator. Candidates come from two index scans (the global
 *   `posts_hot` stream without followed creators, and a per-followee `posts_author_hot` stream),
 *   merged in memory. At most PER_CREATOR posts of one creator per page: the rest are deferred in
 *   the cursor and served first on the next page, so the cap never drops a post.
 * - Following: followed creators' posts, newest first (`posts_author_recent`, one lateral scan per
 *   followee, merged by the database).
 *
 * Minors and anonymous visitors only get audience "all"; blocks hide both ways.
 */

export const FOLLOW_BOOST = 1; // = e times the engagement, or 12 hours fresher
export const PER_CREATOR = 2;
export const MAX_FOLLOWEES = 1000;
const MAX_DEFERRED = 60;
const TOP_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

export type FeedPage = { posts: PostView[]; nextCursor: string | null };

type Cand = { id: string; author: string; eff: number };

/** Descending feed order: higher score first, then higher id. Negative: a comes first. */
const order = (a: { eff: number; id: string }, b: { eff: number; id: string }) =>
  a.eff !== b.eff ? b.eff - a.eff : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

export async function forYou(
  q: Queryable,
  v: Viewer,
  rawCursor?: string | null,
  limit = 10,
): Promise<FeedPage> {
  const cur = decodeCursor(forYouCursorSchema, rawCursor);
  // The snapshot time comes from the database with the first candidates (one round trip).
  let asOf: string | null = cur?.t ?? null;
  const adult = seesAdultContent(v);
  const viewerId = v?.id ?? null;

  const page: Cand[] = [];
  const perCreator = new Map<string, number>();
  const deferred: Cand[] = [];
  const take = (c: Cand) => {
    page.push(c);
    perCreator.set(c.author, (perCreator.get(c.author) ?? 0) + 1);
  };

  // Deferred posts first, if still visible.
  if (cur?.d.length) {
    const r = await q.query<{ id: string; author_id: string; hot_score: number }>(
      `SELECT p.id, p.author_id, p.hot_score FROM posts p
        WHERE p.id = ANY($1::uuid[]) AND p.status = 'published' AND ($2 OR p.audience = 'all')
          AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $3 AND b.blocked_id = p.author_id)
                                                   OR (b.blocker_id = p.author_id AND b.blocked_id = $3))`,
      [cur.d, adult, viewerId],
    );
    const byId = new Map(r.rows.map((x) => [x.id, x]));
    for (const id of cur.d) {
      const x = byId.get(id);
      if (!x) continue;
      const c = { id, author: x.author_id, eff: x.hot_score };
      if (page.length < limit && (perCreator.get(c.author) ?? 0) < PER_CREATOR) take(c);
      else deferred.push(c);
    }
  }

  let pos: { eff: number; id: string } = cur
    ? { eff: cur.s, id: cur.i }
    : { eff: Number.POSITIVE_INFINITY, id: TOP_ID };
  let exhausted = false;
  const kGlobal = limit * 4;
  // A followee contributes at most PER_CREATOR posts to a page: a few more than that per stream
  // fill it; a stream cut short sets the floor below which the merge waits for the next round.
  const kFollow = PER_CREATOR + 1;
  for (let round = 0; round < 4 && page.length < limit && !exhausted; round++) {
    // The viewer's follows and blocks, the global stream and the per-followee streams, in ONE
    // statement: the context is a one-row CTE, not a separate round trip.
    const r = await q.query<{
      id: string;
      author_id: string;
      hot_score: number;
      followed: boolean;
      as_of: string;
    }>({
      name: `social_for_you_${kGlobal}_${kFollow}`,
      text: `WITH ctx AS MATERIALIZED (
         SELECT coalesce($1::timestamptz, now()) AS as_of,
                ARRAY(SELECT followee_id FROM follows WHERE follower_id = $5::uuid
                       ORDER BY created_at DESC LIMIT ${MAX_FOLLOWEES}) AS f,
                ARRAY(SELECT blocked_id FROM blocks WHERE blocker_id = $5::uuid
                      UNION SELECT blocker_id FROM blocks WHERE blocked_id = $5::uuid) AS h)
       (SELECT p.id, p.author_id, p.hot_score, false AS followed, ctx.as_of::text AS as_of FROM ctx, posts p
         WHERE p.status = 'published' AND p.published_at <= ctx.as_of AND ($4 OR p.audience = 'all')
           AND (p.hot_score, p.id) < ($2::float8, $3::uuid)
           AND NOT (p.author_id = ANY(ctx.f)) AND NOT (p.author_id = ANY(ctx.h))
           AND p.author_id IS DISTINCT FROM $5::uuid
         ORDER BY p.hot_score DESC, p.id DESC LIMIT ${kGlobal})
       UNION ALL
       (SELECT x.id, x.author_id, x.hot_score, true, ctx.as_of::text FROM ctx, unnest(ctx.f) AS f(a)
          CROSS JOIN LATERAL (
            SELECT id, author_id, hot_score FROM posts
             WHERE author_id = f.a AND status = 'published' AND published_at <= ctx.as_of
               AND ($4 OR audience = 'all') AND hot_score <= $2::float8 - ${FOLLOW_BOOST} + 1e-9
             ORDER BY hot_score DESC, id DESC LIMIT ${kFollow}) x
         WHERE NOT (f.a = ANY(ctx.h)))`,
      values: [asOf, pos.eff, pos.id, adult, viewerId],
    });
    if (asOf === null && r.rows[0]) asOf = r.rows[0].as_of;
    // Where each truncated stream stops: past the highest such point the merge may miss posts.
    const global: Cand[] = [];
    const perFollowee = new Map<string, Cand[]>();
    for (const x of r.rows) {
      const c = {
        id: x.id,
        author: x.author_id,
        eff: x.followed ? x.hot_score + FOLLOW_BOOST : x.hot_score,
      };
      if (order(c, pos) <= 0) continue; // not strictly after the cursor (float slack above)
      if (x.followed) {
        const list = perFollowee.get(x.author_id) ?? [];
        list.push(c);
        perFollowee.set(x.author_id, list);
      } else global.push(c);
    }
    const all = [...global, ...[...perFollowee.values()].flat()].sort(order);
    let floor: Cand | null = null;
    const truncated = [r.rows.filter((x) => !x.followed).length === kGlobal ? global : null];
    for (const list of perFollowee.values()) if (list.length >= kFollow) truncated.push(list);
    for (const list of truncated) {
      const last = list?.[list.length - 1];
      if (last && (!floor || order(last, floor) < 0)) floor = last;
    }
    exhausted = floor === null;
    let consumedAll = true;
    for (const c of all) {
      if (floor && order(c, floor) > 0) break; // beyond the floor: fetch again from here
      if (page.length >= limit) {
        consumedAll = false;
        break;
      }
      if ((perCreator.get(c.author) ?? 0) < PER_CREATOR) take(c);
      else if (deferred.length < MAX_DEFERRED) deferred.push(c);
      else {
        consumedAll = false;
        break;
      }
      pos = c;
    }
    if (!consumedAll) exhausted = false;
    if (all.length === 0) exhausted = true;
  }
  // Held-back posts stay in the cursor even at the end of the feed: the next pages serve them, still
  // at most PER_CREATOR per creator, so the cap holds on every page and nothing is dropped.

  const posts = await hydratePosts(
    q,
    v?.id ?? null,
    page.map((c) => c.id),
  );
  const done = exhausted && deferred.length === 0;
  const next: ForYouCursor | null =
    done || (page.length === 0 && deferred.length === 0)
      ? null
      : { v: 1, s: pos.eff, i: pos.id, t: asOf ?? "now", d: deferred.map((c) => c.id) };
  return { posts, nextCursor: next && Number.isFinite(next.s) ? encodeCursor(next) : null };
}

/** Following tab: the followed creators' posts, newest first. Anonymous: empty. */
export async function following(
  q: Queryable,
  v: Viewer,
  rawCursor?: string | null,
  limit = 10,
): Promise<FeedPage> {
  if (!v) return { posts: [], nextCursor: null };
  const cur = decodeCursor(timeCursorSchema, rawCursor);
  // Follows and blocks come from a one-row CTE of the same statement (no extra round trip).
  const r = await q.query<{ id: string; pub: string }>({
    name: "social_following",
    text: `WITH ctx AS MATERIALIZED (
         SELECT ARRAY(SELECT followee_id FROM follows WHERE follower_id = $1::uuid
                       ORDER BY created_at DESC LIMIT ${MAX_FOLLOWEES}) AS f,
                ARRAY(SELECT blocked_id FROM blocks WHERE blocker_id = $1::uuid
                      UNION SELECT blocker_id FROM blocks WHERE blocked_id = $1::uuid) AS h)
       SELECT x.id, x.published_at::text AS pub FROM ctx, unnest(ctx.f) AS f(a)
       CROSS JOIN LATERAL (
         SELECT id, published_at FROM posts
          WHERE author_id = f.a AND status = 'published' AND ($4 OR audience = 'all')
            AND (published_at, id) < ($2::timestamptz, $3::uuid)
          ORDER BY published_at DESC, id DESC LIMIT $5) x
      WHERE NOT (f.a = ANY(ctx.h))
      ORDER BY x.published_at DESC, x.id DESC LIMIT $5`,
    values: [v.id, cur?.p ?? "infinity", cur?.i ?? TOP_ID, seesAdultContent(v), limit],
  });
  const posts = await hydratePosts(
    q,
    v.id,
    r.rows.map((x) => x.id),
  );
  const last = r.rows[r.rows.length - 1];
  return {
    posts,
    nextCursor:
      last && r.rows.length === limit ? encodeCursor({ v: 1, p: last.pub, i: last.id }) : null,
  };
}

/** The benchmark's baseline: the 20 newest posts, straight from one index. */
export async function newest(q: Queryable, v: Viewer, limit = 20): Promise<PostView[]> {
  const r = await q.query<{ id: string }>({
    name: "social_newest",
    text: `SELECT id FROM posts WHERE status = 'published' AND ($1 OR audience = 'all')
      ORDER BY published_at DESC, id DESC LIMIT $2`,
    values: [seesAdultContent(v), limit],
  });
  return hydratePosts(
    q,
    v?.id ?? null,
    r.rows.map((x) => x.id),
  );
}

export type Trend = { key: string; posts: number; engagement: number };

/** Trending hashtags and styles of the last `days` days, by posts and engagement. */
export async function trending(
  q: Queryable,
  v: Viewer,
  days = 7,
  limit = 20,
): Promise<{ hashtags: Trend[]; styles: Trend[] }> {
  const adult = seesAdultContent(v);
  const tags = await q.query<Trend>(
    `SELECT t.tag AS key, count(*)::int AS posts,
            sum(p.like_count + 3 * p.comment_count + 5 * p.remix_count)::int AS engagement
       FROM posts p JOIN post_hashtags t ON t.post_id = p.id
      WHERE p.status = 'published' AND p.published_at > now() - make_interval(days => $1) AND ($2 OR p.audience = 'all')
      GROUP BY t.tag ORDER BY count(*) + sum(p.like_count + 3 * p.comment_count + 5 * p.remix_count) DESC, t.tag
      LIMIT $3`,
    [days, adult, limit],
  );
  const styles = await q.query<Trend>(
    `SELECT p.style AS key, count(*)::int AS posts,
            sum(p.like_count + 3 * p.comment_count + 5 * p.remix_count)::int AS engagement
       FROM posts p
      WHERE p.status = 'published' AND p.style IS NOT NULL AND p.published_at > now() - make_interval(days => $1)
        AND ($2 OR p.audience = 'all')
      GROUP BY p.style ORDER BY count(*) + sum(p.like_count + 3 * p.comment_count + 5 * p.remix_count) DESC, p.style
      LIMIT $3`,
    [days, adult, limit],
  );
  return { hashtags: tags.rows, styles: styles.rows };
}

/** Posts with a hashtag, hottest first. */
export async function tagPosts(
  q: Queryable,
  v: Viewer,
  tag: string,
  limit = 30,
): Promise<PostView[]> {
  const clean = tag.toLowerCase();
  if (!/^[a-z0-9_]{1,50}$/.test(clean)) throw notFound("hashtag");
  const r = await q.query<{ id: string }>(
    `SELECT p.id FROM post_hashtags t JOIN posts p ON p.id = t.post_id
      WHERE t.tag = $1 AND p.status = 'published' AND ($2 OR p.audience = 'all')
        AND NOT EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $3 AND b.blocked_id = p.author_id)
                                                 OR (b.blocker_id = p.author_id AND b.blocked_id = $3))
      ORDER BY p.hot_score DESC, p.id DESC LIMIT $4`,
    [clean, seesAdultContent(v), v?.id ?? null, limit],
  );
  return hydratePosts(
    q,
    v?.id ?? null,
    r.rows.map((x) => x.id),
  );
}
