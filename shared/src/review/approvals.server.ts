import { type Pool, type PoolClient, transaction } from "../db/pool.server.ts";
import { projectRole, type Queryable } from "../workspaces/db.server.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../workspaces/errors.ts";
import { linkCoversDraft, liveReviewLink, type ReviewGuest } from "./links.server.ts";
import { itemOfDraft, loadStack } from "./stacks.server.ts";
import { memberMaySetStatus, type ReviewStatus, reviewStatusSchema } from "./status.ts";

/**
 * Approval status per version, with who set it and when (migrations/0060_review_stacks.sql).
 * Members set it by role (`memberMaySetStatus`); a guest sets it only through a review link that
 * grants approval (review-links.server.ts calls `recordStatus` after checking the link). Every
 * change is appended to review_status_events and tells the version's maker.
 */

export type StatusActor =
  | { userId: string; guest?: undefined }
  | { userId?: undefined; guest: string };

export async function recordStatus(
  c: PoolClient,
  draftId: string,
  status: ReviewStatus,
  actor: StatusActor,
): Promise<void> {
  const r = await c.query<{ created_by: string; project_id: string; number: number }>(
    `UPDATE review_versions v SET status = $2, status_by = $3, status_by_guest = $4, status_at = now()
       FROM drafts d WHERE v.draft_id = $1 AND d.id = v.draft_id
     RETURNING d.created_by, d.project_id, v.number`,
    [draftId, status, actor.userId ?? null, actor.guest ?? null],
  );
  const row = r.rows[0];
  if (!row) throw new NotFoundError("version not found");
  const ev = await c.query<{ id: string }>(
    "INSERT INTO review_status_events (draft_id, status, by_user, by_guest) VALUES ($1, $2, $3, $4) RETURNING id",
    [draftId, status, actor.userId ?? null, actor.guest ?? null],
  );
  if (actor.userId !== row.created_by)
    await c.query(
      `INSERT INTO notifications (user_id, kind, payload, dedupe_key) VALUES ($1, 'review.status', $2, $3)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        row.created_by,
        JSON.stringify({
          projectId: row.project_id,
          draftId,
          number: row.number,
          status,
          actorId: actor.userId ?? null,
          guestName: actor.guest ?? null,
        }),
        `review.status:${ev.rows[0]!.id}`,
      ],
    );
}

/** A member sets a version's status; commenters and viewers are refused, outsiders see nothing. */
export async function setStatusAsMember(
  pool: Pool,
  actorId: string,
  draftId: string,
  input: unknown,
): Promise<void> {
  const itemId = await itemOfDraft(pool, draftId);
  const stack = itemId ? await loadStack(pool, itemId) : null;
  const access = stack ? await projectRole(pool, actorId, stack.projectId) : null;
  if (!stack || !access) throw new NotFoundError("version not found");
  if (!memberMaySetStatus(access.role))
    throw new ForbiddenError("setting a version's status needs the editor or owner role");
  const status = reviewStatusSchema.safeParse(input);
  if (!status.success) throw new InvalidError(status.error.issues[0]!.message);
  await transaction(pool, (c) => recordStatus(c, draftId, status.data, { userId: actorId }));
}

export type StatusEvent = {
  status: ReviewStatus;
  by: { id: string | null; name: string; guest: boolean };
  at: Date;
};

/** Every status a version has had, oldest first (no access check: callers check). */
export async function statusHistory(q: Queryable, draftId: string): Promise<StatusEvent[]> {
  const r = await q.query<{
    status: ReviewStatus;
    by_user: string | null;
    username: string | null;
    by_guest: string | null;
    at: Date;
  }>(
    `SELECT e.status, e.by_user, u.username, e.by_guest, e.at FROM review_status_events e
       LEFT JOIN users u ON u.id = e.by_user WHERE e.draft_id = $1 ORDER BY e.at, e.id`,
    [draftId],
  );
  return r.rows.map((e) => ({
    status: e.status,
    by: e.by_guest
      ? { id: null, name: e.by_guest, guest: true }
      : { id: e.by_user, name: e.username ?? "former member", guest: false },
    at: e.at,
  }));
}

/**
 * A guest sets a version's status through a link that grants approval and opens that version.
 * Anything else — a view or comment-only link, another version, a dead link — is refused.
 */
export async function setStatusAsGuest(
  pool: Pool,
  guest: ReviewGuest,
  draftId: string,
  input: unknown,
): Promise<void> {
  const live = await liveReviewLink(pool, guest.link.id);
  if (!live || !(await linkCoversDraft(pool, live, draftId)))
    throw new NotFoundError("version not found");
  if (!live.canApprove) throw new ForbiddenError("this review link does not let guests set status");
  const status = reviewStatusSchema.safeParse(input);
  if (!status.success) throw new InvalidError(status.error.issues[0]!.message);
  await transaction(pool, (c) => recordStatus(c, draftId, status.data, { guest: guest.name }));
}
