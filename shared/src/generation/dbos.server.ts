import { DBOS } from "@dbos-inc/dbos-sdk";
import pg from "pg";
import { QUEUES } from "../names.ts";

/**
 * How every Reelhouse process reaches DBOS: its system tables live in the schema `dbos` of the app
 * database itself (not a separate `_dbos_sys` database), so the web tier can insert a job row and
 * enqueue its workflow in ONE transaction (DBOSClient.enqueueInTransaction). See
 * docs/decisions/001-dbos-over-temporal.md.
 */
export const DBOS_SCHEMA = "dbos";

export function systemDatabaseUrl(databaseUrl: string): string {
  return databaseUrl;
}

/** Queue settings. DBOS keeps them in the `queues` table; every worker registers the same ones. */
export function queueSettings(renderConcurrency: number) {
  return [
    // A GPU box sets RENDER_CONCURRENCY=1 to take one render at a time. DBOS has no wake-up for a
    // queue (it polls): a job waits half an interval on average before a worker sees it, which is
    // part of every render's submit-to-draft time. 50 ms keeps that to ~25 ms for ~20 idle polls a
    // second per worker (each a short transaction: BEGIN, a version lookup, an empty SELECT … FOR
    // UPDATE SKIP LOCKED, COMMIT; while a render holds the worker's slot, BEGIN and COMMIT only).
    { name: QUEUES.render, workerConcurrency: renderConcurrency, minPollingIntervalMs: 50 },
    // Sequence parents (which mostly wait for their shots) and post-processing.
    { name: QUEUES.media, workerConcurrency: 4, minPollingIntervalMs: 100 },
  ];
}

/**
 * Creates or upgrades DBOS's tables, one process at a time: the web tier and every worker call this
 * at start, and DBOS's own migrations are not safe to run concurrently on a fresh database.
 */
export async function ensureDbosSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('reelhouse:dbos-schema'))");
    await DBOS.migrate(systemDatabaseUrl(databaseUrl), { schemaName: DBOS_SCHEMA });
  } finally {
    await client
      .query("SELECT pg_advisory_unlock(hashtext('reelhouse:dbos-schema'))")
      .catch(() => {});
    await client.end();
  }
}
