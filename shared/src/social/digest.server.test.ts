import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { listOutbox, Mailer } from "../mail/mailer.server.ts";
import { testPool } from "../testing/db.ts";
import { DIGEST_EVERY_HOURS, digestLine, dueDigests, sendDigest } from "./digest.server.ts";
import { makeUser, type TestUser } from "./test-fixtures.ts";

/** The opt-in notification digest (issue 17): who is due, what the mail says, once a day. */
let pool: Pool;
let mailer: Mailer;
beforeAll(() => {
  pool = testPool(4);
  mailer = new Mailer(pool, { from: "Reelhouse <no-reply@localhost>" });
});
afterAll(async () => {
  await pool.end();
});

const H = 3600_000;
const base = new Date("2031-05-01T08:00:00Z");
const BASE_URL = "https://reelhouse.example";

async function person(opts: { optIn?: boolean; verified?: boolean } = {}): Promise<TestUser> {
  const u = await makeUser(pool);
  await pool.query(
    "UPDATE users SET digest_opt_in = $2, email_verified_at = CASE WHEN $3 THEN now() END WHERE id = $1",
    [u.id, opts.optIn ?? true, opts.verified ?? true],
  );
  return u;
}
async function notify(u: TestUser, kind: string, at: Date, payload: object = {}, read = false) {
  await pool.query(
    "INSERT INTO notifications (user_id, kind, payload, created_at, read_at) VALUES ($1, $2, $3, $4, $5)",
    [u.id, kind, JSON.stringify(payload), at, read ? at : null],
  );
}
const mine = (ids: string[], ...us: TestUser[]) =>
  us.filter((u) => ids.includes(u.id)).map((u) => u.username);

describe("notification digest", () => {
  it("is due only for people who opted in, confirmed their email and have unread notifications", async () => {
    const fan = await person();
    const ana = await person();
    const off = await person({ optIn: false });
    const unverified = await person({ verified: false });
    const allRead = await person();
    for (const u of [ana, off, unverified])
      await notify(u, "like", new Date(base.getTime() - H), { actorId: fan.id });
    await notify(allRead, "follow", new Date(base.getTime() - H), {}, true);
    const due = await dueDigests(pool, base, 100_000);
    expect(mine(due, ana, off, unverified, allRead)).toEqual([ana.username]);
  });

  it("lists the unread notifications in words, goes to the outbox, and waits a day for the next", async () => {
    const fan = await person();
    const ana = await person();
    await notify(ana, "like", new Date(base.getTime() - 2 * H), { actorId: fan.id, postId: "x" });
    await notify(ana, "follow", new Date(base.getTime() - H), { actorId: fan.id });
    await notify(ana, "comment", new Date(base.getTime() - H), { actorId: fan.id }, true);

    const r = await sendDigest(pool, mailer, ana.id, { baseUrl: BASE_URL, now: base });
    expect(r).toEqual({ sent: true, count: 2 });
    const [mail] = await listOutbox(pool, { to: `${ana.username}@example.test` });
    expect(mail!.subject).toBe("You have 2 unread notifications on Reelhouse.");
    expect(mail!.text).toContain(`• @${fan.username} started following you`);
    expect(mail!.text).toContain(`• @${fan.username} liked your video`);
    expect(mail!.text).not.toContain("commented");
    expect(mail!.text).toContain(`${BASE_URL}/notifications`);
    expect(mail!.status).toBe("outbox");

    // Sending again (a re-run step, a second worker) sends nothing.
    expect(await sendDigest(pool, mailer, ana.id, { baseUrl: BASE_URL, now: base })).toEqual({
      sent: false,
      count: 0,
    });
    // A new notification an hour later: still not due until a day has passed.
    await notify(ana, "like", new Date(base.getTime() + H), { actorId: fan.id });
    const soon = new Date(base.getTime() + 2 * H);
    expect(mine(await dueDigests(pool, soon, 100_000), ana)).toEqual([]);
    const later = new Date(base.getTime() + DIGEST_EVERY_HOURS * H);
    expect(mine(await dueDigests(pool, later, 100_000), ana)).toEqual([ana.username]);
    // The next digest lists only what arrived since the last one.
    expect(await sendDigest(pool, mailer, ana.id, { baseUrl: BASE_URL, now: later })).toEqual({
      sent: true,
      count: 1,
    });
    expect(await listOutbox(pool, { to: `${ana.username}@example.test` })).toHaveLength(2);
  });

  it("a person who turned the digest off, or read everything, is sent nothing", async () => {
    const ana = await person();
    await notify(ana, "follow", new Date(base.getTime() - H));
    await pool.query("UPDATE users SET digest_opt_in = false WHERE id = $1", [ana.id]);
    expect((await sendDigest(pool, mailer, ana.id, { baseUrl: BASE_URL, now: base })).sent).toBe(
      false,
    );
    await pool.query("UPDATE users SET digest_opt_in = true WHERE id = $1", [ana.id]);
    await pool.query("UPDATE notifications SET read_at = now() WHERE user_id = $1", [ana.id]);
    expect((await sendDigest(pool, mailer, ana.id, { baseUrl: BASE_URL, now: base })).sent).toBe(
      false,
    );
    expect(await listOutbox(pool, { to: `${ana.username}@example.test` })).toHaveLength(0);
  });

  it("words each kind like the bell does", () => {
    expect(digestLine("remix", "ben", {})).toBe("@ben remixed your video");
    expect(digestLine("generation.ready", null, {})).toBe("Your video is ready to publish");
    expect(
      digestLine("review.status", null, {
        guestName: "Kim",
        number: 2,
        status: "changes_requested",
      }),
    ).toBe("Kim (guest) marked v2 changes requested");
    expect(digestLine("something_new", null, {})).toBe("something new");
  });
});
