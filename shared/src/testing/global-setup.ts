import { mkdtempSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres } from "../db/embedded-postgres.server.ts";
import { migrate } from "../db/migrate.server.ts";
import { createDatabase } from "../db/provision.server.ts";
import { dataDir } from "../paths.server.ts";
import "./db.ts"; // declares the provided "databaseUrl"

/**
 * One real Postgres for the test run: a fresh database on DATABASE_URL's server if set, else an
 * ephemeral embedded cluster. Migrations are applied once; tests read the URL with
 * `inject("databaseUrl")` (see ./db.ts).
 */
export default async function setup(project: TestProject) {
  const runName = `reelhouse_test_${Date.now().toString(36)}_${process.pid}`;
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    url = await createDatabase(process.env.DATABASE_URL, runName);
  } else {
    const root = path.join(dataDir(), "test");
    (await import("node:fs")).mkdirSync(root, { recursive: true });
    const dir = path.join(mkdtempSync(path.join(root, "pg-")), "cluster");
    const pg = await startEmbeddedPostgres({
      dir,
      port: await freePort(),
      database: runName,
      ephemeral: true,
    });
    url = pg.url;
    stop = async () => {
      await pg.stop();
      (await import("node:fs")).rmSync(path.dirname(dir), { recursive: true, force: true });
    };
  }
  await migrate(url);
  project.provide("databaseUrl", url);
  return async () => {
    await stop?.();
  };
}
