/**
 * CPU time of processes, from /proc (Linux), in microseconds: what a benchmark phase cost the
 * server and Postgres, a figure that holds up on a shared machine better than latency. Elsewhere
 * (no /proc) the functions return null and the benchmark leaves the figure out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

const TICK_US = 10_000; // USER_HZ is 100 on Linux

/** utime + stime of the processes, summed; null without /proc. */
export function cpuTicks(pids: number[]): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let total = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name (which may contain spaces) start at state (field 3).
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(f[11]) + Number(f[12])) * TICK_US;
    } catch {
      // The process is gone: its time is lost, the figure only counts live processes.
    }
  }
  return total;
}

/** Pids of the Postgres backends connected to `database` (their titles name it). */
export function postgresBackends(database: string): number[] {
  if (!existsSync("/proc/self/cmdline")) return [];
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const title = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (title.startsWith("postgres: ") && title.split(" ").includes(database))
        out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

/** Starts measuring; the returned function gives the CPU µs the processes used since, or null. */
export function cpuMeter(pids: number[]): () => number | null {
  const start = cpuTicks(pids);
  return () => {
    const now = cpuTicks(pids);
    return start === null || now === null ? null : now - start;
  };
}
