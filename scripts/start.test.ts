import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "@reelhouse/shared/db/embedded-postgres.server";
import { createDatabase } from "@reelhouse/shared/db/provision.server";
import { readRunState } from "@reelhouse/shared/db/run-state.server";
import { repoRoot } from "@reelhouse/shared/paths.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { WORKER_NODE_FLAGS } from "../workers/src/node-flags.ts";

/**
 * The launcher behind `npm start`, run for real: embedded Postgres, all services, Ctrl-C.
 * (It builds the web app first if the build is stale, so the first run can take a minute.)
 */
interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `group`: the launcher leads a process group of its own, as a shell's foreground job does. */
function launch(env: Record<string, string>, group = false): Launch {
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", DATABASE_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitFor(pred: () => boolean, ms: number, what: string, l: Launch): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; output:\n${l.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Processes whose command line mentions the data dir (postgres, children), excluding pgrep. */
function processesUsing(dir: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", dir]).toString().trim().split("\n").filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe("npm start (scripts/start.ts)", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "reelhouse-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("serves the app, stops every process on SIGINT, and finds the same data on the next start", async () => {
    const env = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      COLLAB_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
    };
    const first = launch(env);
    await waitFor(() => first.output().includes("ready: open"), 240_000, "the first start", first);
    const res = await fetch(`http://127.0.0.1:${env.PORT}/`);
    expect(res.status).toBe(200);
    // The worker runs with its Node flags (the render benchmark measures it so).
    const children = execFileSync("pgrep", ["-a", "-P", String(first.child.pid)]).toString();
    const worker = children.split("\n").find((l) => l.includes("workers/src/main.ts"));
    expect(worker, children).toBeDefined();
    for (const flag of WORKER_NODE_FLAGS) expect(worker).toContain(flag);
    const state = readRunState(dataDir)!;
    expect(state.pid).toBe(first.child.pid);
    const db = new pg.Client({ connectionString: state.databaseUrl });
    await db.connect();
    await db.query(
      `INSERT INTO users (email, username, password_hash, birthdate, is_minor) VALUES ('keep@example.com', 'keeper', 'x', '1990-01-01', false)`,
    );
    await db.end();

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
    expect(readRunState(dataDir)).toBeUndefined();

    const second = launch(env);
    await waitFor(
      () => second.output().includes("ready: open"),
      120_000,
      "the second start",
      second,
    );
    const db2 = new pg.Client({ connectionString: readRunState(dataDir)!.databaseUrl });
    await db2.connect();
    const found = await db2.query("SELECT username FROM users WHERE email = 'keep@example.com'");
    await db2.end();
    expect(found.rows).toEqual([{ username: "keeper" }]);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(processesUsing(dataDir)).toEqual([]);
  }, 400_000);

  it("Ctrl-C to the whole process group (as a terminal sends it): services stop first, then Postgres; exit 0 saying stopped", async () => {
    const dir = path.join(dataDir, "ctrl-c");
    const env = {
      DATA_DIR: dir,
      PORT: String(await freePort()),
      COLLAB_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
      SKIP_WEB_BUILD: "1",
    };
    const l = launch(env, true);
    await waitFor(() => l.output().includes("ready: open"), 180_000, "the start", l);
    // Postgres is not in the launcher's (the terminal's) process group.
    const pgPid = readFileSync(path.join(dir, "pg", "postmaster.pid"), "utf8").split("\n")[0]!;
    const groupOf = (pid: string | number) =>
      execFileSync("ps", ["-o", "pgid=", "-p", String(pid)])
        .toString()
        .trim();
    expect(groupOf(pgPid)).not.toBe(groupOf(l.child.pid!));

    process.kill(-l.child.pid!, "SIGINT");
    expect(await l.exited).toBe(0);
    const out = l.output();
    const servicesStopped = out.indexOf("the services have stopped");
    const pgStopping = out.indexOf("stopping the embedded Postgres");
    expect(servicesStopped, out).toBeGreaterThan(-1);
    expect(pgStopping).toBeGreaterThan(servicesStopped);
    expect(out.trimEnd().split("\n").at(-1)).toMatch(/\bstopped$/);
    // Nothing lost its database under it, and nothing had to be forced.
    expect(out).not.toMatch(
      /terminating connection due to administrator command|forcing \d+ to stop/,
    );
    expect(processesUsing(dir)).toEqual([]);
    expect(readRunState(dir)).toBeUndefined();
  }, 240_000);

  it("with DATABASE_URL it uses that server and starts no Postgres of its own", async () => {
    const dir = path.join(dataDir, "external");
    // A database of its own on the test server: its worker must not pick up other tests' jobs.
    const url = await createDatabase(testDatabaseUrl(), `reelhouse_start_${process.pid}`);
    const l = launch({
      DATA_DIR: dir,
      DATABASE_URL: url,
      PORT: String(await freePort()),
      COLLAB_PORT: String(await freePort()),
      PG_PORT: String(await freePort()),
    });
    await waitFor(() => l.output().includes("ready: open"), 120_000, "a start on DATABASE_URL", l);
    expect(l.output()).toContain("using the Postgres server at DATABASE_URL");
    expect(readRunState(dir)!.databaseUrl).toBe(url);
    expect(existsSync(path.join(dir, "pg"))).toBe(false);
    expect(processesUsing(path.join(dir, "pg"))).toEqual([]);
    l.child.kill("SIGTERM");
    expect(await l.exited).toBe(0);
    expect(processesUsing(dir)).toEqual([]);
  }, 180_000);

  it("refuses a port already in use with a message naming the port and its variable", async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((r) =>
      blocker.listen(0, () => r((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const l = launch({
        DATA_DIR: path.join(dataDir, "other"),
        PORT: String(port),
        COLLAB_PORT: String(await freePort()),
        PG_PORT: String(await freePort()),
      });
      expect(await l.exited).toBe(1);
      expect(l.output()).toContain(`Port ${port} is already in use. Set PORT to another port`);
      expect(processesUsing(path.join(dataDir, "other"))).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
