import { inject } from "vitest";
import { createPool, type Pool } from "../db/pool.server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** The URL of the test run's migrated database (see global-setup.ts). */
export function testDatabaseUrl(): string {
  return inject("databaseUrl");
}

/** A pool on the test database; close it in afterAll. */
export function testPool(max = 5): Pool {
  return createPool(testDatabaseUrl(), max);
}

/** A unique suffix for names that must not collide between test files sharing the database. */
export function uniq(prefix = "t"): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}
