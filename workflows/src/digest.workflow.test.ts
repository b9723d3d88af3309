import { rmSync } from "node:fs";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import { DBOS_SCHEMA } from "@reelhouse/shared/generation/dbos.server";
import { listOutbox } from "@reelhouse/shared/mail/mailer.server";
import { DBOS_APP_NAME } from "@reelhouse/shared/names";
import { makeUser } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIGEST_SCHEDULE, DIGEST_SCHEDULE_NAME } from "./digest.workflow.ts";
import {
  createPool,
  freshDatabase,
  spawnWorker,
  tempDataDir,
  type WorkerHandle,
} from "./testing/harness.ts";

/**
 * The notification digest as the worker runs it: a REAL worker process registers the hourly
 * schedule in DBOS's tables; a tick (triggered here instead of waiting for the hour) mails the
 * person who opted in, through the outbox, and a second tick sends nothing more.
 */
let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let dbos: DBOSClient;
let worker: WorkerHandle;

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("digest");
  pool = createPool(databaseUrl, 3);
  dbos = await DBOSClient.create({
    systemDatabaseUrl: databaseUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
  });
  worker = spawnWorker({
    databaseUrl,
    dataDir: dir,
    workerId: "w-digest",
    env: { PUBLIC_URL: "https://reel.example" },
  });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await dbos?.destroy();
  await pool?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("notification digest workflow", () => {
  it("the worker schedules it hourly; a tick mails who opted in, once", async () => {
    const schedule = await dbos.getSchedule(DIGEST_SCHEDULE_NAME);
    expect(schedule).toMatchObject({
      schedule: DIGEST_SCHEDULE,
      workflowName: "notificationDigest",
    });

    const fan = await makeUser(pool);
    const ana = await makeUser(pool);
    const quiet = await makeUser(pool);
    for (const u of [ana, quiet])
      await pool.query(
        "UPDATE users SET digest_opt_in = $2, email_verified_at = now() WHERE id = $1",
        [u.id, u === ana],
      );
    for (const u of [ana, quiet])
      await pool.query(
        "INSERT INTO notifications (user_id, kind, payload) VALUES ($1, 'follow', $2)",
        [u.id, JSON.stringify({ actorId: fan.id })],
      );

    await (await dbos.triggerSchedule(DIGEST_SCHEDULE_NAME)).getResult();
    const mails = await listOutbox(pool, { to: `${ana.username}@example.test` });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain(`@${fan.username} started following you`);
    expect(mails[0]!.text).toContain("https://reel.example/notifications");
    expect(await listOutbox(pool, { to: `${quiet.username}@example.test` })).toHaveLength(0);

    await (await dbos.triggerSchedule(DIGEST_SCHEDULE_NAME)).getResult();
    expect(await listOutbox(pool, { to: `${ana.username}@example.test` })).toHaveLength(1);
  });
});
