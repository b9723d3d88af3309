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
export function clusterTicks(postmaster: number): number | null {
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

/** Starts measuring a cluster; the returned function gives its CPU µs since, or null. */
export function clusterMeter(postmaster: number | null): () => number | null {
  const start = postmaster === null ? null : clusterTicks(postmaster);
  return () => {
    const now = postmaster === null ? null : clusterTicks(postmaster);
    return start === null || now === null ? null : now - start;
  };
}

/** Starts measuring; the returned function gives the CPU µs the processes used since, or null. */
export function cpuMeter(pids: number[]): () => number | null {
  const start = cpuTicks(pids);
  return () => {
    const now = cpuTicks(pids);
    return start === null || now === null ? null : now - start;
  };
}
