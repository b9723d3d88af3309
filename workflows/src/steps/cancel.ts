import { DBOS } from "@dbos-inc/dbos-sdk";

/** The signal that aborts this step's work when its workflow is cancelled (or the step times out). */
export function stepSignal(): AbortSignal {
  const status = DBOS.stepStatus;
  if (!status) return new AbortController().signal;
  const signals = [status.cancelSignal, status.timeoutSignal].filter((s): s is AbortSignal =>
    Boolean(s),
  );
  return signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
}
