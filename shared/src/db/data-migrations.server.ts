import { appSecret, seal } from "../crypto/sealed.server.ts";
import { createPool } from "./pool.server.ts";

/**
 * Data changes that SQL migrations cannot make because they need AUTH_SECRET. Run by `migrate()`
 * after the SQL migrations; each is idempotent and cheap when there is nothing left to do.
 */
export async function runDataMigrations(databaseUrl: string): Promise<string[]> {
  const pool = createPool(databaseUrl, 1);
  try {
    const done: string[] = [];
    const sealed = await sealWebhookSecrets(pool);
    if (sealed > 0) done.push(`sealed ${sealed} webhook signing secret(s)`);
    return done;
  } finally {
    await pool.end();
  }
}

/** Migration 0083: each plaintext webhook secret → secret_sealed (bound to its endpoint id). */
export async function sealWebhookSecrets(pool: ReturnType<typeof createPool>): Promise<number> {
  const has = await pool.query(
    `SELECT 1 FROM information_schema.columns
      WHERE table_name = 'webhook_endpoints' AND column_name = 'secret_sealed'`,
  );
  if (has.rowCount === 0) return 0;
  const rows = await pool.query<{ id: string; secret: string }>(
    "SELECT id, secret FROM webhook_endpoints WHERE secret IS NOT NULL",
  );
  if (rows.rows.length === 0) return 0;
  const key = await appSecret();
  let n = 0;
  for (const r of rows.rows) {
    const u = await pool.query(
      `UPDATE webhook_endpoints SET secret_sealed = $2, secret = NULL
        WHERE id = $1 AND secret = $3`,
      [r.id, seal(key, "webhook-secret", r.secret, r.id), r.secret],
    );
    n += u.rowCount ?? 0;
  }
  return n;
}
