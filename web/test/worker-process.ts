import { type ChildProcess, spawn } from "node:child_process";
import { migrate } from "@reelhouse/shared/db/migrate.server";
import { createDatabase } from "@reelhouse/shared/db/provision.server";
import { repoRoot } from "@reelhouse/shared/paths.server";

/**
 * For HTTP tests that need jobs to finish: a private migrated database (so this file's worker
 * never runs another file's queued jobs) and a REAL worker process (`workers/src/main.ts`, spawned:
 * the web tier never imports workflow code), which a test can SIGTERM or kill -9.
 */

export async function privateDatabase(serverUrl: string, prefix: string): Promise<string> {
  const name = `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
  const url = await createDatabase(serverUrl, name);
  await migrate(url);
  return url;
}

export interface WorkerProcess {
  proc: ChildProcess;
  output(): string;
  ready: Promise<void>;
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export function spawnWorker(opts: {
  databaseUrl: string;
  dataDir: string;
  workerId: string;
  env?: Record<string, string>;
}): WorkerProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", "workers/src/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: opts.databaseUrl,
      DATA_DIR: opts.dataDir,
      WORKER_ID: opts.workerId,
      RENDER_CONCURRENCY: "1",
      LOG_LEVEL: "warn",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const append = (d: string) => {
    out += d;
  };
  proc.stdout!.setEncoding("utf8").on("data", append);
  proc.stderr!.setEncoding("utf8").on("data", append);
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 90 s:\n${out}`)), 90_000);
    proc.stdout!.on("data", () => {
      if (out.includes('"event":"worker.ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited before ready:\n${out}`));
    });
  });
  ready.catch(() => {});
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc,
    output: () => out,
    ready,
    async stop() {
      if (alive()) proc.kill("SIGTERM");
      await exited;
    },
    async kill9() {
      if (alive()) proc.kill("SIGKILL");
      await exited;
    },
  };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 120_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
