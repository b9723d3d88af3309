import nodemailer, { type Transporter } from "nodemailer";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import type { MailMessage } from "./mail.ts";

/**
 * Outgoing mail. Every message is first written to `mail_outbox` (inside the caller's transaction
 * when one is given, so a rolled-back action sends nothing); then, when SMTP is configured, it is
 * delivered with nodemailer and its row marked `sent` (or `failed`, with the server's answer).
 * Without SMTP the row stays `outbox`: administrators read it on the admin page and with
 * `npm run admin -- outbox`. Nothing is silently dropped.
 */
export interface MailConfig {
  /** smtp://user:pass@host:587 or smtps://…; unset: outbox only. */
  smtpUrl?: string;
  /** The From header. */
  from: string;
}

export interface OutboxEntry {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  status: "outbox" | "sending" | "sent" | "failed";
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

type Queryable = Pool | PoolClient;

export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    private readonly pool: Pool,
    readonly config: MailConfig,
  ) {
    this.transport = config.smtpUrl
      ? nodemailer.createTransport(config.smtpUrl, { from: config.from })
      : null;
  }

  /** True when mail leaves the machine; false when the outbox is where it ends. */
  get delivers(): boolean {
    return this.transport !== null;
  }

  /**
   * Records `msg` (on `q`, which may be a transaction's client) and returns a function that
   * delivers it; call that after the transaction commits. `send` does both for callers without a
   * transaction.
   */
  async enqueue(q: Queryable, msg: MailMessage): Promise<() => Promise<void>> {
    const r = await q.query<{ id: string }>(
      `INSERT INTO mail_outbox (kind, to_address, subject, body_text, body_html, status)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        msg.kind,
        msg.to,
        msg.subject,
        msg.text,
        msg.html ?? null,
        this.transport ? "sending" : "outbox",
      ],
    );
    const id = r.rows[0]!.id;
    return () => this.deliver(id, msg);
  }

  async send(msg: MailMessage): Promise<void> {
    const deliver = await this.enqueue(this.pool, msg);
    await deliver();
  }

  private async deliver(id: string, msg: MailMessage): Promise<void> {
    if (!this.transport) return;
    try {
      await this.transport.sendMail({
        from: this.config.from,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html ? { html: msg.html } : {}),
      });
      await this.pool.query(
        "UPDATE mail_outbox SET status = 'sent', sent_at = now(), error = NULL WHERE id = $1",
        [id],
      );
    } catch (err) {
      // The action that sent the mail has happened; the failure is kept for administrators to see
      // (and the message can be read in the outbox) rather than failing the person's request.
      await this.pool.query("UPDATE mail_outbox SET status = 'failed', error = $2 WHERE id = $1", [
        id,
        (err as Error).message.slice(0, 500),
      ]);
    }
  }

  close(): void {
    this.transport?.close();
  }
}

interface OutboxRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  body_text: string;
  status: OutboxEntry["status"];
  error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** The newest messages first, optionally only those to one address. */
export async function listOutbox(
  q: Queryable,
  opts: { to?: string; limit?: number } = {},
): Promise<OutboxEntry[]> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const r = await q.query<OutboxRow>(
    `SELECT id, kind, to_address, subject, body_text, status, error, created_at, sent_at
       FROM mail_outbox WHERE ($1::text IS NULL OR lower(to_address) = lower($1))
      ORDER BY created_at DESC, id LIMIT $2`,
    [opts.to ?? null, limit],
  );
  return r.rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    to: m.to_address,
    subject: m.subject,
    text: m.body_text,
    status: m.status,
    error: m.error,
    createdAt: m.created_at,
    sentAt: m.sent_at,
  }));
}
