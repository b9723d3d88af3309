import os from "node:os";
import { DBOS } from "@dbos-inc/dbos-sdk";
import { registerCameoAnalyzer } from "@reelhouse/shared/cameos/analyzer.server";
import { env } from "@reelhouse/shared/env.server";
import {
  DBOS_SCHEMA,
  ensureDbosSchema,
  queueSettings,
  systemDatabaseUrl,
} from "@reelhouse/shared/generation/dbos.server";
import { DBOS_APP_NAME, QUEUES } from "@reelhouse/shared/names";
import {
  closeStepPool,
  enqueueExportBackfill,
  scheduleNotificationDigests,
} from "@reelhouse/workflows";
import { registerBackends } from "./backends/index.ts";
import { analyzeRecording } from "./cameo/analyze.server.ts";
import { embedImageFile } from "./cameo/face.server.ts";

/**
 * The worker process: runs the generation workflows from the `render` and `media` queues. Start as
 * many as you like against one Postgres (each with its own WORKER_ID); DBOS hands each queued job
 * to exactly one of them. A worker that dies mid-job (even kill -9) gets its jobs back when it
 * restarts with the same WORKER_ID: DBOS re-enqueues its unfinished workflows and the steps
 * already checkpointed are not run again.
 */

const log = (event: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), event, ...fields }));

async function main(): Promise<void> {
  const e = env();
  if (!e.DATABASE_URL)
    throw new Error("DATABASE_URL is required (npm start sets it for the worker).");
  const workerId = e.WORKER_ID ?? os.hostname();
  registerBackends();
  registerCameoAnalyzer(analyzeRecording, embedImageFile);
  await ensureDbosSchema(e.DATABASE_URL);
  DBOS.setConfig({
    name: DBOS_APP_NAME,
    systemDatabaseUrl: systemDatabaseUrl(e.DATABASE_URL),
    systemDatabaseSchemaName: DBOS_SCHEMA,
    executorID: workerId,
    listenQueues: [QUEUES.render, QUEUES.media],
    logLevel: e.LOG_LEVEL,
  });
  await DBOS.launch();
  for (const q of queueSettings(e.RENDER_CONCURRENCY)) {
    await DBOS.registerQueue(q.name, {
      workerConcurrency: q.workerConcurrency,
      minPollingIntervalMs: q.minPollingIntervalMs,
      onConflict: "always_update",
    });
  }
  // The hourly notification digest (opt-in, Settings): one schedule for all workers.
  await scheduleNotificationDigests().catch((err: unknown) =>
    log("worker.digest_schedule_error", { message: (err as Error).message }),
  );
  // Drafts without a marked export (made before exports, or cut off before theirs): write them.
  await enqueueExportBackfill().then(
    (n) => n > 0 && log("worker.export_backfill", { drafts: n }),
    (err: unknown) => log("worker.export_backfill_error", { message: (err as Error).message }),
  );
  log("worker.ready", { workerId, pid: process.pid, renderConcurrency: e.RENDER_CONCURRENCY });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log("worker.stopping", { signal });
    // Unfinished jobs stay PENDING under this WORKER_ID and resume when it starts again.
    await DBOS.shutdown({ workflowCompletionTimeoutMS: 5_000 }).catch((err: unknown) =>
      log("worker.shutdown_error", { message: (err as Error).message }),
    );
    await closeStepPool();
    log("worker.stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(`[worker] ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
