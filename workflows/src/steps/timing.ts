import { AsyncLocalStorage } from "node:async_hooks";
import { DBOS, type StepConfig } from "@dbos-inc/dbos-sdk";
import { env } from "@reelhouse/shared/env.server";

/**
 * Where a step's time goes. With STEP_TIMINGS=1 the worker prints one JSON line per step run:
 * `{"event":"step.timing","workflowId","step","ms","parts":{name: ms}}` — `ms` is the step
 * function's own wall time (without DBOS's checks before it and the checkpoint write after it),
 * `parts` the spans marked inside it with `span` (parts that run side by side each count their own
 * time). `bench/render-orchestration.ts` reads these lines next to DBOS's step records. Off, a
 * span is one AsyncLocalStorage lookup.
 */

const current = new AsyncLocalStorage<Record<string, number>>();

export interface StepTiming {
  workflowId: string;
  step: string;
  ms: number;
  parts: Record<string, number>;
}

/** Runs a step function, timing it and the spans inside it (logged when STEP_TIMINGS=1). */
export async function timed<T>(workflowId: string, step: string, fn: () => Promise<T>): Promise<T> {
  if (!env().STEP_TIMINGS) return fn();
  const parts: Record<string, number> = {};
  const t0 = performance.now();
  try {
    return await current.run(parts, fn);
  } finally {
    const line: StepTiming & { event: string } = {
      event: "step.timing",
      workflowId,
      step,
      ms: round(performance.now() - t0),
      parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])),
    };
    console.log(JSON.stringify(line));
  }
}

/** Marks a part of the running step (a no-op outside `timed`). Repeated names add up. */
export async function span<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const parts = current.getStore();
  if (!parts) return fn();
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    parts[name] = (parts[name] ?? 0) + performance.now() - t0;
  }
}

/** `DBOS.runStep` of a timed step function: the step's checkpoint name is also its timing name. */
export function runTimedStep<T>(
  workflowId: string,
  name: string,
  fn: () => Promise<T>,
  config: StepConfig,
): Promise<T> {
  return DBOS.runStep(() => timed(workflowId, name, fn), { name, ...config });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
