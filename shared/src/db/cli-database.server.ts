import { env } from "../env.server.ts";
import { dataDir } from "../paths.server.ts";
import { migrate } from "./migrate.server.ts";
import { provisionDatabase } from "./provision.server.ts";
import { readRunState } from "./run-state.server.ts";

/**
 * For command-line tools (admin, benchmarks): runs `fn` with a migrated database URL. Uses
 * DATABASE_URL if set; else the embedded server of a running `npm start`; else starts the embedded
 * server just for the command and stops it afterwards.
 */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const e = env();
  const running = e.DATABASE_URL ? undefined : readRunState(dataDir());
  if (e.DATABASE_URL || running) {
    const url = e.DATABASE_URL ?? running!.databaseUrl;
    await migrate(url);
    return fn(url);
  }
  const db = await provisionDatabase({ dataDir: dataDir(), pgPort: e.PG_PORT });
  try {
    await migrate(db.url);
    return await fn(db.url);
  } finally {
    await db.embedded?.stop();
  }
}
