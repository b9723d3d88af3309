/**
 * CPU time of processes, from /proc (Linux), in microseconds: what a benchmark phase cost the
 * server and Postgres, a figure that holds up on a shared machine better than latency. Elsewhere
 * (no /proc) the functions return null and the benchmark leaves the figure out.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

const TICK_US = 10_000; // USER_HZ is 100 on Linux

/** utime + stime of the processes, summed (a process gone meanwhile counts 0); null without /proc. */
function cpuTicks(pids: number[]): number | null {
  if (!existsSync("/proc/self/stat")) return null;
  let total = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (f) total += (Number(f[11]) + Number(f[12])) * TICK_US;
  }
  return total;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, …]; null if gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** The postmaster of the cluster serving `database`: the parent of a backend connected to it. */
export function postmasterOf(database: string): number | null {
  if (!existsSync("/proc/self/cmdline")) return null;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const title = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (title.startsWith("postgres: ") && title.split(" ").includes(database)) {
        const ppid = Number(statFields(Number(d))?.[1]);
        if (ppid > 1) return ppid;
      }
    } catch {
      // gone
    }
  }
  return null;
}

/**
 * CPU µs of a whole Postgres cluster: the postmaster, its live children (backends, whenever they
 * connected, and background workers) and the children it has reaped (cutime + cstime), so
 * connections a pool opens or closes during a phase are counted too. null without /proc.
 */
function clusterTicks(postmaster: number): number | null {
  const own = statFields(postmaster);
  if (!own) return null;
  // utime, stime, cutime, cstime are fields 14-17 of stat: 11-14 after the command name.
  let total = (Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * TICK_US;
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(Number(d));
    if (f && Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) * TICK_US;
  }
  return total;
}

/** Starts measuring `read` (CPU µs so far); the returned function gives the µs since, or null. */
function meter(read: () => number | null): () => number | null {
  const start = read();
  return () => {
    const now = read();
    return start === null || now === null ? null : now - start;
  };
}

/** Starts measuring a cluster (see clusterTicks). */
export const clusterMeter = (postmaster: number | null) =>
  meter(() => (postmaster === null ? null : clusterTicks(postmaster)));

/** Starts measuring the processes' CPU. */
export const cpuMeter = (pids: number[]) => meter(() => cpuTicks(pids));
