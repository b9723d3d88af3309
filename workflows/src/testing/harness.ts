import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import path from "node:path";
import { migrate } from "@reelhouse/shared/db/migrate.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { createDatabase } from "@reelhouse/shared/db/provision.server";
import { dataDir, repoRoot } from "@reelhouse/shared/paths.server";
import type { StepTiming } from "../steps/timing.ts";

function uniq(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Test helpers for the workflows: a private migrated database (so the workers of one test file
 * never pick up another file's jobs), seeded people and projects, and REAL worker processes
 * (`node --import tsx workers/src/main.ts`) that tests can SIGTERM or kill -9.
 */

/** A fresh, migrated database on the test run's Postgres server. */
export async function freshDatabase(serverUrl: string): Promise<string> {
  const url = await createDatabase(serverUrl, uniq("wf_"));
  await migrate(url);
  return url;
}

export function tempDataDir(prefix: string): string {
  const root = path.join(dataDir(), "test");
  mkdirSync(root, { recursive: true });
  return mkdtempSync(path.join(root, `${prefix}-`));
}

export interface Seeded {
  ownerId: string;
  editorId: string;
  viewerId: string;
  outsiderId: string;
  workspaceId: string;
  projectId: string;
}

export async function seedProject(pool: Pool): Promise<Seeded> {
  const user = async (name: string) =>
    (
      await pool.query<{ id: string }>(
        `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
         VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
        [`${name}@example.test`, name],
      )
    ).rows[0]!.id;
  const tag = uniq("u").slice(0, 20);
  const ownerId = await user(`${tag}_o`);
  const editorId = await user(`${tag}_e`);
  const viewerId = await user(`${tag}_v`);
  const outsiderId = await user(`${tag}_x`);
  const workspaceId = (
    await pool.query<{ id: string }>(
      "INSERT INTO workspaces (name, created_by) VALUES ('Studio', $1) RETURNING id",
      [ownerId],
    )
  ).rows[0]!.id;
  for (const [id, role] of [
    [ownerId, "owner"],
    [editorId, "editor"],
    [viewerId, "viewer"],
  ]) {
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [workspaceId, id, role],
    );
  }
  const projectId = (
    await pool.query<{ id: string }>(
      "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Trailer', $2) RETURNING id",
      [workspaceId, ownerId],
    )
  ).rows[0]!.id;
  return { ownerId, editorId, viewerId, outsiderId, workspaceId, projectId };
}

export interface WorkerHandle {
  proc: ChildProcess;
  pid: number;
  workerId: string;
  /** Everything the worker printed so far. */
  output(): string;
  ready: Promise<void>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** kill -9 and wait for exit. */
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

export function spawnWorker(opts: {
  databaseUrl: string;
  dataDir: string;
  workerId: string;
  renderConcurrency?: number;
  env?: Record<string, string>;
}): WorkerHandle {
  const proc = spawn(process.execPath, ["--import", "tsx", "workers/src/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: opts.databaseUrl,
      DATA_DIR: opts.dataDir,
      WORKER_ID: opts.workerId,
      RENDER_CONCURRENCY: String(opts.renderConcurrency ?? 1),
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.once("exit", (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${opts.workerId} not ready in 60 s:\n${out}`)),
      60_000,
    );
    const check = () => {
      if (out.includes('"event":"worker.ready"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${opts.workerId} exited (${code}) before ready:\n${out}`));
    });
  });
  ready.catch(() => {});
  return {
    proc,
    pid: proc.pid!,
    workerId: opts.workerId,
    output: () => out,
    ready,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      return exited;
    },
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
    },
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { createPool };

/** The step.timing lines of one workflow in a worker's output (for the bench and tests). */
export function parseStepTimings(output: string, workflowId: string): StepTiming[] {
  const out: StepTiming[] = [];
  for (const line of output.split("\n")) {
    if (!line.includes('"event":"step.timing"')) continue;
    try {
      const t = JSON.parse(line) as StepTiming;
      if (t.workflowId === workflowId) out.push(t);
    } catch {
      // a line interleaved with other output: skip it
    }
  }
  return out;
}
