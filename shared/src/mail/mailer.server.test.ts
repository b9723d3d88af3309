import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { transaction } from "../db/pool.server.ts";
import { testPool, uniq } from "../testing/db.ts";
import { listOutbox, Mailer } from "./mailer.server.ts";
import { passwordResetMail } from "./templates.ts";

const pool = testPool();

/** A real SMTP server on loopback that keeps what it receives, and refuses `refuse@…` recipients. */
const received: { to: string[]; raw: Buffer }[] = [];
let smtp: SMTPServer;
let port = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith("refuse@"))
        return cb(Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await pool.end();
});

const statusOf = async (id: string) =>
  (await pool.query("SELECT status, error, sent_at FROM mail_outbox WHERE id = $1", [id])).rows[0];

describe("Mailer", () => {
  it("with SMTP configured, delivers the message to the server and marks its outbox row sent", async () => {
    const mailer = new Mailer(pool, {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: "Reelhouse <no-reply@reelhouse.test>",
    });
    const to = `${uniq("m")}@example.com`;
    const url = `https://reelhouse.test/reset-password/${"a".repeat(43)}`;
    await mailer.send(passwordResetMail(to, url, 60));
    mailer.close();

    const got = received.find((r) => r.to.includes(to));
    expect(got).toBeDefined();
    const parsed = await simpleParser(got!.raw);
    expect(parsed.subject).toBe("Reset your Reelhouse password");
    expect(parsed.from?.text).toContain("no-reply@reelhouse.test");
    expect(parsed.text).toContain(url);
    expect(parsed.html).toContain(url);

    const [row] = await listOutbox(pool, { to });
    expect(row).toMatchObject({ status: "sent", kind: "password-reset", error: null });
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it("without SMTP, the message stays in the outbox (status outbox), readable in full", async () => {
    const mailer = new Mailer(pool, { from: "Reelhouse <no-reply@localhost>" });
    expect(mailer.delivers).toBe(false);
    const to = `${uniq("o")}@example.com`;
    await mailer.send(passwordResetMail(to, "http://localhost:3000/reset-password/x", 60));
    const [row] = await listOutbox(pool, { to: to.toUpperCase() });
    expect(row).toMatchObject({ status: "outbox", to, subject: "Reset your Reelhouse password" });
    expect(row!.text).toContain("http://localhost:3000/reset-password/x");
    expect(row!.sentAt).toBeNull();
  });

  it("a refused delivery is recorded as failed with the server's answer, and the caller is not failed", async () => {
    const mailer = new Mailer(pool, { smtpUrl: `smtp://127.0.0.1:${port}`, from: "r@x.test" });
    const to = `refuse@${uniq("d")}.example.com`;
    await expect(mailer.send(passwordResetMail(to, "http://x/y", 60))).resolves.toBeUndefined();
    mailer.close();
    const [row] = await listOutbox(pool, { to });
    expect(row!.status).toBe("failed");
    expect(row!.error).toMatch(/550|unavailable/i);
  });

  it("a message enqueued in a transaction that rolls back is neither recorded nor sent", async () => {
    const mailer = new Mailer(pool, { smtpUrl: `smtp://127.0.0.1:${port}`, from: "r@x.test" });
    const to = `${uniq("rb")}@example.com`;
    let deliver: (() => Promise<void>) | undefined;
    await expect(
      transaction(pool, async (c) => {
        deliver = await mailer.enqueue(c, passwordResetMail(to, "http://x/y", 60));
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    expect(deliver).toBeDefined();
    expect(await listOutbox(pool, { to })).toEqual([]);
    mailer.close();
    expect(received.some((r) => r.to.includes(to))).toBe(false);
  });

  it("an SMTP server that is down leaves the message failed but kept", async () => {
    const mailer = new Mailer(pool, { smtpUrl: "smtp://127.0.0.1:1", from: "r@x.test" });
    const to = `${uniq("down")}@example.com`;
    const deliver = await mailer.enqueue(pool, passwordResetMail(to, "http://x/y", 60));
    const [queued] = await listOutbox(pool, { to });
    expect((await statusOf(queued!.id)).status).toBe("sending");
    await deliver();
    mailer.close();
    const after = await statusOf(queued!.id);
    expect(after.status).toBe("failed");
    expect(after.error).toMatch(/ECONNREFUSED|connect/i);
  });
});
