import { batched } from "../db/batch.server.ts";
import {
  decodeCursor,
  encodeCursor,
  type ForYouCursor,
  forYouCursorSchema,
  timeCursorSchema,
} from "./cursor.ts";
import { notFound } from "./errors.ts";
import { postCards } from "./post-cards.server.ts";
import { hydratePosts, type PostCounts, type PostView, withCounts } from "./posts.server.ts";
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

type ForYouRoundInput = {
  asOf: string | null;
  eff: number;
  id: string;
  adult: boolean;
  viewer: string | null;
  limit: number;
  kGlobal: number;
  kFollow: number;
};
/**
 * Whether the input's viewer (`b.viewer`) liked the post `postId`: one probe of the likes primary
 * key per post. (As EXISTS, Postgres 18 may hash the viewer's every like instead: ~100 heap pages.)
 */
const LIKED = (postId: string) =>
  `((SELECT true FROM likes l WHERE l.post_id = ${postId} AND l.user_id = b.viewer LIMIT 1) IS NOT NULL)`;

/** Counters and liked of a picked post, as the feed statements return them. */
type CountsRow = {
  id: string;
  like_count: number;
  comment_count: number;
  remix_count: number;
  liked: boolean;
};
type ForYouRoundRow = { as_of: string | null; cands: string | null } & (
  | CountsRow
  | { [K in keyof CountsRow]: null }
);

const countsOf = (r: CountsRow): PostCounts => ({
  likeCount: r.like_count,
  commentCount: r.comment_count,
  remixCount: r.remix_count,
  likedByViewer: r.liked,
});

/**
 * One round of For you's candidates for each input, in ONE statement over all of them
 * (db/batch.server.ts): per input (`b`), the viewer's follows and blocks, the global stream and
 * the per-followee streams. The same statement also hydrates the page the merge will most likely
 * take (the top `limit` candidates with at most PER_CREATOR per creator, `pick`), so a page usually
 * costs one round trip; the merge stays the authority and whatever it takes that was not picked is
 * hydrated afterwards. Each input gets its rows: the picked posts in order (none: one row of
 * nulls), the candidates as one delimited text ("id author score[ f]," with the score in float8's
 * shortest exact text) and the snapshot time only on the first row, since fifty candidate rows
 * would cost more to send and parse.
 */
const forYouRound = batched<ForYouRoundInput, ForYouRoundRow[]>(async (q, inputs) => {
  const col = (k: keyof ForYouRoundInput) => column(inputs, k);
  const r = await q.query<ForYouRoundRow & { k: number }>({
    name: "social_for_you",
    text: `SELECT b.k::int AS k, r.* FROM unnest($1::timestamptz[], $2::float8[], $3::uuid[],
             $4::bool[], $5::uuid[], $6::int[], $7::int[], $8::int[])
             WITH ORDINALITY AS b(as_of, eff, id, adult, viewer, lim, kg, kf, k)
      CROSS JOIN LATERAL (
       WITH ctx AS MATERIALIZED (
         SELECT coalesce(b.as_of, now()) AS as_of,
                ARRAY(SELECT followee_id FROM follows WHERE follower_id = b.viewer
                       ORDER BY created_at DESC LIMIT ${MAX_FOLLOWEES}) AS f,
                ARRAY(SELECT blocked_id FROM blocks WHERE blocker_id = b.viewer
                      UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = b.viewer) AS h),
       glob AS MATERIALIZED (
         SELECT p.id, p.author_id, p.hot_score, p.like_count, p.comment_count, p.remix_count
           FROM ctx, posts p
          WHERE p.status = 'published' AND p.published_at <= ctx.as_of AND (b.adult OR p.audience = 'all')
            AND (p.hot_score, p.id) < (b.eff, b.id)
            AND NOT (p.author_id = ANY(ctx.f)) AND NOT (p.author_id = ANY(ctx.h))
            AND p.author_id IS DISTINCT FROM b.viewer
          ORDER BY p.hot_score DESC, p.id DESC LIMIT b.kg),
       -- A full global stream cuts the merge at its last candidate, so a followed creator's post
       -- scoring below that (boost included) cannot be served this round: leave it to the next
       -- round's statement instead of reading it now (most followees then return nothing).
       bound AS MATERIALIZED (
         SELECT CASE WHEN count(*) = b.kg THEN min(hot_score) - ${FOLLOW_BOOST} - 1e-9
                     ELSE '-Infinity'::float8 END AS s FROM glob),
       cand AS MATERIALIZED (
         SELECT glob.*, false AS followed FROM glob
         UNION ALL
         SELECT x.*, true FROM ctx, bound, unnest(ctx.f) AS f(a)
          CROSS JOIN LATERAL (
            SELECT id, author_id, hot_score, like_count, comment_count, remix_count FROM posts
             WHERE author_id = f.a AND status = 'published' AND published_at <= ctx.as_of
               AND (b.adult OR audience = 'all') AND hot_score <= b.eff - ${FOLLOW_BOOST} + 1e-9
               AND hot_score >= bound.s
             ORDER BY hot_score DESC, id DESC LIMIT b.kf) x
         WHERE NOT (f.a = ANY(ctx.h))),
       pick AS MATERIALIZED (
         SELECT id, like_count, comment_count, remix_count,
                row_number() OVER (ORDER BY eff DESC, id DESC) AS ord FROM (
           SELECT e.*, row_number() OVER (PARTITION BY author_id ORDER BY eff DESC, id DESC) AS rn
             FROM (SELECT id, author_id, like_count, comment_count, remix_count,
                          hot_score + CASE WHEN followed THEN ${FOLLOW_BOOST}::float8 ELSE 0 END AS eff
                     FROM cand) e) ranked
          WHERE rn <= ${PER_CREATOR} ORDER BY eff DESC, id DESC LIMIT b.lim)
       SELECT CASE WHEN h.ord IS NULL OR h.ord = 1 THEN (SELECT as_of FROM ctx)::text END AS as_of,
              CASE WHEN h.ord IS NULL OR h.ord = 1 THEN
                (SELECT coalesce(string_agg(id::text || ' ' || author_id::text || ' ' || hot_score::text
                                            || CASE WHEN followed THEN ' f' ELSE '' END, ','), '')
                   FROM cand) END AS cands,
              h.*
         FROM (SELECT 1) one
         LEFT JOIN (SELECT pick.*, ${LIKED("pick.id")} AS liked FROM pick) h ON true) r
      ORDER BY b.k, r.ord`,
    values: [
      col("asOf"),
      col("eff"),
      col("id"),
      col("adult"),
      col("viewer"),
      col("limit"),
      col("kGlobal"),
      col("kFollow"),
    ],
  });
  return groupByInput(inputs.length, r.rows);
});

/** One argument of a batched statement: field `k` of every input, as the array Postgres unnests. */
const column = <I, K extends keyof I>(inputs: readonly I[], k: K): I[K][] =>
  inputs.map((x) => x[k]);

/** Rows of a batched statement, per input: `k` is the input's 1-based position. */
function groupByInput<R extends { k: number }>(n: number, rows: R[]): R[][] {
  const out: R[][] = Array.from({ length: n }, () => []);
  for (const row of rows) out[row.k - 1]!.push(row);
  return out;
}

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
  const counted = new Map<string, PostCounts>();
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
    // statement: the context is a one-row CTE, not a separate round trip. The same statement also
    // hydrates the page the merge below will most likely take (the top `limit` candidates with at
    // most PER_CREATOR per creator, `pick`), so a page usually costs one round trip; the merge
    // stays the authority and whatever it takes that was not picked is hydrated afterwards.
    const rows = await forYouRound(q, {
      asOf,
      eff: pos.eff,
      id: pos.id,
      adult,
      viewer: viewerId,
      limit: limit - page.length,
      kGlobal,
      kFollow,
    });
    const first = rows[0]!;
    asOf ??= first.as_of;
    for (const x of rows) if (x.id !== null) counted.set(x.id, countsOf(x));
    // Where each truncated stream stops: past the highest such point the merge may miss posts. (A
    // followee stream the bound cut short counts as complete: the global stream's own cut lies
    // above everything the bound left out.)
    const global: Cand[] = [];
    const perFollowee = new Map<string, Cand[]>();
    let globalRows = 0;
    for (const entry of first.cands ? first.cands.split(",") : []) {
      const [id, author, scoreText, flag] = entry.split(" ") as [string, string, string, string?];
      const score = Number(scoreText);
      const followed = flag === "f";
      if (!followed) globalRows++;
      const c = { id, author, eff: followed ? score + FOLLOW_BOOST : score };
      if (order(c, pos) <= 0) continue; // not strictly after the cursor (float slack above)
      if (followed) {
        const list = perFollowee.get(author) ?? [];
        list.push(c);
        perFollowee.set(author, list);
      } else global.push(c);
    }
    // Each stream in feed order (its last entry is where it was cut), then all of them merged.
    global.sort(order);
    for (const list of perFollowee.values()) list.sort(order);
    const all = [...global, ...[...perFollowee.values()].flat()].sort(order);
    let floor: Cand | null = null;
    const truncated = [globalRows === kGlobal ? global : null];
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

  // The page in merge order: picked posts have their counters and liked from the statement and
  // their cards from the card cache; the rest (deferred ones served first, or a merge that went
  // past the statement's guess) are hydrated whole.
  const ids = page.map((c) => c.id);
  const [cards, others] = await Promise.all([
    postCards(
      q,
      ids.filter((id) => counted.has(id)),
    ),
    hydratePosts(
      q,
      viewerId,
      ids.filter((id) => !counted.has(id)),
    ),
  ]);
  const views = new Map(others.map((p) => [p.id, p]));
  for (const [id, card] of cards) views.set(id, withCounts(card, counted.get(id)!));
  const posts = ids.map((id) => views.get(id)).filter((p): p is PostView => p !== undefined);
  const done = exhausted && deferred.length === 0;
  const next: ForYouCursor | null =
    done || (page.length === 0 && deferred.length === 0)
      ? null
      : { v: 1, s: pos.eff, i: pos.id, t: asOf ?? "now", d: deferred.map((c) => c.id) };
  return { posts, nextCursor: next && Number.isFinite(next.s) ? encodeCursor(next) : null };
}

type FollowingInput = { viewer: string; p: string; i: string; adult: boolean; limit: number };
type FollowingRow = CountsRow & { pub: string; k: number };

/**
 * A Following page per input in ONE statement over all of them (db/batch.server.ts): per input,
 * follows and blocks in a one-row CTE, the followees' newest posts (one index scan each, merged
 * by the database) with their counters (from the index) and the viewer's likes; the cards come
 * from the card cache (post-cards.server.ts).
 */
const followingPage = batched<FollowingInput, FollowingRow[]>(async (q, inputs) => {
  const col = (k: keyof FollowingInput) => column(inputs, k);
  const r = await q.query<FollowingRow>({
    name: "social_following",
    text: `SELECT b.k::int AS k, r.* FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::bool[], $5::int[])
             WITH ORDINALITY AS b(viewer, p, i, adult, lim, k)
      CROSS JOIN LATERAL (
       WITH ctx AS MATERIALIZED (
         SELECT ARRAY(SELECT followee_id FROM follows WHERE follower_id = b.viewer
                       ORDER BY created_at DESC LIMIT ${MAX_FOLLOWEES}) AS f,
                ARRAY(SELECT blocked_id FROM blocks WHERE blocker_id = b.viewer
                      UNION ALL SELECT blocker_id FROM blocks WHERE blocked_id = b.viewer) AS h),
       page AS MATERIALIZED (
         SELECT x.* FROM ctx, unnest(ctx.f) AS f(a)
         CROSS JOIN LATERAL (
           SELECT id, published_at, like_count, comment_count, remix_count FROM posts
            WHERE author_id = f.a AND status = 'published' AND (b.adult OR audience = 'all')
              AND (published_at, id) < (b.p, b.i)
            ORDER BY published_at DESC, id DESC LIMIT b.lim) x
         WHERE NOT (f.a = ANY(ctx.h))
         ORDER BY x.published_at DESC, x.id DESC LIMIT b.lim)
       SELECT page.id, page.like_count, page.comment_count, page.remix_count,
              ${LIKED("page.id")} AS liked,
              page.published_at::text AS pub, row_number() OVER (ORDER BY page.published_at DESC, page.id DESC) AS ord
         FROM page) r
      ORDER BY b.k, r.ord`,
    values: [col("viewer"), col("p"), col("i"), col("adult"), col("limit")],
  });
  return groupByInput(inputs.length, r.rows);
});

/** Following tab: the followed creators' posts, newest first. Anonymous: empty. */
export async function following(
  q: Queryable,
  v: Viewer,
  rawCursor?: string | null,
  limit = 10,
): Promise<FeedPage> {
  if (!v) return { posts: [], nextCursor: null };
  const cur = decodeCursor(timeCursorSchema, rawCursor);
  const rows = await followingPage(q, {
    viewer: v.id,
    p: cur?.p ?? "infinity",
    i: cur?.i ?? TOP_ID,
    adult: seesAdultContent(v),
    limit,
  });
  const cards = await postCards(
    q,
    rows.map((r) => r.id),
  );
  const posts = rows.flatMap((r) => {
    const card = cards.get(r.id);
    return card ? [withCounts(card, countsOf(r))] : [];
  });
  const last = rows[rows.length - 1];
  return {
    posts,
    nextCursor:
      last && rows.length === limit ? encodeCursor({ v: 1, p: last.pub, i: last.id }) : null,
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
