import { genericPlanPool, type Pool, type PoolClient } from "./pool.server.ts";

/**
 * Request batching for hot statements (the DataLoader pattern): calls made on the same pool while
 * earlier ones are in flight are sent to Postgres as ONE statement over all their inputs (the
 * statement unnests arrays of arguments and runs its per-input query in a LATERAL join), and each
 * caller gets its own slice of the result.
 *
 * Why: on a busy server each round trip costs far more CPU in system calls (a `writev` to the
 * database socket, the wake-ups, Postgres's own receive and send) than the query itself costs to
 * plan; fifty concurrent feed requests as five statements instead of fifty is most of the feed
 * benchmark's gain (bench/README.md). A call that finds the pool idle waits only for the rest of
 * the current event-loop turn, so an unloaded server answers as fast as before.
 *
 * On a PoolClient (a transaction) the call runs alone on that client: a transaction's reads must
 * see its own writes. If a batch fails, its inputs run again one by one (in the failed batch's
 * place: they count against maxInFlight), so one bad input fails only its own caller.
 */
export type BatchRunner<I, O> = (q: Pool | PoolClient, inputs: readonly I[]) => Promise<O[]>;

export type BatchOptions = {
  /** Most inputs in one statement. */
  maxBatch?: number;
  /**
   * Most statements of this kind running at once on a pool (the rest queue and join batches). Two:
   * with more, on two cores, the feed benchmark's p99 was a few ms worse (more backends sharing them).
   */
  maxInFlight?: number;
};

type Waiting<I, O> = { input: I; resolve: (o: O) => void; reject: (e: unknown) => void };
type PoolState<I, O> = { queue: Waiting<I, O>[]; inFlight: number; scheduled: boolean };

const isClient = (q: Pool | PoolClient): q is PoolClient =>
  typeof (q as Partial<PoolClient>).release === "function";

export function batched<I, O>(
  run: BatchRunner<I, O>,
  { maxBatch = 16, maxInFlight = 2 }: BatchOptions = {},
): (q: Pool | PoolClient, input: I) => Promise<O> {
  const states = new WeakMap<Pool, PoolState<I, O>>();

  const runOne = async (q: Pool | PoolClient, input: I): Promise<O> => {
    const [out] = await run(q, [input]);
    return out as O;
  };

  const dispatch = (pool: Pool, state: PoolState<I, O>) => {
    state.scheduled = false;
    // Generic plans: planned once per connection, not on every execution (pool.server.ts).
    const generic = genericPlanPool(pool);
    while (state.inFlight < maxInFlight && state.queue.length > 0) {
      const batch = state.queue.splice(0, maxBatch);
      state.inFlight++;
      run(
        generic,
        batch.map((w) => w.input),
      )
        .then(
          (outs) => {
            for (const [i, w] of batch.entries()) w.resolve(outs[i] as O);
          },
          async (err) => {
            if (batch.length === 1) return batch[0]!.reject(err);
            // Isolate the failure: every input again on its own, one after another in this
            // batch's slot, so the reruns too keep to maxInFlight.
            for (const w of batch) await runOne(generic, w.input).then(w.resolve, w.reject);
          },
        )
        .finally(() => {
          state.inFlight--;
          schedule(pool, state);
        });
    }
  };

  const schedule = (pool: Pool, state: PoolState<I, O>) => {
    if (state.scheduled || state.queue.length === 0 || state.inFlight >= maxInFlight) return;
    state.scheduled = true;
    // The rest of this event-loop turn joins the batch: requests that arrived together.
    setImmediate(() => dispatch(pool, state));
  };

  return (q, input) => {
    if (isClient(q)) return runOne(q, input);
    let state = states.get(q);
    if (!state) {
      state = { queue: [], inFlight: 0, scheduled: false };
      states.set(q, state);
    }
    const s = state;
    return new Promise<O>((resolve, reject) => {
      s.queue.push({ input, resolve, reject });
      schedule(q, s);
    });
  };
}
