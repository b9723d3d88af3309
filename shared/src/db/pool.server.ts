import pg from "pg";

// int8 (bigint, count(*)) as JS numbers: our counters stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (err) => console.error(`[db] idle client error: ${err.message}`));
  const companion: Companion = { connectionString, max: Math.max(2, Math.ceil(max / 2)) };
  companions.set(pool, companion);
  // Ending the pool ends its generic-plan companion too.
  const end = pool.end.bind(pool) as () => Promise<void>;
  pool.end = (async () => {
    const generic = companion.generic;
    companion.generic = undefined;
    companion.ended = true;
    await Promise.all([generic?.end(), end()]);
  }) as typeof pool.end;
  return pool;
}

type Companion = { connectionString: string; max: number; generic?: pg.Pool; ended?: boolean };
const companions = new WeakMap<pg.Pool, Companion>();

/**
 * The pool's companion for statements that must run on generic plans: its connections have
 * `plan_cache_mode = force_generic_plan`. Batched statements (batch.server.ts) take their inputs
 * as arrays, and Postgres's default (auto) judged custom plans cheaper for the array lengths it
 * saw, so it planned the feed statements afresh on every execution (milliseconds each, more than
 * running them). Created on first use with half the pool's size; ended with the pool. A pool not
 * made by createPool is its own companion.
 */
export function genericPlanPool(pool: pg.Pool): pg.Pool {
  const c = companions.get(pool);
  if (!c || c.ended) return pool;
  if (!c.generic) {
    c.generic = new pg.Pool({
      connectionString: c.connectionString,
      max: c.max,
      options: "-c plan_cache_mode=force_generic_plan",
    });
    c.generic.on("error", (err) => console.error(`[db] idle client error: ${err.message}`));
  }
  return c.generic;
}

/** Runs `fn` in a transaction, rolling back on any error. */
export async function transaction<T>(
  pool: pg.Pool,
  fn: (c: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
