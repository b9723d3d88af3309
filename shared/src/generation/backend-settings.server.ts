import { z } from "zod";
import { appSecret, open, seal } from "../crypto/sealed.server.ts";
import type { Pool } from "../db/pool.server.ts";
import { isUuid, memberRole, type Queryable } from "../workspaces/db.server.ts";
import { atLeast } from "../workspaces/roles.ts";
import { BACKEND_CATALOG, catalogEntry } from "./capabilities.ts";

/**
 * Per-workspace model-backend configuration (Settings → Model backends): which backends are set
 * up, their API key (sealed, see ../crypto/sealed.server.ts; never returned again, only its last 4
 * characters), the ComfyUI server URL, the model, and the workspace's default backend. Owners
 * change it; every member can see what is configured (not the keys). The worker reads the
 * decrypted settings for each job (`loadBackendSecrets`).
 */

export class BackendSettingsRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "BackendSettingsRefusal";
  }
}

const configurable = BACKEND_CATALOG.filter((b) => b.workspaceConfig).map((b) => b.name);

export const saveBackendSchema = z.object({
  backend: z.string().refine((b) => configurable.includes(b), {
    message: `Choose one of ${configurable.join(", ")}.`,
  }),
  apiKey: z
    .string()
    .trim()
    .max(500, "An API key can be at most 500 characters.")
    .refine((k) => !/\s/.test(k), "An API key has no spaces.")
    .optional(),
  baseUrl: z
    .string()
    .trim()
    .max(500)
    .refine((u) => u === "" || /^https?:\/\/[^\s/]+/i.test(u), {
      message: "Enter the server's URL, e.g. http://gpu-box:8188.",
    })
    .optional(),
  model: z.string().trim().max(120).optional(),
});
export type SaveBackendInput = z.input<typeof saveBackendSchema>;

export interface BackendSettingView {
  backend: string;
  /** The last 4 characters of the stored key, or null when the backend uses none. */
  keyLast4: string | null;
  baseUrl: string | null;
  model: string | null;
  updatedAt: Date;
}

export interface WorkspaceBackends {
  configured: BackendSettingView[];
  defaultBackend: string | null;
}

/** What the worker gets for one backend: the opened key. */
export interface BackendSecrets {
  apiKey?: string;
  baseUrl?: string;
  model?: string;
}

async function requireRole(pool: Pool, userId: string, workspaceId: string, owner: boolean) {
  const role = await memberRole(pool, userId, workspaceId);
  if (!role) throw new BackendSettingsRefusal(404, "No such workspace.", "workspaceId");
  if (owner && !atLeast(role, "owner"))
    throw new BackendSettingsRefusal(
      403,
      `Only workspace owners configure model backends; you are a ${role}.`,
    );
}

export async function listWorkspaceBackends(
  pool: Queryable,
  workspaceId: string,
): Promise<WorkspaceBackends> {
  if (!isUuid(workspaceId)) return { configured: [], defaultBackend: null };
  const [rows, def] = await Promise.all([
    pool.query<{
      backend: string;
      secret_last4: string | null;
      base_url: string | null;
      model: string | null;
      updated_at: Date;
    }>(
      `SELECT backend, secret_last4, base_url, model, updated_at FROM workspace_model_backends
        WHERE workspace_id = $1 ORDER BY backend`,
      [workspaceId],
    ),
    pool.query<{ backend: string }>(
      "SELECT backend FROM workspace_default_backends WHERE workspace_id = $1",
      [workspaceId],
    ),
  ]);
  return {
    configured: rows.rows.map((r) => ({
      backend: r.backend,
      keyLast4: r.secret_last4,
      baseUrl: r.base_url,
      model: r.model,
      updatedAt: r.updated_at,
    })),
    defaultBackend: def.rows[0]?.backend ?? null,
  };
}

/** The settings view for a member (any role). */
export async function workspaceBackendsFor(
  pool: Pool,
  userId: string,
  workspaceId: string,
): Promise<WorkspaceBackends> {
  await requireRole(pool, userId, workspaceId, false);
  return listWorkspaceBackends(pool, workspaceId);
}

/**
 * Saves one backend's configuration. An empty `apiKey` keeps the stored one (the page never shows
 * it back); a new one replaces it.
 */
export async function saveWorkspaceBackend(
  pool: Pool,
  userId: string,
  workspaceId: string,
  input: SaveBackendInput,
): Promise<BackendSettingView> {
  await requireRole(pool, userId, workspaceId, true);
  const parsed = saveBackendSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BackendSettingsRefusal(400, issue.message, String(issue.path[0] ?? ""));
  }
  const v = parsed.data;
  const entry = catalogEntry(v.backend)!;
  const fields = entry.workspaceConfig!;
  const existing = await pool.query<{ secret_sealed: string | null }>(
    "SELECT secret_sealed FROM workspace_model_backends WHERE workspace_id = $1 AND backend = $2",
    [workspaceId, v.backend],
  );
  const apiKey = v.apiKey || undefined;
  if (fields.apiKey && !apiKey && !existing.rows[0]?.secret_sealed)
    throw new BackendSettingsRefusal(400, `Enter the ${entry.label} API key.`, "apiKey");
  if (fields.apiKey && apiKey && apiKey.length < 8)
    throw new BackendSettingsRefusal(400, "That API key is too short to be real.", "apiKey");
  const baseUrl = fields.baseUrl ? v.baseUrl?.replace(/\/+$/, "") || undefined : undefined;
  if (fields.baseUrl && !baseUrl)
    throw new BackendSettingsRefusal(
      400,
      `Enter the URL of your ${entry.label} server.`,
      "baseUrl",
    );
  const model = v.model || fields.models[0];
  if (model && fields.models.length > 0 && !fields.models.includes(model))
    throw new BackendSettingsRefusal(
      400,
      `${entry.label} models are ${fields.models.join(", ")}.`,
      "model",
    );
  const sealed = apiKey
    ? seal(await appSecret(), "model-backend-secret", apiKey, `${workspaceId}/${v.backend}`)
    : null;
  type Row = {
    backend: string;
    secret_last4: string | null;
    base_url: string | null;
    model: string | null;
    updated_at: Date;
  };
  // No new key for a stored one: an UPDATE (an INSERT's row would fail the table's check first).
  const r =
    existing.rows[0] && !sealed
      ? await pool.query<Row>(
          `UPDATE workspace_model_backends SET base_url = $3, model = $4, updated_by = $5,
                updated_at = now()
          WHERE workspace_id = $1 AND backend = $2
         RETURNING backend, secret_last4, base_url, model, updated_at`,
          [workspaceId, v.backend, baseUrl ?? null, model ?? null, userId],
        )
      : await pool.query<Row>(
          `INSERT INTO workspace_model_backends
       (workspace_id, backend, secret_sealed, secret_last4, base_url, model, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (workspace_id, backend) DO UPDATE SET
       secret_sealed = COALESCE(EXCLUDED.secret_sealed, workspace_model_backends.secret_sealed),
       secret_last4 = COALESCE(EXCLUDED.secret_last4, workspace_model_backends.secret_last4),
       base_url = EXCLUDED.base_url, model = EXCLUDED.model,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING backend, secret_last4, base_url, model, updated_at`,
          [
            workspaceId,
            v.backend,
            sealed,
            apiKey ? apiKey.slice(-4) : null,
            baseUrl ?? null,
            model ?? null,
            userId,
          ],
        );
  const row = r.rows[0]!;
  return {
    backend: row.backend,
    keyLast4: row.secret_last4,
    baseUrl: row.base_url,
    model: row.model,
    updatedAt: row.updated_at,
  };
}

export async function removeWorkspaceBackend(
  pool: Pool,
  userId: string,
  workspaceId: string,
  backend: string,
): Promise<void> {
  await requireRole(pool, userId, workspaceId, true);
  await pool.query(
    "DELETE FROM workspace_model_backends WHERE workspace_id = $1 AND backend = $2",
    [workspaceId, backend],
  );
  await pool.query(
    "DELETE FROM workspace_default_backends WHERE workspace_id = $1 AND backend = $2",
    [workspaceId, backend],
  );
}

/** Sets the workspace's default backend; it must be built in or configured here. */
export async function setDefaultBackend(
  pool: Pool,
  userId: string,
  workspaceId: string,
  backend: string,
  isUsable: (name: string, configured: readonly string[]) => string | undefined,
): Promise<void> {
  await requireRole(pool, userId, workspaceId, true);
  const { configured } = await listWorkspaceBackends(pool, workspaceId);
  const refusal = isUsable(
    backend,
    configured.map((c) => c.backend),
  );
  if (refusal) throw new BackendSettingsRefusal(400, refusal, "defaultBackend");
  await pool.query(
    `INSERT INTO workspace_default_backends (workspace_id, backend) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET backend = EXCLUDED.backend, updated_at = now()`,
    [workspaceId, backend],
  );
}

/** The worker's view: the opened key of one backend in one workspace (undefined if unset). */
export async function loadBackendSecrets(
  pool: Queryable,
  workspaceId: string,
  backend: string,
): Promise<BackendSecrets | undefined> {
  const r = await pool.query<{
    secret_sealed: string | null;
    base_url: string | null;
    model: string | null;
  }>(
    `SELECT secret_sealed, base_url, model FROM workspace_model_backends
      WHERE workspace_id = $1 AND backend = $2`,
    [workspaceId, backend],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    ...(row.secret_sealed
      ? {
          apiKey: open(
            await appSecret(),
            "model-backend-secret",
            row.secret_sealed,
            `${workspaceId}/${backend}`,
          ),
        }
      : {}),
    ...(row.base_url ? { baseUrl: row.base_url } : {}),
    ...(row.model ? { model: row.model } : {}),
  };
}

export async function projectWorkspace(q: Queryable, projectId: string): Promise<string | null> {
  if (!isUuid(projectId)) return null;
  const r = await q.query<{ workspace_id: string }>(
    "SELECT workspace_id FROM projects WHERE id = $1",
    [projectId],
  );
  return r.rows[0]?.workspace_id ?? null;
}
