import { DBOS } from "@dbos-inc/dbos-sdk";
import { env } from "@reelhouse/shared/env.server";
import { Mailer } from "@reelhouse/shared/mail/mailer.server";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { dueDigests, sendDigest } from "@reelhouse/shared/social/digest.server";
import { dbRetry } from "./retry.ts";
import { stepPool } from "./steps/context.ts";

/**
 * The notification digest (issue 17), a DBOS scheduled workflow: every hour (DIGEST_SCHEDULE),
 * one step lists who is due (shared/src/social/digest.server.ts), then one step per person sends
 * their digest through the mail outbox. The schedule lives in DBOS's system tables, so a worker
 * that was down catches up when it starts; each tick is one workflow (id from its time), so a
 * recovered tick resumes after its last finished step and nobody gets two mails. `sendDigest`
 * checks again under a row lock, so two workers never send the same digest.
 */

export const DIGEST_SCHEDULE = "0 * * * *";
export const DIGEST_SCHEDULE_NAME = "notification-digest";

let mailer: Mailer | undefined;
function digestMailer(): Mailer {
  const e = env();
  mailer ??= new Mailer(stepPool(), { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM });
  return mailer;
}

function baseUrl(): string {
  const e = env();
  return e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : `http://localhost:${e.PORT}`;
}

async function notificationDigests(scheduledAt: Date, _context: unknown): Promise<void> {
  const now = new Date(scheduledAt);
  const due = await DBOS.runStep(() => dueDigests(stepPool(), now), {
    name: "dueDigests",
    ...dbRetry,
  });
  let sent = 0;
  for (const userId of due) {
    const r = await DBOS.runStep(
      () => sendDigest(stepPool(), digestMailer(), userId, { baseUrl: baseUrl(), now }),
      { name: "sendDigest", ...dbRetry },
    );
    if (r.sent) sent++;
  }
  DBOS.logger.info(`notification digests at ${now.toISOString()}: ${sent} of ${due.length} sent`);
}

export const notificationDigestWorkflow = DBOS.registerWorkflow(notificationDigests, {
  name: WORKFLOWS.notificationDigest,
});

/** Called by the worker after DBOS.launch(): creates or updates the hourly schedule. */
export async function scheduleNotificationDigests(): Promise<void> {
  await DBOS.applySchedules([
    {
      scheduleName: DIGEST_SCHEDULE_NAME,
      workflowFn: notificationDigestWorkflow,
      schedule: DIGEST_SCHEDULE,
      automaticBackfill: false,
    },
  ]);
}
