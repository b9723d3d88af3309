import { afterAll, describe, expect, it } from "vitest";
import { testDatabaseUrl, testPool } from "../testing/db.ts";
import { migrate } from "./migrate.server.ts";

describe("migrations", () => {
  const pool = testPool();
  afterAll(() => pool.end());

  it("applying the migrations a second time is a no-op", async () => {
    const before = await pool.query("SELECT count(*)::int AS n FROM pgmigrations");
    const applied = await migrate(testDatabaseUrl());
    const after = await pool.query("SELECT count(*)::int AS n FROM pgmigrations");
    expect(applied).toEqual([]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(before.rows[0].n).toBeGreaterThan(0);
  });
});
