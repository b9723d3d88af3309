import { isUuid, type Queryable } from "./viewer.server.ts";

/**
 * In-app notifications for social events, in the `notifications` table of 0020_generation.sql.
 * Each has a dedupe key, so a retried step or a like/unlike/like sequence notifies once; nobody is
 * notified of their own actions or by someone in a block with them.
 */
export type SocialNotificationKind =
  | "like"
  | "comment"
  | "reply"
  | "follow"
  | "remix"
  | "mention"
  | "new_post"
  | "report_outcome"
  | "cameo_request"
  | "cameo_request_approved"
  | "cameo_request_declined"
  | "cameo_review"
  | "cameo_draft_approved"
  | "cameo_draft_declined"
  | "cameo_draft_deleted";

export async function notify(
  q: Queryable,
  n: {
    userId: string;
    actorId: string | null;
    kind: SocialNotificationKind;
    payload: Record<string, unknown>;
    dedupeKey: string;
  },
): Promise<boolean> {
  if (n.actorId !== null && n.actorId === n.userId) return false;
  const r = await q.query(
    `INSERT INTO notifications (user_id, kind, payload, dedupe_key)
     SELECT $1, $2, $3, $4
      WHERE $5::uuid IS NULL OR NOT EXISTS (
        SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $5) OR (blocker_id = $5 AND blocked_id = $1))
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      n.userId,
      n.kind,
      JSON.stringify({ ...n.payload, actorId: n.actorId }),
      n.dedupeKey,
      n.actorId,
    ],
  );
  return (r.rowCount ?? 0) > 0;
}

/** Followers of the author hear about a new post once (retries insert nothing). */
export async function notifyFollowersOfPost(
  q: Queryable,
  postId: string,
  authorId: string,
): Promise<number> {
  const r = await q.query(
    `INSERT INTO notifications (user_id, kind, payload, dedupe_key)
     SELECT f.follower_id, 'new_post', jsonb_build_object('postId', $1::uuid::text, 'actorId', $2::uuid::text),
            'new_post:' || $1::uuid::text || ':' || f.follower_id::text
       FROM follows f WHERE f.followee_id = $2::uuid
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [postId, authorId],
  );
  return r.rowCount ?? 0;
}

/** People @mentioned in a caption (stored in post_mentions by insertPost). */
export async function notifyMentionsOfPost(
  q: Queryable,
  postId: string,
  authorId: string,
): Promise<number> {
  const r = await q.query<{ user_id: string }>(
    "SELECT user_id FROM post_mentions WHERE post_id = $1",
    [postId],
  );
  let n = 0;
  for (const m of r.rows) {
    if (
      await notify(q, {
        userId: m.user_id,
        actorId: authorId,
        kind: "mention",
        payload: { postId },
        dedupeKey: `mention:post:${postId}:${m.user_id}`,
      })
    )
      n++;
  }
  return n;
}

export type NotificationView = {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  actorUsername: string | null;
  /** The actor's profile photo (public avatar media), for the line's picture. */
  actorPhotoMediaId: string | null;
  /**
   * A picture of the item: the post's poster (while it is published and has one) or the draft's
   * poster, as a URL of the routes that serve them with their own access checks.
   */
  thumbnailUrl: string | null;
  read: boolean;
  createdAt: Date;
};

export async function listNotifications(
  q: Queryable,
  userId: string,
  limit = 50,
): Promise<NotificationView[]> {
  const r = await q.query<{
    id: string;
    kind: string;
    payload: Record<string, unknown>;
    read_at: Date | null;
    created_at: Date;
    actor: string | null;
    actor_photo: string | null;
    post_poster: string | null;
    draft_poster: string | null;
  }>(
    `SELECT n.id, n.kind, n.payload, n.read_at, n.created_at, u.username AS actor,
            u.photo_media_id AS actor_photo,
            (SELECT p.id::text FROM posts p
              WHERE p.id::text = coalesce(n.payload->>'remixId', n.payload->>'postId')
                AND p.status = 'published' AND p.poster_path IS NOT NULL) AS post_poster,
            (SELECT d.id::text FROM drafts d WHERE d.id::text = n.payload->>'draftId'
                AND d.project_id::text = n.payload->>'projectId') AS draft_poster
       FROM notifications n
       LEFT JOIN users u ON u.id::text = n.payload->>'actorId'
      WHERE n.user_id = $1 ORDER BY n.created_at DESC LIMIT $2`,
    [userId, limit],
  );
  return r.rows.map((x) => ({
    id: x.id,
    kind: x.kind,
    payload: x.payload,
    actorUsername: x.actor,
    actorPhotoMediaId: x.actor_photo,
    thumbnailUrl: x.post_poster
      ? `/p/${x.post_poster}/poster.jpg`
      : x.draft_poster
        ? `/projects/${String(x.payload.projectId)}/drafts/${x.draft_poster}/poster.jpg`
        : null,
    read: x.read_at !== null,
    createdAt: x.created_at,
  }));
}

export async function unreadCount(q: Queryable, userId: string): Promise<number> {
  const r = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    [userId],
  );
  return r.rows[0]!.n;
}

/** Marks the user's own notifications read (all, or the given ids); others' ids are ignored. */
export async function markRead(
  q: Queryable,
  userId: string,
  ids?: readonly string[],
): Promise<number> {
  const clean = ids?.filter(isUuid);
  const r = clean
    ? await q.query(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL",
        [userId, clean],
      )
    : await q.query(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL",
        [userId],
      );
  return r.rowCount ?? 0;
}
