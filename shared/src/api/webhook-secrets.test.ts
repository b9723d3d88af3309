import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSealed } from "../crypto/sealed.server.ts";
import { sealWebhookSecrets } from "../db/data-migrations.server.ts";
import { migrate } from "../db/migrate.server.ts";
import { createPool, type Pool } from "../db/pool.server.ts";
import { createDatabase } from "../db/provision.server.ts";
import { resetEnvCache } from "../env.server.ts";
import { testDatabaseUrl, uniq } from "../testing/db.ts";
import { createEndpoint, endpointSecret } from "./webhooks.server.ts";

/** Migration 0083: webhook signing secrets sealed at rest, old plaintext rows sealed after migrating. */

let pool: Pool;
let dir: string;
let databaseUrl: string;
let userId: string;
let workspaceId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "webhook-secrets-"));
  process.env.DATA_DIR = dir;
  process.env.AUTH_SECRET = "webhook-secrets-test-secret-0123456789abcdef";
  resetEnvCache();
  databaseUrl = await createDatabase(testDatabaseUrl(), uniq("whsec_"));
  await migrate(databaseUrl);
  pool = createPool(databaseUrl, 2);
  const u = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${uniq("w")}@example.test`, uniq("w").slice(0, 20)],
  );
  userId = u.rows[0]!.id;
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ('W', $1) RETURNING id",
    [userId],
  );
  workspaceId = ws.rows[0]!.id;
  await pool.query("INSERT INTO workspace_members VALUES ($1, $2, 'owner')", [workspaceId, userId]);
});
afterAll(async () => {
  await pool?.end();
  delete process.env.AUTH_SECRET;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

type Row = { id: string; secret: string | null; secret_sealed: string | null };
const rowOf = async (id: string) =>
  (
    await pool.query<Row>("SELECT id, secret, secret_sealed FROM webhook_endpoints WHERE id = $1", [
      id,
    ])
  ).rows[0]!;

describe("webhook signing secrets at rest", () => {
  it("a new endpoint's secret is stored only sealed, and opens to the one shown", async () => {
    const { endpoint, secret } = await createEndpoint(pool, userId, workspaceId, {
      url: "https://example.com/hook",
    });
    const row = await rowOf(endpoint.id);
    expect(row.secret).toBeNull();
    expect(isSealed(row.secret_sealed!)).toBe(true);
    expect(row.secret_sealed).not.toContain(secret.slice(6, 20));
    expect(await endpointSecret(row)).toBe(secret);
  });

  it("seals the plaintext secrets of endpoints made before the migration, once", async () => {
    const legacy = "whsec_bGVnYWN5LXNlY3JldC1ieXRlcy0xMjM0NTY3OA==";
    const r = await pool.query<{ id: string }>(
      `INSERT INTO webhook_endpoints (workspace_id, created_by, url, secret, events)
       VALUES ($1, $2, 'https://example.com/old', $3, '{video.completed}') RETURNING id`,
      [workspaceId, userId, legacy],
    );
    const id = r.rows[0]!.id;
    expect(await endpointSecret(await rowOf(id))).toBe(legacy); // readable before sealing too
    expect(await sealWebhookSecrets(pool)).toBe(1);
    const row = await rowOf(id);
    expect(row.secret).toBeNull();
    expect(await endpointSecret(row)).toBe(legacy);
    expect(await sealWebhookSecrets(pool)).toBe(0);
    // migrate() runs the same pass: applying again is a no-op.
    await expect(migrate(databaseUrl)).resolves.toEqual([]);
  });

  it("refuses a row with neither secret (the table's check)", async () => {
    await expect(
      pool.query(
        `INSERT INTO webhook_endpoints (workspace_id, url, events) VALUES ($1, 'https://x.test', '{}')`,
        [workspaceId],
      ),
    ).rejects.toThrow(/webhook_endpoints_secret_present/);
  });
});
