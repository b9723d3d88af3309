import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSealed } from "../crypto/sealed.server.ts";
import { migrate } from "../db/migrate.server.ts";
import { createPool, type Pool } from "../db/pool.server.ts";
import { createDatabase } from "../db/provision.server.ts";
import { resetEnvCache } from "../env.server.ts";
import { testDatabaseUrl, uniq } from "../testing/db.ts";
import {
  loadBackendSecrets,
  removeWorkspaceBackend,
  saveWorkspaceBackend,
  setDefaultBackend,
  workspaceBackendsFor,
} from "./backend-settings.server.ts";
import { backendRefusal } from "./registry.server.ts";
import { createGenerationService, type GenerationService } from "./service.server.ts";

/**
 * Settings → Model backends against real Postgres: keys sealed at rest and never read back (only
 * the last 4), owners only, and the generation service refusing backends a workspace has not set
 * up or requests its backend cannot make. No worker runs: accepted jobs stay ENQUEUED.
 */

let pool: Pool;
let service: GenerationService;
let dir: string;
let workspaceId: string;
let otherWorkspaceId: string;
let projectId: string;
let ownerId: string;
let editorId: string;
let outsiderId: string;

async function user(name: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${name}@example.test`, name],
  );
  return r.rows[0]!.id;
}
async function workspace(owner: string, members: [string, string][]): Promise<string> {
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ('W', $1) RETURNING id",
    [owner],
  );
  for (const [id, role] of [[owner, "owner"], ...members])
    await pool.query("INSERT INTO workspace_members VALUES ($1, $2, $3)", [
      ws.rows[0]!.id,
      id,
      role,
    ]);
  return ws.rows[0]!.id;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "backend-settings-"));
  process.env.DATA_DIR = dir;
  process.env.AUTH_SECRET = "backend-settings-test-secret-0123456789abcdef";
  resetEnvCache();
  const databaseUrl = await createDatabase(testDatabaseUrl(), uniq("backends_"));
  await migrate(databaseUrl);
  pool = createPool(databaseUrl, 3);
  const tag = uniq("b").slice(0, 20);
  ownerId = await user(`${tag}_o`);
  editorId = await user(`${tag}_e`);
  outsiderId = await user(`${tag}_x`);
  workspaceId = await workspace(ownerId, [[editorId, "editor"]]);
  otherWorkspaceId = await workspace(outsiderId, []);
  projectId = (
    await pool.query<{ id: string }>(
      "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'P', $2) RETURNING id",
      [workspaceId, ownerId],
    )
  ).rows[0]!.id;
  service = await createGenerationService({ pool, databaseUrl });
});

afterAll(async () => {
  await service?.close();
  await pool?.end();
  delete process.env.AUTH_SECRET;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const rid = () => `req-${Date.now().toString(36)}-${++n}`;
const fail = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Record<string, unknown>,
  );

describe("workspace model-backend settings", () => {
  it("stores the API key sealed, shows only its last 4, and opens it for the worker", async () => {
    const saved = await saveWorkspaceBackend(pool, ownerId, workspaceId, {
      backend: "veo",
      apiKey: "AIzaSyD-secret-key-9876",
      model: "veo-3.1-fast-generate-preview",
    });
    expect(saved).toMatchObject({
      backend: "veo",
      keyLast4: "9876",
      model: "veo-3.1-fast-generate-preview",
    });
    const row = await pool.query("SELECT * FROM workspace_model_backends WHERE workspace_id = $1", [
      workspaceId,
    ]);
    expect(JSON.stringify(row.rows)).not.toContain("secret-key");
    expect(isSealed(row.rows[0].secret_sealed)).toBe(true);
    const view = await workspaceBackendsFor(pool, editorId, workspaceId);
    expect(JSON.stringify(view)).not.toContain("secret-key");
    expect(view.configured[0]).toMatchObject({ backend: "veo", keyLast4: "9876" });
    expect(await loadBackendSecrets(pool, workspaceId, "veo")).toEqual({
      apiKey: "AIzaSyD-secret-key-9876",
      model: "veo-3.1-fast-generate-preview",
    });
  });

  it("keeps the stored key when saved again without one, replaces it with a new one", async () => {
    await saveWorkspaceBackend(pool, ownerId, workspaceId, {
      backend: "veo",
      apiKey: "",
      model: "veo-3.0-generate-001",
    });
    expect((await loadBackendSecrets(pool, workspaceId, "veo"))?.apiKey).toBe(
      "AIzaSyD-secret-key-9876",
    );
    await saveWorkspaceBackend(pool, ownerId, workspaceId, {
      backend: "veo",
      apiKey: "AIzaSyD-new-key-1111",
    });
    expect((await loadBackendSecrets(pool, workspaceId, "veo"))?.apiKey).toBe(
      "AIzaSyD-new-key-1111",
    );
  });

  it("a sealed key copied into another workspace does not open there", async () => {
    await pool.query(
      `INSERT INTO workspace_model_backends (workspace_id, backend, secret_sealed, secret_last4)
       SELECT $2, backend, secret_sealed, secret_last4 FROM workspace_model_backends
        WHERE workspace_id = $1 AND backend = 'veo'`,
      [workspaceId, otherWorkspaceId],
    );
    await expect(loadBackendSecrets(pool, otherWorkspaceId, "veo")).rejects.toThrow(
      /cannot be decrypted/,
    );
    await pool.query("DELETE FROM workspace_model_backends WHERE workspace_id = $1", [
      otherWorkspaceId,
    ]);
  });

  it.each([
    [
      "an editor",
      () => editorId,
      { backend: "runway", apiKey: "key_12345678" },
      403,
      /Only workspace owners/,
    ],
    [
      "an outsider",
      () => outsiderId,
      { backend: "runway", apiKey: "key_12345678" },
      404,
      /No such workspace/,
    ],
    ["a missing key", () => ownerId, { backend: "runway" }, 400, /Enter the Runway API key/],
    ["a short key", () => ownerId, { backend: "runway", apiKey: "abc" }, 400, /too short/],
    [
      "an unknown model",
      () => ownerId,
      { backend: "fal", apiKey: "fal-1234:5678", model: "sdxl" },
      400,
      /models are wan-2.2, kling-2.1/,
    ],
    ["a ComfyUI without URL", () => ownerId, { backend: "comfyui" }, 400, /Enter the URL/],
    [
      "a ComfyUI URL that is not one",
      () => ownerId,
      { backend: "comfyui", baseUrl: "gpu-box:8188" },
      400,
      /server's URL/,
    ],
    [
      "a built-in backend",
      () => ownerId,
      { backend: "previz" },
      400,
      /Choose one of veo, runway, fal, comfyui/,
    ],
  ])("refuses %s", async (_name, who, input, status, message) => {
    const err = await fail(saveWorkspaceBackend(pool, who(), workspaceId, input));
    expect(err).toMatchObject({ name: "BackendSettingsRefusal", status });
    expect(String(err?.message)).toMatch(message);
  });

  it("sets a default backend only to one the workspace can run", async () => {
    const refuse = (name: string, configured: readonly string[]) =>
      backendRefusal(name, configured);
    const err = await fail(setDefaultBackend(pool, ownerId, workspaceId, "runway", refuse));
    expect(String(err?.message)).toContain("not set up in this workspace");
    await setDefaultBackend(pool, ownerId, workspaceId, "veo", refuse);
    expect((await workspaceBackendsFor(pool, ownerId, workspaceId)).defaultBackend).toBe("veo");
  });
});

describe("the generation service and the workspace's backends", () => {
  const good = {
    prompt: { text: "A lighthouse in a storm" },
    durationSeconds: 8,
    size: "1280x720",
  };

  it("refuses a backend the workspace has not set up, saying where to set it up", async () => {
    const err = await fail(
      service.submitGeneration(editorId, {
        projectId,
        requestId: rid(),
        backend: "runway",
        request: good,
      }),
    );
    expect(err).toMatchObject({ code: "unknown_backend", status: 400, field: "backend" });
    expect(String(err?.message)).toContain("Settings → Model backends");
  });

  it.each([
    ["a size it cannot make", { ...good, size: "1024x1792" }, "size", "cannot make 1024x1792"],
    [
      "a duration it cannot make",
      { ...good, durationSeconds: 10 },
      "durationSeconds",
      "4, 6, 8 s, not 10 s",
    ],
  ])("refuses %s for the chosen backend, creating nothing", async (_n, request, field, message) => {
    const err = await fail(
      service.submitGeneration(editorId, { projectId, requestId: rid(), backend: "veo", request }),
    );
    expect(err).toMatchObject({ code: "unsupported_by_backend", status: 400, field });
    expect(String(err?.message)).toContain(message);
    const jobs = await pool.query(
      "SELECT count(*)::int AS n FROM generation_jobs WHERE backend = 'veo'",
    );
    expect(jobs.rows[0].n).toBe(0);
  });

  it("refuses every storyboard shot its backend cannot make, naming the shot", async () => {
    const err = await fail(
      service.submitSequence(editorId, {
        projectId,
        requestId: rid(),
        backend: "veo",
        shots: [
          { shotId: "a", request: good },
          { shotId: "b", request: { ...good, durationSeconds: 12 } },
        ],
      }),
    );
    expect(err).toMatchObject({
      code: "unsupported_by_backend",
      field: "shots.1.request.durationSeconds",
    });
  });

  it("accepts what the backend can make, and uses the workspace default when none is named", async () => {
    const named = await service.submitGeneration(editorId, {
      projectId,
      requestId: rid(),
      backend: "veo",
      request: good,
    });
    expect(named.job.backend).toBe("veo");
    const defaulted = await service.submitGeneration(editorId, {
      projectId,
      requestId: rid(),
      request: good,
    });
    expect(defaulted.job.backend).toBe("veo");
  });

  it("forgets a removed backend: no longer offered, no longer accepted", async () => {
    await removeWorkspaceBackend(pool, ownerId, workspaceId, "veo");
    expect((await workspaceBackendsFor(pool, ownerId, workspaceId)).configured).toEqual([]);
    const err = await fail(
      service.submitGeneration(editorId, {
        projectId,
        requestId: rid(),
        backend: "veo",
        request: good,
      }),
    );
    expect(err).toMatchObject({ code: "unknown_backend" });
    const defaulted = await service.submitGeneration(editorId, {
      projectId,
      requestId: rid(),
      request: good,
    });
    expect(defaulted.job.backend).toBe("previz");
  });
});
