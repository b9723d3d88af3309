import path from "node:path";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import { workflowKey } from "@reelhouse/shared/generation/jobs";
import { dataDir } from "@reelhouse/shared/paths.server";

/** Shared resources of the step modules in this worker process. */

let pool: Pool | undefined;

export function stepPool(): Pool {
  if (!pool) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: the worker needs the app database.");
    pool = createPool(url, 5);
  }
  return pool;
}

export async function closeStepPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.end();
}

/**
 * Where a workflow's files live. `outDir` holds only finished files (each renamed into place when
 * complete); `workDir` is scratch space, stable across retries and recoveries of the workflow and
 * removed once the draft is stored.
 */
export function jobDirs(workflowId: string): {
  outDir: string;
  workDir: string;
  relOutDir: string;
} {
  const key = workflowKey(workflowId);
  const relOutDir = path.join("generations", key);
  return {
    outDir: path.join(dataDir(), relOutDir),
    workDir: path.join(dataDir(), "work", key),
    relOutDir,
  };
}
