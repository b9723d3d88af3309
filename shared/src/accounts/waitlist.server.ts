import { type Pool, transaction } from "../db/pool.server.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import { waitlistAcceptedMail } from "../mail/templates.ts";
import { AccountError } from "./errors.ts";
import { formatInviteCode, issueInvites } from "./invites.server.ts";
import { emailSchema } from "./validation.ts";

export function parseEmail(input: unknown): string {
  const parsed = emailSchema.safeParse(input);
  if (!parsed.success)
    throw new AccountError("invalid_input", parsed.error.issues[0]!.message, "email");
  return parsed.data;
}

/** Idempotent: joining twice keeps the first entry (and reveals nothing about who is waiting). */
export async function joinWaitlist(pool: Pool, emailInput: unknown): Promise<void> {
  const email = parseEmail(emailInput);
  await pool.query("INSERT INTO waitlist (email) VALUES ($1) ON CONFLICT DO NOTHING", [email]);
}

export interface WaitlistEntry {
  email: string;
  status: "waiting" | "accepted";
  inviteCode: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
}

export async function listWaitlist(pool: Pool): Promise<WaitlistEntry[]> {
  const res = await pool.query<{
    email: string;
    status: "waiting" | "accepted";
    invite_code: string | null;
    created_at: Date;
    accepted_at: Date | null;
  }>(
    "SELECT email, status, invite_code, created_at, accepted_at FROM waitlist ORDER BY status DESC, created_at",
  );
  return res.rows.map((r) => ({
    email: r.email,
    status: r.status,
    inviteCode: r.invite_code,
    createdAt: r.created_at,
    acceptedAt: r.accepted_at,
  }));
}

/**
 * Accepts a waiting person: issues a system invite code for them, records who accepted, mails them
 * the code (with `mail`; the message is in the outbox when SMTP is not configured) and returns the
 * code. Accepting an already-accepted email returns its code and mails nothing again.
 */
export async function acceptWaitlist(
  pool: Pool,
  emailInput: unknown,
  adminId: string | null,
  mail?: { mailer: Mailer; baseUrl: string },
): Promise<string> {
  const email = parseEmail(emailInput);
  let deliver: (() => Promise<void>) | undefined;
  const code = await transaction(pool, async (c) => {
    const res = await c.query<{ id: string; status: string; invite_code: string | null }>(
      "SELECT id, status, invite_code FROM waitlist WHERE lower(email) = $1 FOR UPDATE",
      [email],
    );
    const row = res.rows[0];
    if (!row) throw new AccountError("not_found", `${email} is not on the waitlist.`, "email");
    if (row.status === "accepted" && row.invite_code) return row.invite_code;
    const [code] = await issueInvites(c, null, 1);
    await c.query(
      "UPDATE waitlist SET status = 'accepted', invite_code = $2, accepted_by = $3, accepted_at = now() WHERE id = $1",
      [row.id, code, adminId],
    );
    if (mail)
      deliver = await mail.mailer.enqueue(
        c,
        waitlistAcceptedMail(email, formatInviteCode(code!), `${mail.baseUrl}/join`),
      );
    return code!;
  });
  await deliver?.();
  return code;
}
