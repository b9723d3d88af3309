/**
 * Closed-loop HTTP load for bench/feed.ts: N connections, each sending its next request as soon as
 * the previous answer arrives, a different viewer on every request. Uses wrk (C, from Debian's
 * `wrk` package, installed here when missing and running as root) because the load generator
 * shares this machine's two cores with the server and Postgres: wrk spends ~45 µs of CPU per
 * request where autocannon (JavaScript) spends ~110-150 µs, CPU the server under test would
 * otherwise lose. Without wrk (not root, no apt) it falls back to autocannon and says so.
 */
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const here = path.dirname(fileURLToPath(import.meta.url));

export type LoadResult = {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
};

export type LoadGenerator = "wrk" | "autocannon";

export type LoadOptions = {
  port: number;
  pathname: string;
  seconds: number;
  connections: number;
  users: number;
};

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ["--version"], { stdio: "ignore" });
    return true;
  } catch (err) {
    // wrk --version prints its usage and exits 1: it exists. ENOENT means it does not.
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** wrk if it is installed or can be (root + apt-get), else autocannon. */
export function pickLoadGenerator(log: (m: string) => void): LoadGenerator {
  if (has("wrk")) return "wrk";
  if (process.getuid?.() === 0 && has("apt-get")) {
    log("installing Debian's wrk (the load generator)…");
    const apt = (...args: string[]) =>
      execFileSync("apt-get", args, {
        stdio: "ignore",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    const install = () => apt("install", "-y", "-qq", "--no-install-recommends", "wrk");
    try {
      install();
    } catch {
      apt("update", "-qq"); // a fresh machine has no package lists yet
      install();
    }
    if (has("wrk")) return "wrk";
  }
  log("wrk not available: falling back to autocannon, which takes more of the shared CPU");
  return "autocannon";
}

export async function load(gen: LoadGenerator, opts: LoadOptions): Promise<LoadResult> {
  return gen === "wrk" ? wrk(opts) : cannon(opts);
}

function wrk(opts: LoadOptions): Promise<LoadResult> {
  const args = [
    "-t1",
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    "-s",
    path.join(here, "feed-wrk.lua"),
    `http://127.0.0.1:${opts.port}`,
  ];
  const proc = spawn("wrk", args, {
    env: { ...process.env, WRK_PATH: opts.pathname, WRK_USERS: String(opts.users) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  proc.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  return new Promise((resolve, reject) => {
    proc.once("error", reject);
    proc.once("exit", (code) => {
      const line = out
        .trim()
        .split("\n")
        .findLast((l) => l.startsWith("{"));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited ${code}: ${out.slice(-500)}`));
        return;
      }
      const r = JSON.parse(line) as {
        requests: number;
        seconds: number;
        p50: number;
        p99: number;
        max: number;
        errors: number;
      };
      const ms = (x: number) => Math.round(x * 100) / 100;
      resolve({
        requests: r.requests,
        rps: Math.round(r.requests / r.seconds),
        p50: ms(r.p50),
        p99: ms(r.p99),
        max: ms(r.max),
        errors: r.errors,
      });
    });
  });
}

async function cannon(opts: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${opts.port}`,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          n = (n + 7_919) % opts.users;
          return { ...req, path: `${opts.pathname}?viewer=${n}` };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.non2xx,
  };
}
