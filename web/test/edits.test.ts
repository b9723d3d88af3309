import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * The edit routes over real HTTP (built app, real Postgres, the real edit service and DBOS client;
 * no worker, so a render stays queued): open drafts in an edit, read it, render, export CSV / EDL,
 * and the refusals — another project's edit or draft is 404, a viewer may not render, a hostile
 * LUT is refused with its reason — each writing nothing.
 */

process.env.DATABASE_URL = testDatabaseUrl();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "rh-edit-http-"));
process.env.DATA_DIR = dataDir;

const pool = testPool();
let app: TestApp;
let owner: Client;
let viewer: Client;
let outsider: Client;
let projectId: string;
let otherProjectId: string;
let draftA: string;
let draftB: string;
let foreignDraft: string;

const json = (res: { body: string }) => JSON.parse(res.body);
async function userId(username: string): Promise<string> {
  return (
    await pool.query<{ id: string }>("SELECT id FROM users WHERE lower(username) = lower($1)", [
      username,
    ])
  ).rows[0]!.id;
}
async function project(ownerId: string, members: [string, string][] = []): Promise<string> {
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
    [uniq("W"), ownerId],
  );
  for (const [id, role] of [[ownerId, "owner"] as [string, string], ...members])
    await pool.query("INSERT INTO workspace_members VALUES ($1, $2, $3)", [
      ws.rows[0]!.id,
      id,
      role,
    ]);
  return (
    await pool.query<{ id: string }>(
      "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Harbor', $2) RETURNING id",
      [ws.rows[0]!.id, ownerId],
    )
  ).rows[0]!.id;
}
async function draft(pid: string, uid: string, frames: number): Promise<string> {
  const m = await pool.query<{ id: string }>(
    "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
    [uid],
  );
  const probe = { video: { fps: 30, frames, width: 720, height: 1280 } };
  return (
    await pool.query<{ id: string }>(
      `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id, poster_media_id, sprite_media_id,
         video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
       VALUES ($1, $2, $3, 'clip', 'previz', 'a harbor at dawn', $4, $4, $4, 'v.mp4', 'p.jpg', 's.jpg', '{}', $5, $6, 720, 1280) RETURNING id`,
      [
        uniq("wf"),
        pid,
        uid,
        m.rows[0]!.id,
        JSON.stringify(probe),
        Math.round((frames / 30) * 1000),
      ],
    )
  ).rows[0]!.id;
}
const counts = async () =>
  (
    await pool.query<{ n: string }>(
      "SELECT (SELECT count(*) FROM edits) + (SELECT count(*) FROM generation_jobs) + (SELECT count(*) FROM media) AS n",
    )
  ).rows[0]!.n;

beforeAll(async () => {
  app = await startTestApp();
  owner = new Client(app.url);
  viewer = new Client(app.url);
  outsider = new Client(app.url);
  const o = await onboardOverHttp(owner, pool);
  const v = await onboardOverHttp(viewer, pool);
  const x = await onboardOverHttp(outsider, pool);
  const ownerId = await userId(o.username);
  const outsiderId = await userId(x.username);
  projectId = await project(ownerId, [[await userId(v.username), "viewer"]]);
  otherProjectId = await project(outsiderId);
  draftA = await draft(projectId, ownerId, 120);
  draftB = await draft(projectId, ownerId, 90);
  foreignDraft = await draft(otherProjectId, outsiderId, 30);
  for (const [c, pid] of [
    [owner, projectId],
    [viewer, projectId],
    [outsider, otherProjectId],
  ] as const)
    await c.get(`/projects/${pid}`);
});

afterAll(async () => {
  await app?.close();
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("edit routes over HTTP", () => {
  it("opens drafts in an edit, reads it, renders it (a queued edit job) and exports CSV and EDL", async () => {
    const created = await owner.post(`/projects/${projectId}/edits`, {
      draftIds: `${draftA},${draftB}`,
      title: "Harbor cut",
    });
    expect(created.status).toBe(201);
    const { edit, docName } = json(created);
    expect(docName).toBe(`project.${projectId}.edit-${edit.id}`);
    expect(edit.edl.clips.map((c: { outFrame: number }) => c.outFrame)).toEqual([120, 90]);
    const read = await viewer.get(`/projects/${projectId}/edits/${edit.id}`);
    expect(read.status).toBe(200);
    expect(json(read).edit.sources[draftA].frames).toBe(120);

    const edl = {
      ...edit.edl,
      clips: [{ ...edit.edl.clips[0], inFrame: 10, outFrame: 70 }, edit.edl.clips[1]],
    };
    const render = await owner.post(`/projects/${projectId}/edits/${edit.id}`, {
      intent: "render",
      requestId: `press-${uniq()}`,
      edl: JSON.stringify(edl),
    });
    expect(render.status).toBe(201);
    const { workflowId } = json(render);
    const job = await pool.query(
      "SELECT kind, status, backend FROM generation_jobs WHERE workflow_id = $1",
      [workflowId],
    );
    expect(job.rows[0]).toEqual({ kind: "edit", status: "queued", backend: "edit" });

    const csv = await viewer.get(`/projects/${projectId}/edits/${edit.id}/export/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toContain('filename="Harbor-cut.csv"');
    expect(csv.body).toContain(`"${draftA}"`);
    const cmx = await viewer.get(`/projects/${projectId}/edits/${edit.id}/export/edl`);
    expect(cmx.body).toMatch(/^TITLE: Harbor cut\nFCM: NON-DROP FRAME\n\n001 {2}/);
    expect(cmx.body).toContain("00:00:00:10 00:00:02:10 01:00:00:00 01:00:02:00");
  });

  it("refuses, writing nothing: an outsider, another project's draft, a viewer's render, bad values, a hostile LUT", async () => {
    const { edit } = json(await owner.post(`/projects/${projectId}/edits`, { draftIds: draftA }));
    const before = await counts();
    expect((await outsider.get(`/projects/${projectId}/edits/${edit.id}`)).status).toBe(404);
    expect((await outsider.get(`/projects/${otherProjectId}/edits/${edit.id}`)).status).toBe(404);
    expect((await outsider.get(`/projects/${projectId}/edits/${edit.id}/export/csv`)).status).toBe(
      404,
    );
    const sneaky = await owner.post(`/projects/${projectId}/edits`, { draftIds: foreignDraft });
    expect(sneaky.status).toBe(404);
    expect(json(sneaky)).toMatchObject({ ok: false, code: "not_found" });
    const byViewer = await viewer.post(`/projects/${projectId}/edits/${edit.id}`, {
      intent: "render",
      requestId: `press-${uniq()}`,
      edl: JSON.stringify(edit.edl),
    });
    expect(byViewer.status).toBe(403);
    const tooFast = await owner.post(`/projects/${projectId}/edits/${edit.id}`, {
      intent: "render",
      requestId: `press-${uniq()}`,
      edl: JSON.stringify({ ...edit.edl, speed: [{ frame: 0, speed: 9 }] }),
    });
    expect(tooFast.status).toBe(400);
    expect(json(tooFast).field).toBe("speed.0.speed");
    const lut = await owner.postMultipart(
      `/projects/${projectId}/edits/${edit.id}`,
      { intent: "lut" },
      {
        field: "lut",
        filename: "evil.cube",
        contentType: "application/octet-stream",
        data: Buffer.from("LUT_3D_SIZE 2\n0 0 0\nInfinity 1 1\n"),
      },
    );
    expect(lut.status).toBe(400);
    expect(json(lut).error).toMatch(
      /This LUT can't be used: "Infinity" is not a number \(line 3\)/,
    );
    expect(await counts()).toBe(before);
  });
});
