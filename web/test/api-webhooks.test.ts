import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { createApiKey } from "@reelhouse/shared/api/keys.server";
import { createEndpoint } from "@reelhouse/shared/api/webhooks.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import OpenAI from "openai";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";
import { privateDatabase, spawnWorker, type WorkerProcess, waitFor } from "./worker-process.ts";

/**
 * Webhooks end to end: the openai package makes videos through the app, a real worker renders
 * them and delivers `video.completed` / `video.failed` to a local receiver. The receiver holds
 * the first delivery open while the test kill -9s the worker; the restarted worker (same
 * WORKER_ID) recovers the delivery workflow and sends it again with the same webhook-id, and
 * exactly one delivery per event is acknowledged. Every request verifies with the
 * `standardwebhooks` library; a failing endpoint (500) is retried after the backoff.
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const dir = mkdtempSync(path.join(os.tmpdir(), "rh-hooks-"));
process.env.DATA_DIR = dir;
let databaseUrl: string;
let pool: Pool;
let app: TestApp;
let worker: WorkerProcess;
let openai: OpenAI;
let secret: string;
let receiver: http.Server;
let hookUrl: string;

interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
  answered: number | null;
}
const received: Received[] = [];
// The receiver holds the first video.completed open, answers the first video.failed 500, acks the rest.
let firstHeld: (() => void) | undefined;
const held = new Promise<void>((r) => {
  firstHeld = r;
});
let holdNextCompleted = true;
let failNextFailed = true;

const startWorker = () =>
  spawnWorker({
    databaseUrl,
    dataDir: dir,
    workerId: "hooks-worker",
    env: { WEBHOOK_RETRY_BASE_MS: "300", WEBHOOK_TIMEOUT_MS: "60000" },
  });

beforeAll(async () => {
  databaseUrl = await privateDatabase(testDatabaseUrl(), "hooks_");
  process.env.DATABASE_URL = databaseUrl;
  pool = createPool(databaseUrl, 4);
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const entry: Received = {
        id: String(req.headers["webhook-id"]),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body,
        answered: null,
      };
      received.push(entry);
      const type = (JSON.parse(body) as { type: string }).type;
      if (type === "video.completed" && holdNextCompleted) {
        holdNextCompleted = false;
        firstHeld?.();
        return; // never answered: the worker dies waiting
      }
      if (type === "video.failed" && failNextFailed) {
        failNextFailed = false;
        entry.answered = 500;
        return void res.writeHead(500).end("try later");
      }
      entry.answered = 200;
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  const userId = (
    await pool.query<{ id: string }>(
      `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
       VALUES ('hooks@example.test', 'hooks_owner', 'x', '1990-01-01', false) RETURNING id`,
    )
  ).rows[0]!.id;
  const workspaceId = (
    await pool.query<{ id: string }>(
      "INSERT INTO workspaces (name, created_by) VALUES ('Hooks', $1) RETURNING id",
      [userId],
    )
  ).rows[0]!.id;
  await pool.query("INSERT INTO workspace_members VALUES ($1, $2, 'owner')", [workspaceId, userId]);
  const key = (
    await createApiKey(pool, userId, workspaceId, { name: "hooks", rateLimitPerMinute: 100_000 })
  ).key;
  secret = (await createEndpoint(pool, userId, workspaceId, { url: hookUrl })).secret;
  app = await startTestApp({ databaseUrl });
  openai = new OpenAI({ apiKey: key, baseURL: `${app.url}/v1`, maxRetries: 0 });
  worker = startWorker();
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await pool?.end();
  rmSync(dir, { recursive: true, force: true });
});

async function deliveryOf(videoId: string) {
  const r = await pool.query<{
    status: string;
    attempts: number;
    last_status_code: number | null;
    event_id: string;
  }>(
    "SELECT status, attempts, last_status_code, event_id FROM webhook_deliveries WHERE video_id = $1",
    [videoId],
  );
  return r.rows;
}

describe("webhooks", () => {
  it("video.completed survives a worker killed mid-delivery: resent with the same webhook-id, acknowledged exactly once, signature verified", async () => {
    const video = await openai.videos.create({
      prompt: "A kite over the dunes",
      model: "test-pattern",
    });
    await held; // the worker's first attempt is waiting on our receiver
    await worker.kill9();
    worker = startWorker();
    await worker.ready;
    const rows = await waitFor("the delivery to be acknowledged", async () => {
      const r = await deliveryOf(video.id);
      return r[0]?.status === "delivered" ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.last_status_code).toBe(200);

    const mine = received.filter((x) => x.id === rows[0]!.event_id);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    expect(mine.filter((x) => x.answered === 200)).toHaveLength(1);
    const wh = new Webhook(secret);
    for (const req of mine) {
      const payload = wh.verify(req.body, req.headers) as { type: string; data: { id: string } };
      expect(payload).toMatchObject({
        type: "video.completed",
        object: "event",
        data: { id: video.id },
      });
    }
    // The check can fail: a changed body or another secret is refused.
    expect(() =>
      wh.verify(mine[0]!.body.replace(video.id, "video_other"), mine[0]!.headers),
    ).toThrow();
    expect(() =>
      new Webhook(`whsec_${Buffer.from("another secret!!").toString("base64")}`).verify(
        mine[0]!.body,
        mine[0]!.headers,
      ),
    ).toThrow();
    expect((await openai.videos.retrieve(video.id)).status).toBe("completed");
  });

  it("video.failed (a safety refusal) is delivered; a 500 from the endpoint is retried after the backoff", async () => {
    const video = await openai.videos.create({
      prompt: "A gory decapitation in the town square",
      model: "test-pattern",
    });
    const failed = await waitFor("the video to fail", async () => {
      const v = await openai.videos.retrieve(video.id);
      return v.status === "failed" ? v : undefined;
    });
    expect(failed.error).toMatchObject({ code: "safety_graphic_violence" });
    expect(failed.error?.message).toContain("graphic violence");
    const rows = await waitFor("the failed event to be acknowledged", async () => {
      const r = await deliveryOf(video.id);
      return r[0]?.status === "delivered" ? r : undefined;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attempts).toBe(2);
    const mine = received.filter((x) => x.id === rows[0]!.event_id);
    expect(mine.map((x) => x.answered)).toEqual([500, 200]);
    const payload = new Webhook(secret).verify(mine[1]!.body, mine[1]!.headers);
    expect(payload).toMatchObject({ type: "video.failed", data: { id: video.id } });
  });
});
