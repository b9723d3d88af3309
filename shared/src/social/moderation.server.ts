import { z } from "zod";
import type { Pool } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { forbidden, invalid, notFound, SocialError } from "./errors.ts";
import { notify } from "./notifications.server.ts";
import { requireReadablePost } from "./posts.server.ts";
import { REPORT_REASONS } from "./reasons.ts";
import { isUuid, type Viewer } from "./viewer.server.ts";

/**
 * Reports and the moderation queue. Anyone signed in reports a post, comment or profile they can
 * see, with a reason; moderators (users.is_moderator) decide keep / remove / restrict to adults.
 * Every decision is one row in moderation_decisions (who, what, why), closes every open report on
 * the item, and tells each reporter the outcome.
 */

export { REPORT_REASONS };

export const reportSchema = z.object({
  targetKind: z.enum(["post", "comment", "user"]),
  targetId: z.string().uuid(),
  reason: z.enum(REPORT_REASONS),
  details: z.string().trim().max(1000).default(""),
});

export const decisionSchema = z.object({
  action: z.enum(["keep", "remove", "restrict_adults"]),
  reason: z.string().trim().min(1, "say why").max(1000),
});

const parse = <S extends z.ZodType>(s: S, input: unknown): z.infer<S> => {
  const r = s.safeParse(input);
  if (!r.success)
    throw invalid(
      r.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
    );
  return r.data;
};

/** The reported item must exist and be visible to the reporter (no probing ids through reports). */
async function requireReportable(
  pool: Pool,
  v: NonNullable<Viewer>,
  kind: string,
  id: string,
): Promise<void> {
  if (kind === "post") {
    await requireReadablePost(pool, v, id);
    return;
  }
  if (kind === "comment") {
    const r = await pool.query<{ post_id: string; author_id: string }>(
      "SELECT post_id, author_id FROM comments WHERE id = $1 AND deleted_at IS NULL",
      [id],
    );
    const c = r.rows[0];
    if (!c) throw notFound("comment");
    await requireReadablePost(pool, v, c.post_id).catch(() => {
      throw notFound("comment");
    });
    return;
  }
  // A profile stays reportable even by someone it blocked: that is often why people report.
  const r = await pool.query("SELECT 1 FROM users WHERE id = $1", [id]);
  if ((r.rowCount ?? 0) === 0) throw notFound("user");
}

export async function report(pool: Pool, v: Viewer, input: unknown): Promise<{ id: string }> {
  if (!v) throw new SocialError("unauthenticated", "sign in to report");
  const r = parse(reportSchema, input);
  if (r.targetKind === "user" && r.targetId === v.id) throw invalid("you cannot report yourself");
  await requireReportable(pool, v, r.targetKind, r.targetId);
  const ins = await pool.query<{ id: string }>(
    `INSERT INTO reports (reporter_id, target_kind, target_id, reason, details) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (reporter_id, target_kind, target_id) WHERE status = 'open' DO NOTHING RETURNING id`,
    [v.id, r.targetKind, r.targetId, r.reason, r.details],
  );
  if (!ins.rows[0])
    throw new SocialError("conflict", "you already reported this; a moderator will look at it");
  return { id: ins.rows[0].id };
}

function requireModerator(v: Viewer): asserts v is NonNullable<Viewer> {
  if (!v) throw new SocialError("unauthenticated", "sign in");
  if (!v.isModerator) throw forbidden("moderators only");
}

export type QueueItem = {
  targetKind: "post" | "comment" | "user";
  targetId: string;
  reports: { id: string; reason: string; details: string; reporter: string; createdAt: Date }[];
  /** The item and its context: post caption/owner/status, comment body and its post, or profile. */
  context: Record<string, unknown>;
  history: { action: string; reason: string; moderator: string; createdAt: Date }[];
};

/** Open reports grouped by item, oldest first, each with its context and past decisions. */
export async function moderationQueue(pool: Pool, v: Viewer, limit = 50): Promise<QueueItem[]> {
  requireModerator(v);
  const r = await pool.query<{
    id: string;
    target_kind: QueueItem["targetKind"];
    target_id: string;
    reason: string;
    details: string;
    reporter: string;
    created_at: Date;
  }>(
    `SELECT r.id, r.target_kind, r.target_id, r.reason, r.details, u.username AS reporter, r.created_at
       FROM reports r JOIN users u ON u.id = r.reporter_id
      WHERE r.status = 'open' ORDER BY r.created_at LIMIT 500`,
  );
  const items = new Map<string, QueueItem>();
  for (const x of r.rows) {
    const key = `${x.target_kind}:${x.target_id}`;
    let item = items.get(key);
    if (!item) {
      if (items.size >= limit) continue;
      item = {
        targetKind: x.target_kind,
        targetId: x.target_id,
        reports: [],
        context: {},
        history: [],
      };
      items.set(key, item);
    }
    item.reports.push({
      id: x.id,
      reason: x.reason,
      details: x.details,
      reporter: x.reporter,
      createdAt: x.created_at,
    });
  }
  for (const item of items.values()) {
    item.context = await contextOf(pool, item.targetKind, item.targetId);
    const h = await pool.query<{
      action: string;
      reason: string;
      moderator: string;
      created_at: Date;
    }>(
      `SELECT d.action, d.reason, u.username AS moderator, d.created_at FROM moderation_decisions d
         JOIN users u ON u.id = d.moderator_id WHERE d.target_kind = $1 AND d.target_id = $2 ORDER BY d.created_at DESC`,
      [item.targetKind, item.targetId],
    );
    item.history = h.rows.map((x) => ({
      action: x.action,
      reason: x.reason,
      moderator: x.moderator,
      createdAt: x.created_at,
    }));
  }
  return [...items.values()];
}

async function contextOf(pool: Pool, kind: string, id: string): Promise<Record<string, unknown>> {
  if (kind === "post") {
    const r = await pool.query(
      `SELECT p.id, p.caption, p.status, p.audience, p.poster_path IS NOT NULL AS has_poster, u.username AS owner
         FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1`,
      [id],
    );
    return r.rows[0] ?? { missing: true };
  }
  if (kind === "comment") {
    const r = await pool.query(
      `SELECT c.id, c.body, c.deleted_at IS NOT NULL AS deleted, u.username AS author, c.post_id, p.caption AS post_caption,
              pu.username AS post_owner
         FROM comments c JOIN users u ON u.id = c.author_id JOIN posts p ON p.id = c.post_id
         JOIN users pu ON pu.id = p.author_id WHERE c.id = $1`,
      [id],
    );
    return r.rows[0] ?? { missing: true };
  }
  const r = await pool.query(
    `SELECT u.id, u.username, u.display_name, u.bio, coalesce(s.restricted_to_adults, false) AS restricted_to_adults,
            (SELECT count(*)::int FROM posts p WHERE p.author_id = u.id AND p.status = 'published') AS posts
       FROM users u LEFT JOIN social_profiles s ON s.user_id = u.id WHERE u.id = $1`,
    [id],
  );
  return r.rows[0] ?? { missing: true };
}

const OUTCOME: Record<z.infer<typeof decisionSchema>["action"], string> = {
  keep: "We reviewed your report and the content stays up: it does not break the rules.",
  remove: "We reviewed your report and removed the content.",
  restrict_adults: "We reviewed your report and limited the content to adults.",
};

/**
 * A moderator's decision on an item: applied, logged with who and why, every open report on it
 * closed, and each reporter notified of the outcome — all in one transaction.
 */
export async function decide(
  pool: Pool,
  v: Viewer,
  target: { kind: "post" | "comment" | "user"; id: string },
  input: unknown,
): Promise<{ decisionId: string; reportsClosed: number }> {
  requireModerator(v);
  if (!["post", "comment", "user"].includes(target.kind) || !isUuid(target.id))
    throw notFound("item");
  const d = parse(decisionSchema, input);
  if (d.action === "restrict_adults" && target.kind === "comment")
    throw invalid("comments can be kept or removed");
  return transaction(pool, async (c) => {
    if (target.kind === "post") {
      const r = await c.query(
        "SELECT 1 FROM posts WHERE id = $1 AND status <> 'deleted' FOR UPDATE",
        [target.id],
      );
      if ((r.rowCount ?? 0) === 0) throw notFound("post");
      if (d.action === "remove")
        await c.query("UPDATE posts SET status = 'removed' WHERE id = $1", [target.id]);
      if (d.action === "restrict_adults")
        await c.query("UPDATE posts SET audience = 'adults' WHERE id = $1", [target.id]);
    } else if (target.kind === "comment") {
      const r = await c.query<{ post_id: string; deleted_at: Date | null }>(
        "SELECT post_id, deleted_at FROM comments WHERE id = $1 FOR UPDATE",
        [target.id],
      );
      const cm = r.rows[0];
      if (!cm) throw notFound("comment");
      if (d.action === "remove" && !cm.deleted_at) {
        await c.query(
          "UPDATE comments SET deleted_at = now(), body = '', removed_by_moderator = true WHERE id = $1",
          [target.id],
        );
        await c.query(
          "UPDATE posts SET comment_count = greatest(comment_count - 1, 0) WHERE id = $1",
          [cm.post_id],
        );
      }
    } else {
      const r = await c.query("SELECT 1 FROM users WHERE id = $1", [target.id]);
      if ((r.rowCount ?? 0) === 0) throw notFound("user");
      if (d.action === "remove" || d.action === "restrict_adults") {
        // A profile is not deleted by a moderator: "remove" takes its posts down, "restrict"
        // limits them (and future ones) to adults.
        await c.query("INSERT INTO social_profiles (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [
          target.id,
        ]);
        if (d.action === "restrict_adults") {
          await c.query(
            "UPDATE social_profiles SET restricted_to_adults = true WHERE user_id = $1",
            [target.id],
          );
          await c.query(
            "UPDATE posts SET audience = 'adults' WHERE author_id = $1 AND status <> 'deleted'",
            [target.id],
          );
        } else {
          await c.query(
            "UPDATE posts SET status = 'removed' WHERE author_id = $1 AND status IN ('published', 'unpublished')",
            [target.id],
          );
        }
      }
    }
    const dec = await c.query<{ id: string }>(
      "INSERT INTO moderation_decisions (target_kind, target_id, moderator_id, action, reason) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      [target.kind, target.id, v.id, d.action, d.reason],
    );
    const decisionId = dec.rows[0]!.id;
    const closed = await c.query<{ id: string; reporter_id: string }>(
      `UPDATE reports SET status = 'decided', decision_id = $3
        WHERE target_kind = $1 AND target_id = $2 AND status = 'open' RETURNING id, reporter_id`,
      [target.kind, target.id, decisionId],
    );
    for (const r of closed.rows) {
      await notify(c, {
        userId: r.reporter_id,
        actorId: null,
        kind: "report_outcome",
        payload: {
          reportId: r.id,
          targetKind: target.kind,
          targetId: target.id,
          action: d.action,
          message: OUTCOME[d.action],
        },
        dedupeKey: `report_outcome:${r.id}`,
      });
    }
    return { decisionId, reportsClosed: closed.rows.length };
  });
}

/** The decision log of an item (moderators only). */
export async function decisionLog(pool: Pool, v: Viewer, kind: string, id: string) {
  requireModerator(v);
  if (!isUuid(id)) return [];
  const r = await pool.query(
    `SELECT d.id, d.action, d.reason, u.username AS moderator, d.created_at FROM moderation_decisions d
       JOIN users u ON u.id = d.moderator_id WHERE d.target_kind = $1 AND d.target_id = $2 ORDER BY d.created_at DESC`,
    [kind, id],
  );
  return r.rows as {
    id: string;
    action: string;
    reason: string;
    moderator: string;
    created_at: Date;
  }[];
}
