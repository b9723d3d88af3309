/**
 * `npm start`: runs all of Reelhouse on one machine. Starts Postgres (embedded under DATA_DIR
 * unless DATABASE_URL is set), applies migrations, builds the web app if its sources changed, then
 * runs the web app, the collab server and one worker as child processes with prefixed logs.
 * Ctrl-C (SIGINT) or SIGTERM stops every child, then Postgres, leaving no process behind. Every
 * child and Postgres run in process groups of their own, so the terminal's Ctrl-C reaches only this
 * launcher, which stops them in that order and exits 0 saying "stopped".
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { assertPortFree, PortInUseError } from "@reelhouse/shared/db/embedded-postgres.server";
import { migrate } from "@reelhouse/shared/db/migrate.server";
import { type ProvisionedDatabase, provisionDatabase } from "@reelhouse/shared/db/provision.server";
import { clearRunState, readRunState, writeRunState } from "@reelhouse/shared/db/run-state.server";
import { env } from "@reelhouse/shared/env.server";
import { dataDir, repoRoot } from "@reelhouse/shared/paths.server";
import { loadOrCreateSecret } from "@reelhouse/shared/secret.server";
import { WORKER_NODE_FLAGS } from "../workers/src/node-flags.ts";
import { launcherLog as log, prefixLines } from "./lib/prefixed-output.ts";
import { webBuildIsStale } from "./lib/web-build.ts";

interface Service {
  name: string;
  entry: string;
  /** Node flags before the entry (the worker's: `workers/src/node-flags.ts`). */
  nodeFlags?: readonly string[];
}

const SERVICES: Service[] = [
  { name: "web", entry: "web/server.ts" },
  { name: "collab", entry: "collab-server/src/main.ts" },
  { name: "worker", entry: "workers/src/main.ts", nodeFlags: WORKER_NODE_FLAGS },
];

const children = new Map<string, ChildProcess>();
let db: ProvisionedDatabase | undefined;
let shuttingDown = false;

async function main(): Promise<void> {
  let config: ReturnType<typeof env>;
  try {
    config = env();
  } catch (err) {
    fail((err as Error).message);
  }
  const dir = dataDir();
  const other = readRunState(dir);
  if (other && other.pid !== process.pid) {
    fail(
      `Reelhouse is already running from ${dir} (pid ${other.pid}, ${other.webUrl}). Stop it first, or set DATA_DIR.`,
    );
  }

  // Take over the signals before anything starts (embedded-postgres installs its own exit hook,
  // which would stop Postgres before the children have closed their connections).
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  process.on("SIGINT", () => void shutdown(0, "SIGINT"));
  process.on("SIGTERM", () => void shutdown(0, "SIGTERM"));

  try {
    await assertPortFree(config.PORT, "PORT", config.HOST === "0.0.0.0" ? undefined : config.HOST);
    await assertPortFree(config.COLLAB_PORT, "COLLAB_PORT");
  } catch (err) {
    if (err instanceof PortInUseError) fail(err.message);
    throw err;
  }

  const secret = loadOrCreateSecret(dir, config.AUTH_SECRET);
  log(
    config.DATABASE_URL
      ? "using the Postgres server at DATABASE_URL"
      : `starting the embedded Postgres (data in ${path.join(dir, "pg")}, port ${config.PG_PORT})`,
  );
  try {
    db = await provisionDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: dir,
      pgPort: config.PG_PORT,
    });
  } catch (err) {
    fail(
      err instanceof PortInUseError
        ? err.message
        : `Postgres did not start: ${(err as Error).message}`,
    );
  }
  if (shuttingDown) return;
  const applied = await migrate(db.url);
  log(
    applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date",
  );

  const webUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  writeRunState(dir, {
    pid: process.pid,
    databaseUrl: db.url,
    webUrl,
    startedAt: new Date().toISOString(),
  });

  if (process.env.SKIP_WEB_BUILD !== "1" && webBuildIsStale(repoRoot)) {
    log("building the web app…");
    const code = await run(
      "build",
      "npm",
      ["run", "--silent", "-w", "@reelhouse/web", "build"],
      process.env,
    );
    if (code !== 0) return shutdown(1, `the web build failed (exit ${code})`);
  }
  if (shuttingDown) return;

  const childEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? "production",
    DATABASE_URL: db.url,
    AUTH_SECRET: secret,
    DATA_DIR: dir,
  };
  SERVICES.forEach((svc, i) => {
    if (!existsSync(path.join(repoRoot, svc.entry))) {
      log(`skipping ${svc.name}: ${svc.entry} does not exist yet`);
      return;
    }
    const child = spawn(
      process.execPath,
      [...(svc.nodeFlags ?? []), "--import", "tsx", svc.entry],
      {
        cwd: repoRoot,
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // own process group: we stop it (and anything it spawns) as a whole
      },
    );
    children.set(svc.name, child);
    prefixLines(svc.name, i, child.stdout!, process.stdout);
    prefixLines(svc.name, i, child.stderr!, process.stderr);
    child.on("exit", (code, signal) => {
      children.delete(svc.name);
      if (!shuttingDown)
        void shutdown(
          1,
          `${svc.name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`,
        );
    });
  });

  if (await waitForHttp(`http://127.0.0.1:${config.PORT}/healthz`, 60_000)) {
    log(`ready: open ${webUrl}`);
  } else if (!shuttingDown) {
    log(`the web app did not answer on port ${config.PORT} within 60 s; see the [web] lines above`);
  }
}

function run(
  name: string,
  cmd: string,
  args: string[],
  childEnv: NodeJS.ProcessEnv,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.set(name, child);
    prefixLines(name, 5, child.stdout!, process.stdout);
    prefixLines(name, 5, child.stderr!, process.stderr);
    child.on("exit", (code) => {
      children.delete(name);
      resolve(code ?? 1);
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !shuttingDown) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function shutdown(code: number, reason: string): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`stopping (${reason})…`);
  const running = [...children.values()];
  for (const child of running) signalGroup(child, "SIGTERM");
  const deadline = Date.now() + 10_000;
  while (children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of children.values()) {
    log(`forcing ${child.pid} to stop`);
    signalGroup(child, "SIGKILL");
  }
  const hard = Date.now() + 5000;
  while (children.size > 0 && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  if (running.length) log("the services have stopped");
  // Postgres runs in its own process group (a terminal's Ctrl-C does not reach it), so it is
  // still serving until here: the services closed their connections cleanly before it stops.
  if (db?.embedded) {
    log("stopping the embedded Postgres");
    await db.embedded.stop().catch((err: Error) => log(`Postgres stop: ${err.message}`));
  }
  clearRunState(dataDir());
  log("stopped");
  process.exit(code);
}

class StartAborted extends Error {}

/** Logs a clear error, stops whatever already started, and exits non-zero. */
function fail(message: string): never {
  log(`error: ${message}`);
  void shutdown(1, "start-up failed");
  throw new StartAborted(message);
}

process.on("exit", () => {
  for (const child of children.values()) signalGroup(child, "SIGKILL");
});

main().catch((err: Error) => {
  if (err instanceof StartAborted) return;
  log(`error: ${err.stack ?? err.message}`);
  void shutdown(1, "start-up failed");
});
