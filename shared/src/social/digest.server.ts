import { type Pool, transaction } from "../db/pool.server.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import { digestMail } from "../mail/templates.ts";

/**
 * The opt-in email digest of unread notifications (issue 17). The worker's hourly scheduled
 * workflow (workflows/src/digest.workflow.ts) asks `dueDigests` who is due and runs `sendDigest`
 * for each, one durable step per person. A person is due when they turned the digest on
 * (Settings), their email address is confirmed, their last digest is at least DIGEST_EVERY_HOURS
 * old, and notifications they have not read arrived since it. The mail goes through the Mailer:
 * the outbox row first, then SMTP when configured.
 */

export const DIGEST_EVERY_HOURS = 24;

/** One line of the digest for a notification (the same words as the bell's list). */
export function digestLine(
  kind: string,
  actor: string | null,
  payload: Record<string, unknown>,
): string {
  const who = actor ? `@${actor}` : "Someone";
  const p = payload as Record<string, string | undefined>;
  switch (kind) {
    case "like":
      return `${who} liked your video`;
    case "comment":
      return `${who} commented on your video`;
    case "reply":
      return `${who} replied to your comment`;
    case "follow":
      return `${who} started following you`;
    case "remix":
      return `${who} remixed your video`;
    case "mention":
    case "project.mention":
      return `${who} mentioned you`;
    case "new_post":
      return `${who} posted a new video`;
    case "report_outcome":
      return p.message ?? "A moderator reviewed your report.";
    case "generation.ready":
      return "Your video is ready to publish";
    case "review.version":
      return `${who} added v${p.number ?? "?"}, waiting for review`;
    case "review.status":
      return `${p.guestName ? `${p.guestName} (guest)` : who} marked v${p.number ?? "?"} ${(p.status ?? "").replaceAll("_", " ")}`;
    case "review.mention":
    case "review.reply":
      return `${p.actorName ?? who} ${kind === "review.mention" ? "mentioned you" : "replied"} on v${p.number ?? "?"}`;
    case "cameo_request":
      return `${who} asks to cast your cameo`;
    case "cameo_review":
      return `${who} made a draft with your cameo: review it`;
    default:
      return kind.replaceAll(/[_.]/g, " ");
  }
}

const DUE = `u.digest_opt_in AND u.email_verified_at IS NOT NULL
  AND (u.digest_sent_at IS NULL OR u.digest_sent_at <= $1::timestamptz - make_interval(hours => ${DIGEST_EVERY_HOURS}))
  AND EXISTS (SELECT 1 FROM notifications n
               WHERE n.user_id = u.id AND n.read_at IS NULL
                 AND n.created_at > coalesce(u.digest_sent_at, '-infinity'))`;

/** Who is due a digest at `now` (at most `limit` people, the longest-waiting first). */
export async function dueDigests(pool: Pool, now: Date, limit = 500): Promise<string[]> {
  const r = await pool.query<{ id: string }>(
    `SELECT u.id FROM users u WHERE ${DUE} ORDER BY u.digest_sent_at NULLS FIRST, u.id LIMIT $2`,
    [now, limit],
  );
  return r.rows.map((x) => x.id);
}

/**
 * Sends one person's digest if they are still due (checked again under a row lock, so two
 * workers or a re-run step send it once), and records when. Returns how many notifications it
 * listed (0: nothing sent).
 */
export async function sendDigest(
  pool: Pool,
  mailer: Mailer,
  userId: string,
  opts: { baseUrl: string; now: Date },
): Promise<{ sent: boolean; count: number }> {
  const result = await transaction(pool, async (c) => {
    const u = await c.query<{ email: string; since: Date | null }>(
      `SELECT u.email, u.digest_sent_at AS since FROM users u
        WHERE u.id = $2 AND ${DUE} FOR UPDATE OF u SKIP LOCKED`,
      [opts.now, userId],
    );
    const row = u.rows[0];
    if (!row) return null;
    const n = await c.query<{
      kind: string;
      payload: Record<string, unknown>;
      actor: string | null;
      created_at: Date;
    }>(
      `SELECT n.kind, n.payload, a.username AS actor, n.created_at
         FROM notifications n LEFT JOIN users a ON a.id::text = n.payload->>'actorId'
        WHERE n.user_id = $1 AND n.read_at IS NULL AND n.created_at > coalesce($2::timestamptz, '-infinity')
        ORDER BY n.created_at DESC LIMIT 100`,
      [userId, row.since],
    );
    const items = n.rows.map((x) => ({
      text: digestLine(x.kind, x.actor, x.payload),
      at: x.created_at,
    }));
    const deliver = await mailer.enqueue(
      c,
      digestMail(row.email, items, `${opts.baseUrl}/notifications`),
    );
    await c.query("UPDATE users SET digest_sent_at = $2 WHERE id = $1", [userId, opts.now]);
    return { deliver, count: items.length };
  });
  if (!result) return { sent: false, count: 0 };
  await result.deliver();
  return { sent: true, count: result.count };
}
