import type { StepConfig } from "@dbos-inc/dbos-sdk";

/**
 * Retry policies for steps. Transient failures (a busy API, an ffmpeg crash, a dropped database
 * connection) are retried with exponential backoff; permanent ones are not: a GenerationError with
 * `retryable: false` (bad input, a safety refusal, an API refusal) and a cancellation.
 */

interface Coded {
  name?: string;
  code?: string;
  retryable?: boolean;
}

export function isPermanent(err: unknown): boolean {
  const e = (err ?? {}) as Coded;
  if (e.name === "GenerationError" && e.retryable === false) return true;
  if (e.name === "FfmpegError" && e.code === "aborted") return true;
  if (e.name === "AbortError" || e.name === "DBOSWorkflowCancelledError") return true;
  return false;
}

/** Long media work: 4 attempts, 2 s, 4 s, 8 s apart. */
export const mediaRetry: StepConfig = {
  retriesAllowed: true,
  maxAttempts: 4,
  intervalSeconds: 2,
  backoffRate: 2,
  shouldRetry: (err) => !isPermanent(err),
};

/** Quick database writes: 5 attempts, 0.5 s doubling. */
export const dbRetry: StepConfig = {
  retriesAllowed: true,
  maxAttempts: 5,
  intervalSeconds: 0.5,
  backoffRate: 2,
  shouldRetry: (err) => !isPermanent(err),
};

/** Checks whose failure is an answer, not an accident. */
export const noRetry: StepConfig = { retriesAllowed: false };

/** The code and message to show for a failed job (unwrapping DBOS's max-retries error). */
export function describeFailure(err: unknown): { code: string; message: string } {
  let e = err as Coded & { message?: string; errors?: unknown[] };
  if (e?.name === "DBOSMaxStepRetriesError" && Array.isArray(e.errors) && e.errors.length > 0) {
    const last = e.errors.at(-1) as Coded & { message?: string };
    const failure = describeFailure(last);
    return {
      code: failure.code,
      message: `${failure.message} (gave up after ${e.errors.length} attempts)`,
    };
  }
  e = e ?? {};
  const code =
    e.name === "GenerationError" && e.code
      ? e.code
      : e.name === "FfmpegError"
        ? `ffmpeg_${e.code}`
        : "internal";
  return { code, message: e.message ?? String(err) };
}

export function isCancellation(err: unknown): boolean {
  const e = (err ?? {}) as Coded;
  return e.name === "DBOSWorkflowCancelledError" || e.name === "DBOSAwaitedWorkflowCancelledError";
}
