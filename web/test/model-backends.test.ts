import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * Settings → Model backends over HTTP: an owner sets up a backend (the key never comes back, only
 * its last 4), an editor sees the state but cannot change it, and the project's generate form
 * data (GET /projects/:id/jobs) offers the set-up backend with its capabilities and the default.
 */

const pool = testPool();
let app: TestApp;
let owner: Client;
let editor: Client;
let wsId: string;
let projectId: string;

const idOf = async (username: string) =>
  (await pool.query<{ id: string }>("SELECT id FROM users WHERE username = $1", [username]))
    .rows[0]!.id;

beforeAll(async () => {
  process.env.DATABASE_URL = testDatabaseUrl();
  app = await startTestApp();
  owner = new Client(app.url);
  editor = new Client(app.url);
  const ownerId = await idOf((await onboardOverHttp(owner, pool)).username);
  const editorId = await idOf((await onboardOverHttp(editor, pool)).username);
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
    [uniq("Backends "), ownerId],
  );
  wsId = ws.rows[0]!.id;
  await pool.query("INSERT INTO workspace_members VALUES ($1, $2, 'owner'), ($1, $3, 'editor')", [
    wsId,
    ownerId,
    editorId,
  ]);
  projectId = (
    await pool.query<{ id: string }>(
      "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Spot', $2) RETURNING id",
      [wsId, ownerId],
    )
  ).rows[0]!.id;
  await owner.get(`/settings/backends?workspace=${wsId}`);
  await editor.get(`/settings/backends?workspace=${wsId}`);
});

afterAll(async () => {
  await app?.close();
  await pool.end();
});

describe("Settings → Model backends", () => {
  it("lists every configurable backend as not set up, with what each can make", async () => {
    const page = await owner.get(`/settings/backends?workspace=${wsId}`);
    expect(page.status).toBe(200);
    for (const label of [
      "Google Veo (Gemini API)",
      "Runway",
      "fal (Wan 2.2, Kling 2.1)",
      "ComfyUI",
    ])
      expect(page.body).toContain(label);
    expect(page.body).toContain("not set up");
    expect(page.body).toContain("tested against a local server following its published API");
  });

  it("saves a key that is never shown again, only its last 4 characters", async () => {
    const res = await owner.post(`/settings/backends?workspace=${wsId}`, {
      intent: "save",
      workspaceId: wsId,
      backend: "veo",
      apiKey: "AIzaSy-page-secret-4321",
      model: "veo-3.1-generate-preview",
    });
    expect(res.status).toBe(200);
    const page = await owner.get(`/settings/backends?workspace=${wsId}`);
    expect(page.body).toContain("•••• 4321");
    expect(page.body).not.toContain("page-secret");
    const row = await pool.query(
      "SELECT secret_sealed FROM workspace_model_backends WHERE workspace_id = $1",
      [wsId],
    );
    expect(row.rows[0].secret_sealed).not.toContain("page-secret");
  });

  it("refuses an editor's change and a bad ComfyUI URL with a clear message", async () => {
    const res = await editor.post(`/settings/backends?workspace=${wsId}`, {
      intent: "save",
      workspaceId: wsId,
      backend: "runway",
      apiKey: "key_editor_12345678",
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain("Only workspace owners configure model backends");
    expect((await editor.get(`/settings/backends?workspace=${wsId}`)).body).toContain(
      "Only owners of",
    );
    const bad = await owner.post(`/settings/backends?workspace=${wsId}`, {
      intent: "save",
      workspaceId: wsId,
      backend: "comfyui",
      baseUrl: "not a url",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain("Enter the server&#x27;s URL");
  });

  it("offers the set-up backend to the project's generate form, with capabilities and the default", async () => {
    await owner.post(`/settings/backends?workspace=${wsId}`, {
      intent: "default",
      workspaceId: wsId,
      backend: "veo",
    });
    const res = await editor.get(`/projects/${projectId}/jobs`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as {
      backends: {
        name: string;
        capabilities: { sizes: string[]; durations: number[]; imageInput: boolean };
      }[];
      defaultBackend: string;
    };
    expect(body.defaultBackend).toBe("veo");
    const names = body.backends.map((b) => b.name);
    expect(names).toContain("previz");
    expect(names).toContain("veo");
    expect(names).not.toContain("runway");
    expect(body.backends.find((b) => b.name === "veo")!.capabilities).toMatchObject({
      sizes: ["1280x720", "720x1280"],
      durations: [4, 6, 8],
      imageInput: true,
    });
  });

  it("refuses a storyboard render (Render sequence) asking for what the backend cannot make, in the form's words, and queues nothing", async () => {
    const shot = (id: string, durationSeconds: number, size = "1280x720") => ({
      shotId: id,
      request: { prompt: { text: `Shot ${id}` }, durationSeconds, size },
    });
    const jobs = async () =>
      (
        await pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM generation_jobs WHERE project_id = $1",
          [projectId],
        )
      ).rows[0]!.n;
    const before = await jobs();
    const sequence = (shots: unknown[]) =>
      editor.postMultipart(`/projects/${projectId}/jobs`, {
        intent: "sequence",
        requestId: `seq-${uniq()}`,
        backend: "veo",
        shots: JSON.stringify(shots),
      });
    // A 7 s shot: Veo makes 4, 6 or 8 s (previz would take it).
    const seven = await sequence([shot("a", 4), shot("b", 7)]);
    expect(seven.status).toBe(400);
    expect(JSON.parse(seven.body)).toMatchObject({
      ok: false,
      error: "Shot 2: Google Veo (Gemini API) makes clips of 4, 6, 8 s, not 7 s.",
      field: "shots.1.request.durationSeconds",
    });
    // A size Veo does not make.
    const tall = await sequence([shot("a", 4, "1024x1792"), shot("b", 8, "1024x1792")]);
    expect(tall.status).toBe(400);
    expect(JSON.parse(tall.body).error).toBe(
      "Shot 1: Google Veo (Gemini API) cannot make 1024x1792: choose 1280x720 or 720x1280.",
    );
    // And one shot of the storyboard on its own ("Generate shot").
    const one = await editor.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "generate",
      requestId: `shot-${uniq()}`,
      shotId: "b",
      prompt: "Shot b",
      durationSeconds: "7",
      size: "1280x720",
      backend: "veo",
    });
    expect(one.status).toBe(400);
    expect(JSON.parse(one.body).field).toBe("durationSeconds");
    expect(await jobs()).toBe(before);
  });
});
