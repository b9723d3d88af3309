import { createPool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import { createLogger } from "./log.ts";
import { createCollabServer } from "./server.ts";

/**
 * Process entry: `node --import tsx collab-server/src/main.ts`. Reads DATABASE_URL, AUTH_SECRET,
 * COLLAB_PORT, HOST and LOG_LEVEL; on SIGTERM/SIGINT compacts every open document to Postgres
 * and exits 0.
 */
const e = env();
const log = createLogger(e.LOG_LEVEL);
if (!e.DATABASE_URL || !e.AUTH_SECRET) {
  log("error", "DATABASE_URL and AUTH_SECRET are required (the launcher sets both)");
  process.exit(1);
}
const pool = createPool(e.DATABASE_URL, 10);
const collab = await createCollabServer({
  pool,
  secret: e.AUTH_SECRET,
  port: e.COLLAB_PORT,
  host: e.HOST,
  log,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("info", "shutting down", { signal });
  try {
    await collab.close();
    await pool.end();
    process.exit(0);
  } catch (err) {
    log("error", "shutdown failed", { error: (err as Error).message });
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
