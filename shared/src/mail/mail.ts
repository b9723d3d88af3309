/**
 * What the product sends by mail. Templates are pure functions of their inputs (templates.ts);
 * `Mailer` (mailer.server.ts) records each message in the outbox and delivers it over SMTP when
 * SMTP is configured.
 */
export type MailKind =
  | "waitlist-accepted"
  | "workspace-invite"
  | "password-reset"
  | "verify-email"
  | "notification-digest";

export interface MailMessage {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html?: string;
}
