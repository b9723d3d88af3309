import path from "node:path";
import pg from "pg";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "./embedded-postgres.server.ts";

export interface ProvisionedDatabase {
  url: string;
  /** Set when this process started the embedded server (and so must stop it). */
  embedded?: EmbeddedPostgresHandle;
}

/** DATABASE_URL if given (starts nothing); else the embedded server under DATA_DIR/pg. */
export async function provisionDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  pgPort: number;
  log?: (l: string) => void;
}): Promise<ProvisionedDatabase> {
  if (opts.databaseUrl) return { url: opts.databaseUrl };
  const embedded = await startEmbeddedPostgres({
    dir: path.join(opts.dataDir, "pg"),
    port: opts.pgPort,
    log: opts.log,
  });
  return { url: embedded.url, embedded };
}

/** Creates a database (if missing) on the server of `serverUrl` and returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
