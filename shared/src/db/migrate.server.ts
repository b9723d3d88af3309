import { runner } from "node-pg-migrate";
import { migrationsDir } from "../paths.server.ts";
import { runDataMigrations } from "./data-migrations.server.ts";

/**
 * Applies every pending SQL migration in `migrations/` (node-pg-migrate, with its advisory lock so
 * that two processes starting together don't race), then the data migrations that need
 * AUTH_SECRET (./data-migrations.server.ts). Applying twice is a no-op.
 */
export async function migrate(
  databaseUrl: string,
  log: (l: string) => void = () => {},
): Promise<string[]> {
  const applied = await runner({
    databaseUrl,
    dir: migrationsDir,
    direction: "up",
    migrationsTable: "pgmigrations",
    checkOrder: false,
    log: (m: string) => log(m),
    logger: {
      debug: () => {},
      info: (m: string) => log(m),
      warn: (m: string) => log(m),
      error: (m: string) => log(m),
    },
  });
  for (const line of await runDataMigrations(databaseUrl)) log(line);
  return applied.map((m) => m.name);
}
