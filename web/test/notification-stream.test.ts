import http from "node:http";
import { markRead, notify } from "@reelhouse/shared/social/notifications.server";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * /notifications/stream over real HTTP: the unread count is pushed (0033 trigger → LISTEN) to the
 * signed-in user's own stream only; one LISTEN connection serves every stream of the process and
 * is given back when the streams close.
 */
const pool = testPool();
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

type Stream = {
  status: number;
  contentType: string;
  /** Resolves with the first `unread` value satisfying `pred`, or rejects after `ms`. */
  next(pred: (n: number) => boolean, ms?: number): Promise<number>;
  counts: number[];
  close(): void;
};

function openStream(c: Client): Promise<Stream> {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return new Promise((resolve, reject) => {
    const req = http.get(
      new URL("/notifications/stream", c.base),
      { localAddress: c.localAddress, headers: { accept: "text/event-stream", cookie } },
      (res) => {
        const counts: number[] = [];
        const waiters: { pred: (n: number) => boolean; done: (n: number) => void }[] = [];
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          buf += chunk;
          let i = buf.indexOf("\n\n");
          while (i >= 0) {
            const event = buf.slice(0, i);
            buf = buf.slice(i + 2);
            for (const line of event.split("\n")) {
              if (!line.startsWith("data: ")) continue;
              const n = (JSON.parse(line.slice(6)) as { unread: number }).unread;
              counts.push(n);
              for (const w of [...waiters])
                if (w.pred(n)) {
                  waiters.splice(waiters.indexOf(w), 1);
                  w.done(n);
                }
            }
            i = buf.indexOf("\n\n");
          }
        });
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          counts,
          next(pred, ms = 4000) {
            const seen = counts.find(pred);
            if (seen !== undefined) return Promise.resolve(seen);
            return new Promise((ok, fail) => {
              const t = setTimeout(() => fail(new Error(`no matching count in ${ms} ms`)), ms);
              waiters.push({
                pred,
                done: (n) => {
                  clearTimeout(t);
                  ok(n);
                },
              });
            });
          },
          close() {
            req.destroy();
          },
        });
      },
    );
    req.on("error", (e) => {
      if ((e as NodeJS.ErrnoException).code !== "ECONNRESET") reject(e);
    });
  });
}

async function userId(username: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(username) = lower($1)",
    [username],
  );
  return r.rows[0]!.id;
}

async function listeners(): Promise<number> {
  const r = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND query = 'LISTEN notifications_changed'`,
  );
  return r.rows[0]!.n;
}

async function eventually(check: () => Promise<boolean>, ms = 4000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("live unread count (/notifications/stream)", () => {
  it("refuses anonymous visitors with 401", async () => {
    const s = await openStream(new Client(app.url));
    expect(s.status).toBe(401);
    s.close();
  });

  it("pushes a new notification's count to its user's stream only, and again when it is read; one LISTEN connection, released when the streams close", async () => {
    const alice = new Client(app.url);
    const bob = new Client(app.url);
    const a = await userId((await onboardOverHttp(alice, pool)).username);
    const b = await userId((await onboardOverHttp(bob, pool)).username);

    const sa = await openStream(alice);
    const sb = await openStream(bob);
    expect(sa.status).toBe(200);
    expect(sa.contentType).toMatch(/^text\/event-stream/);
    const startA = await sa.next(() => true);
    const startB = await sb.next(() => true);
    expect(await listeners()).toBe(1);

    const inserted = await notify(pool, {
      userId: a,
      actorId: b,
      kind: "follow",
      payload: {},
      dedupeKey: `follow:${b}:${a}:stream-test`,
    });
    expect(inserted).toBe(true);
    expect(await sa.next((n) => n === startA + 1)).toBe(startA + 1);
    // Bob's stream heard nothing of Alice's notification.
    await new Promise((r) => setTimeout(r, 500));
    expect(sb.counts).toEqual([startB]);

    await markRead(pool, a);
    expect(await sa.next((n) => n === 0)).toBe(0);

    sa.close();
    sb.close();
    await eventually(async () => (await listeners()) === 0);
  });
});
