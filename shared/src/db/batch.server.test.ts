import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPool } from "../testing/db.ts";
import { type BatchOptions, batched } from "./batch.server.ts";
import { type Pool, transaction } from "./pool.server.ts";

let pool: Pool;
beforeAll(() => {
  pool = testPool(8);
});
afterAll(async () => {
  await pool.end();
});

/** A real batched statement with a record of every run: its batch size and how many ran at once. */
function doubler(opts: BatchOptions) {
  const runs: number[] = [];
  let running = 0;
  const stats = { runs, maxRunning: 0 };
  const double = batched<number, { x: number; y: number }>(async (q, inputs) => {
    runs.push(inputs.length);
    stats.maxRunning = Math.max(stats.maxRunning, ++running);
    try {
      const r = await q.query<{ x: number; y: number }>(
        `SELECT x, x * 2 AS y FROM unnest($1::int[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
        [inputs],
      );
      return r.rows;
    } finally {
      running--;
    }
  }, opts);
  return { double, stats };
}

/** Each input cast to uuid inside the statement: one malformed input fails the whole statement. */
function uuidEcho(opts: BatchOptions) {
  const runs: number[] = [];
  let running = 0;
  const stats = { runs, maxRunning: 0 };
  const echo = batched<string, string>(async (q, inputs) => {
    runs.push(inputs.length);
    stats.maxRunning = Math.max(stats.maxRunning, ++running);
    try {
      const r = await q.query<{ id: string }>(
        `SELECT u::uuid::text AS id FROM unnest($1::text[]) WITH ORDINALITY AS t(u, i) ORDER BY i`,
        [inputs],
      );
      return r.rows.map((row) => row.id);
    } finally {
      running--;
    }
  }, opts);
  return { echo, stats };
}

describe("batched", () => {
  it("answers many concurrent calls on one pool with fewer statements, each caller its own result", async () => {
    const { double, stats } = doubler({ maxBatch: 8, maxInFlight: 2 });
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    const outs = await Promise.all(xs.map((x) => double(pool, x)));
    expect(outs).toEqual(xs.map((x) => ({ x, y: x * 2 })));
    expect(stats.runs.reduce((a, b) => a + b, 0)).toBe(100); // every input ran exactly once
    expect(stats.runs.length).toBeLessThan(100);
    expect(Math.max(...stats.runs)).toBeGreaterThan(1);
    expect(Math.max(...stats.runs)).toBeLessThanOrEqual(8); // maxBatch
    expect(stats.maxRunning).toBeLessThanOrEqual(2); // maxInFlight
  });

  it("keeps batches apart per pool", async () => {
    const other = testPool(2);
    try {
      const { double, stats } = doubler({ maxBatch: 50, maxInFlight: 1 });
      const outs = await Promise.all([
        ...[1, 2, 3].map((x) => double(pool, x)),
        ...[4, 5].map((x) => double(other, x)),
      ]);
      expect(outs.map((o) => o.y)).toEqual([2, 4, 6, 8, 10]);
      expect([...stats.runs].sort()).toEqual([2, 3]);
    } finally {
      await other.end();
    }
  });

  it("runs a single call on an idle pool as a batch of one", async () => {
    const { double, stats } = doubler({ maxBatch: 8, maxInFlight: 2 });
    expect(await double(pool, 21)).toEqual({ x: 21, y: 42 });
    expect(stats.runs).toEqual([1]);
  });

  it("runs each call on a PoolClient alone, inside the transaction that sees its own uncommitted write", async () => {
    const table = `batch_tx_${process.pid}`;
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (k int PRIMARY KEY, v text)`);
    const runs: number[] = [];
    const lookup = batched<number, string | null>(async (q, keys) => {
      runs.push(keys.length);
      const r = await q.query<{ v: string | null }>(
        `SELECT t.v FROM unnest($1::int[]) WITH ORDINALITY AS k(k, i)
           LEFT JOIN ${table} t ON t.k = k.k ORDER BY k.i`,
        [keys],
      );
      return r.rows.map((row) => row.v);
    });
    try {
      await expect(
        transaction(pool, async (c) => {
          await c.query(`INSERT INTO ${table} (k, v) VALUES (1, 'mine')`);
          const [inTx, none, onPool] = await Promise.all([
            lookup(c, 1),
            lookup(c, 2),
            lookup(pool, 1),
          ]);
          expect(inTx).toBe("mine"); // the transaction's own write
          expect(none).toBeNull();
          expect(onPool).toBeNull(); // not committed: invisible to the pool
          throw new Error("roll back");
        }),
      ).rejects.toThrow("roll back");
      expect(runs).toEqual([1, 1, 1]); // the client's calls ran alone, not batched together
    } finally {
      await pool.query(`DROP TABLE ${table}`);
    }
  });

  it("fails only the caller whose input breaks the statement; the rest of its batch get their results", async () => {
    const { echo, stats } = uuidEcho({ maxBatch: 16, maxInFlight: 4 });
    const good = (
      await pool.query<{ id: string }>(
        "SELECT gen_random_uuid()::text AS id FROM generate_series(1, 4)",
      )
    ).rows.map((r) => r.id);
    const inputs = [good[0]!, good[1]!, "not-a-uuid", good[2]!, good[3]!];
    const settled = await Promise.allSettled(inputs.map((u) => echo(pool, u)));
    expect(stats.runs[0]).toBe(5); // they were batched together, and that statement failed
    expect(settled.map((s) => s.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect(settled.filter((s) => s.status === "fulfilled").map((s) => s.value)).toEqual(good);
    const err = (settled[2] as PromiseRejectedResult).reason as { code?: string; message: string };
    expect(err.code).toBe("22P02"); // invalid_text_representation, from Postgres
    expect(err.message).toContain("not-a-uuid");
  });

  it("keeps to maxInFlight while a failed batch reruns its inputs one by one", async () => {
    const { echo, stats } = uuidEcho({ maxBatch: 6, maxInFlight: 2 });
    const inputs = Array.from({ length: 12 }, (_, i) =>
      i === 0 ? "bad" : `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`,
    );
    const settled = await Promise.allSettled(inputs.map((u) => echo(pool, u)));
    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(1);
    expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ code: "22P02" });
    expect(settled.slice(1).map((s) => (s as PromiseFulfilledResult<string>).value)).toEqual(
      inputs.slice(1),
    );
    expect(stats.runs.slice(0, 2)).toEqual([6, 6]);
    expect(stats.maxRunning).toBeLessThanOrEqual(2);
  });
});

describe("generic plans for batched statements", () => {
  it("runs batched statements on generic plans (auto mode re-planned them on every execution)", async () => {
    const own = testPool(2);
    try {
      const probe = batched<number, { plans: string }>(async (q, inputs) => {
        const r = await q.query<{ plans: string }>({
          name: "batch_test_generic_probe",
          text: `SELECT x, (SELECT generic_plans || '/' || custom_plans FROM pg_prepared_statements
                             WHERE name = 'batch_test_generic_probe') AS plans
                   FROM unnest($1::int[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
          values: [inputs],
        });
        return r.rows;
      });
      // One call at a time: every execution lands on the companion's one busy connection.
      let last = "";
      for (let i = 0; i < 8; i++) last = (await probe(own, i)).plans;
      const [generic, custom] = last.split("/").map(Number);
      expect(custom).toBe(0);
      expect(generic).toBeGreaterThan(0);
      // The same statement on the pool itself (auto mode) starts with custom plans.
      const direct = await own.query<{ plans: string }>({
        name: "batch_test_generic_probe",
        text: `SELECT x, (SELECT generic_plans || '/' || custom_plans FROM pg_prepared_statements
                           WHERE name = 'batch_test_generic_probe') AS plans
                 FROM unnest($1::int[]) WITH ORDINALITY AS t(x, i) ORDER BY i`,
        values: [[1]],
      });
      expect(Number(direct.rows[0]!.plans.split("/")[1])).toBeGreaterThan(0);
    } finally {
      await own.end();
    }
  });
});
