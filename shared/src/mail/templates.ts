import type { MailMessage } from "./mail.ts";

/**
 * The messages Reelhouse sends, as pure functions: plain text always (readable in the admin
 * outbox and in any mail client), a minimal HTML part with the same words and link.
 */

const FOOTER = "\n\n— Reelhouse\nYou received this because of an action on your Reelhouse account.";

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(paragraphs: string[], link?: { href: string; label: string }): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("");
  const button = link
    ? `<p><a href="${escapeHtml(link.href)}" style="display:inline-block;padding:10px 16px;background:#6d5efc;color:#fff;border-radius:8px;text-decoration:none">${escapeHtml(link.label)}</a></p><p style="color:#666;font-size:13px">${escapeHtml(link.href)}</p>`
    : "";
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${body}${button}<p style="color:#888;font-size:12px">Reelhouse</p></body></html>`;
}

export function waitlistAcceptedMail(to: string, code: string, joinUrl: string): MailMessage {
  const lines = [
    "Good news: your place on the Reelhouse waitlist came up.",
    `Your invite code is ${code}. It lets one person join; it is yours.`,
  ];
  return {
    kind: "waitlist-accepted",
    to,
    subject: "Your Reelhouse invite code",
    text: `${lines.join("\n\n")}\n\nJoin here: ${joinUrl}${FOOTER}`,
    html: html(lines, { href: joinUrl, label: "Join Reelhouse" }),
  };
}

export function workspaceInviteMail(
  to: string,
  opts: { inviter: string; workspace: string; role: string; url: string },
): MailMessage {
  const lines = [
    `@${opts.inviter} invited you to the workspace "${opts.workspace}" as ${opts.role}.`,
    "Open Reelhouse to accept or decline the invitation.",
  ];
  return {
    kind: "workspace-invite",
    to,
    subject: `@${opts.inviter} invited you to ${opts.workspace} on Reelhouse`,
    text: `${lines.join("\n\n")}\n\n${opts.url}${FOOTER}`,
    html: html(lines, { href: opts.url, label: "See the invitation" }),
  };
}

export function passwordResetMail(to: string, url: string, minutes: number): MailMessage {
  const lines = [
    "Someone (hopefully you) asked to reset the password of your Reelhouse account.",
    `The link below works once, for ${minutes} minutes. If you did not ask, ignore this mail: your password stays as it is.`,
  ];
  return {
    kind: "password-reset",
    to,
    subject: "Reset your Reelhouse password",
    text: `${lines.join("\n\n")}\n\nReset your password: ${url}${FOOTER}`,
    html: html(lines, { href: url, label: "Choose a new password" }),
  };
}

export function verifyEmailMail(to: string, url: string, hours: number): MailMessage {
  const lines = [
    "Confirm that this is your email address for Reelhouse.",
    `The link below works once, for ${hours} hours.`,
  ];
  return {
    kind: "verify-email",
    to,
    subject: "Confirm your email address for Reelhouse",
    text: `${lines.join("\n\n")}\n\nConfirm: ${url}${FOOTER}`,
    html: html(lines, { href: url, label: "Confirm my email" }),
  };
}

export function digestMail(
  to: string,
  items: { text: string; at: Date }[],
  url: string,
): MailMessage {
  const head = `You have ${items.length} unread notification${items.length === 1 ? "" : "s"} on Reelhouse.`;
  const list = items.slice(0, 20).map((i) => `• ${i.text}`);
  const more = items.length > 20 ? [`… and ${items.length - 20} more.`] : [];
  return {
    kind: "notification-digest",
    to,
    subject: head,
    text: `${[head, ...list, ...more].join("\n")}\n\nOpen your notifications: ${url}\n\nTo stop these digests, turn them off in your account settings.${FOOTER}`,
    html: html(
      [head, ...list, ...more, "To stop these digests, turn them off in your account settings."],
      {
        href: url,
        label: "Open notifications",
      },
    ),
  };
}
