import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { testDatabaseUrl, testPool, uniq } from "@reelhouse/shared/testing/db";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * The generation routes over real HTTP (built app, real Postgres, the real generation service and
 * DBOS client; no worker runs here, so accepted jobs stay queued): submit, duplicate submit, the
 * refusals (message shown, nothing written), access (someone else's project or draft is 404),
 * cancel, and draft files served with byte ranges.
 */

// Before anything reads env(): the service's DBOS client needs DATABASE_URL; small upload limit.
const MAX_UPLOAD = 300_000;
process.env.DATABASE_URL = testDatabaseUrl();
process.env.MAX_UPLOAD_BYTES = String(MAX_UPLOAD);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "rh-gen-http-"));
process.env.DATA_DIR = dataDir;

const pool = testPool();
let app: TestApp;
let owner: Client;
let viewer: Client;
let outsider: Client;
let projectId: string;
let otherProjectId: string;

async function userId(username: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(username) = lower($1)",
    [username],
  );
  return r.rows[0]!.id;
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
  const p = await pool.query<{ id: string }>(
    "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Harbor', $2) RETURNING id",
    [ws.rows[0]!.id, ownerId],
  );
  return p.rows[0]!.id;
}

async function jobCount(pid: string): Promise<number> {
  const r = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM generation_jobs WHERE project_id = $1",
    [pid],
  );
  return Number(r.rows[0]!.n);
}

function json(res: { body: string }) {
  return JSON.parse(res.body);
}

const generate = (c: Client, pid: string, fields: Record<string, string>, file?: Buffer) =>
  c.postMultipart(
    `/projects/${pid}/jobs`,
    {
      intent: "generate",
      requestId: `r${uniq()}`,
      durationSeconds: "4",
      size: "720x1280",
      ...fields,
    },
    file ? { field: "image", filename: "in.png", contentType: "image/png", data: file } : undefined,
  );

beforeAll(async () => {
  app = await startTestApp();
  owner = new Client(app.url);
  viewer = new Client(app.url);
  outsider = new Client(app.url);
  const o = await onboardOverHttp(owner, pool);
  const v = await onboardOverHttp(viewer, pool);
  const x = await onboardOverHttp(outsider, pool);
  const ownerId = await userId(o.username);
  projectId = await project(ownerId, [[await userId(v.username), "viewer"]]);
  otherProjectId = await project(await userId(x.username));
  await owner.get(`/projects/${projectId}`);
  await viewer.get(`/projects/${projectId}`);
  await outsider.get(`/projects/${otherProjectId}`);
});

afterAll(async () => {
  await app?.close();
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("generation routes over HTTP", () => {
  it("Generate makes one queued job; the same request id again returns the same job, not a second", async () => {
    const requestId = `press-${uniq()}`;
    const before = await jobCount(projectId);
    const first = await generate(owner, projectId, {
      requestId,
      prompt: "A lighthouse keeper climbs the stairs at dusk, slow dolly in",
      seed: "7",
    });
    expect(first.status).toBe(201);
    const a = json(first);
    expect(a).toMatchObject({ ok: true, duplicate: false });
    expect(a.job).toMatchObject({ kind: "clip", status: "queued", size: "720x1280" });
    expect(a.job.label).toBe("A lighthouse keeper climbs the stairs at dusk, slow dolly in");
    const again = await generate(owner, projectId, { requestId, prompt: "something else" });
    expect(again.status).toBe(200);
    expect(json(again)).toMatchObject({ ok: true, duplicate: true });
    expect(json(again).job.workflowId).toBe(a.job.workflowId);
    expect(await jobCount(projectId)).toBe(before + 1);

    const list = await owner.request("GET", `/projects/${projectId}/jobs`, {
      headers: { accept: "application/json" },
    });
    expect(list.status).toBe(200);
    expect(list.headers["content-type"]).toContain("application/json");
    const body = json(list);
    expect(body.jobs.map((j: { workflowId: string }) => j.workflowId)).toContain(a.job.workflowId);
    expect(body.backends.map((b: { name: string }) => b.name)).toContain("previz");
    // Viewers see the jobs too.
    expect((await viewer.get(`/projects/${projectId}/jobs`)).status).toBe(200);
  });

  it("a shot's Generate carries its shot id to the job", async () => {
    const res = await generate(owner, projectId, {
      prompt: "Gulls over the pier",
      shotId: "shot-abc",
    });
    expect(res.status).toBe(201);
    const row = await pool.query("SELECT shot_id FROM generation_jobs WHERE workflow_id = $1", [
      json(res).job.workflowId,
    ]);
    expect(row.rows[0].shot_id).toBe("shot-abc");
  });

  it("refuses bad requests with the service's message and writes nothing", async () => {
    const before = await jobCount(projectId);
    const cases: [Record<string, string>, Buffer | undefined, number, RegExp, string?][] = [
      [{ prompt: "   " }, undefined, 400, /prompt is empty/i],
      [{ prompt: "x".repeat(4001) }, undefined, 400, /at most 4000 characters/],
      [
        { prompt: "A boat", durationSeconds: "3" },
        undefined,
        400,
        /at least 4 seconds/,
        "durationSeconds",
      ],
      [
        { prompt: "A boat", durationSeconds: "21" },
        undefined,
        400,
        /at most 20 seconds/,
        "durationSeconds",
      ],
      [{ prompt: "A boat", size: "640x480" }, undefined, 400, /Size must be one of/, "size"],
      [
        { prompt: "A boat", backend: "nope" },
        undefined,
        400,
        /Unknown generation backend/,
        "backend",
      ],
      [
        { prompt: "A boat" },
        Buffer.from("this is not an image at all"),
        400,
        /not an image/,
        "image",
      ],
      // Issue 16 B8: a chosen but empty (0-byte) file is refused, not taken as "no image".
      [{ prompt: "A boat" }, Buffer.alloc(0), 400, /image file is empty/, "image"],
    ];
    for (const [fields, file, status, message, field] of cases) {
      const res = await generate(owner, projectId, fields, file);
      expect(res.status, JSON.stringify(fields).slice(0, 80)).toBe(status);
      const b = json(res);
      expect(b.ok).toBe(false);
      expect(b.error).toMatch(message);
      if (field) expect(b.field).toBe(field);
    }
    // Too big: a real PNG over MAX_UPLOAD_BYTES (noise does not compress).
    const noise = Buffer.alloc(400 * 400 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 400, height: 400, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.byteLength).toBeGreaterThan(MAX_UPLOAD);
    const tooBig = await generate(owner, projectId, { prompt: "A boat" }, big);
    expect(tooBig.status).toBe(413);
    expect(json(tooBig)).toMatchObject({ ok: false, field: "image" });
    expect(json(tooBig).error).toMatch(/limit is/);
    expect(await jobCount(projectId)).toBe(before);
    // No uploaded image was kept for the refused requests.
    const uploads = path.join(dataDir, "uploads", "generation");
    expect(
      existsSync(uploads)
        ? readdirSync(uploads, { recursive: true }).filter((f) => String(f).endsWith(".png"))
        : [],
    ).toEqual([]);
  });

  it("image-to-video: a real image is accepted and stored re-encoded for the job", async () => {
    const png = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 30, g: 90, b: 160 } },
    })
      .png()
      .toBuffer();
    const res = await generate(owner, projectId, { prompt: "Slow push in on the harbor" }, png);
    expect(res.status).toBe(201);
    const row = await pool.query("SELECT request FROM generation_jobs WHERE workflow_id = $1", [
      json(res).job.workflowId,
    ]);
    expect(row.rows[0].request.inputImagePath).toMatch(/uploads\/generation\/.+\.png$/);
  });

  it("someone else's project is 404 for listing, submitting and cancelling; a viewer may not generate", async () => {
    const before = await jobCount(projectId);
    const list = await outsider.get(`/projects/${projectId}/jobs`);
    expect(list.status).toBe(404);
    const sub = await generate(outsider, projectId, { prompt: "A boat" });
    expect(sub.status).toBe(404);
    expect(json(sub).error).toBe("No such project.");
    const asViewer = await generate(viewer, projectId, { prompt: "A boat" });
    expect(asViewer.status).toBe(403);
    expect(json(asViewer).error).toMatch(/Only editors and owners/);
    expect(await jobCount(projectId)).toBe(before);

    const mine = json(await generate(owner, projectId, { prompt: "A quiet pier" })).job.workflowId;
    const theirs = await outsider.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "cancel",
      workflowId: mine,
    });
    expect(theirs.status).toBe(404);
    // A job of this project cancelled through another project's URL: no such job there.
    const viaOther = await outsider.postMultipart(`/projects/${otherProjectId}/jobs`, {
      intent: "cancel",
      workflowId: mine,
    });
    expect(viaOther.status).toBe(404);
    const row = await pool.query("SELECT status FROM generation_jobs WHERE workflow_id = $1", [
      mine,
    ]);
    expect(row.rows[0].status).toBe("queued");
  });

  it("cancel stops a queued job (and its DBOS workflow); cancelling again is refused", async () => {
    const id = json(await generate(owner, projectId, { prompt: "Rain on a tin roof" })).job
      .workflowId;
    const res = await owner.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "cancel",
      workflowId: id,
    });
    expect(res.status).toBe(200);
    expect(json(res).job).toMatchObject({ workflowId: id, status: "cancelled" });
    const wf = await pool.query(
      "SELECT status FROM dbos.workflow_status WHERE workflow_uuid = $1",
      [id],
    );
    expect(wf.rows[0].status).toBe("CANCELLED");
    const again = await owner.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "cancel",
      workflowId: id,
    });
    expect(again.status).toBe(409);
    expect(json(again).error).toMatch(/already cancelled/);
  });

  it("Render sequence makes one sequence job; a shot out of range is refused by number", async () => {
    const shot = (id: string, durationSeconds: number) => ({
      shotId: id,
      request: { prompt: { text: `Shot ${id}` }, durationSeconds, size: "720x1280" },
    });
    const before = await jobCount(projectId);
    const bad = await owner.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "sequence",
      requestId: `seq-${uniq()}`,
      shots: JSON.stringify([shot("a", 4), shot("b", 2)]),
    });
    expect(bad.status).toBe(400);
    expect(json(bad).error).toMatch(/^Shot 2: Duration must be at least 4 seconds/);
    expect(await jobCount(projectId)).toBe(before);
    const ok = await owner.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "sequence",
      requestId: `seq-${uniq()}`,
      shots: JSON.stringify([shot("a", 4), { ...shot("b", 5), transition: { kind: "fade" } }]),
    });
    expect(ok.status).toBe(201);
    expect(json(ok).job).toMatchObject({
      kind: "sequence",
      label: "Sequence of 2 shots",
      shotCount: 2,
    });
  });

  it("a CSRF-less submit is refused before it reaches the service", async () => {
    const before = await jobCount(projectId);
    const saved = owner.csrf;
    owner.csrf = "";
    const res = await owner.postMultipart(`/projects/${projectId}/jobs`, {
      intent: "generate",
      requestId: `r${uniq()}`,
      prompt: "A boat",
    });
    owner.csrf = saved;
    expect(res.status).toBe(403);
    expect(await jobCount(projectId)).toBe(before);
  });

  describe("draft files", () => {
    let draftId: string;
    let posterMediaId: string;
    let workflowId: string;
    beforeAll(async () => {
      const ownerId = (
        await pool.query<{ created_by: string }>("SELECT created_by FROM projects WHERE id = $1", [
          projectId,
        ])
      ).rows[0]!.created_by;
      workflowId = `gen:${projectId}:files-${uniq()}`;
      const rel = path.join("generations", workflowId.replace(/[^A-Za-z0-9_-]/g, "_"));
      mkdirSync(path.join(dataDir, rel), { recursive: true });
      writeFileSync(path.join(dataDir, rel, "video.mp4"), Buffer.alloc(20_000, 3));
      writeFileSync(path.join(dataDir, rel, "poster.jpg"), Buffer.alloc(500, 4));
      writeFileSync(path.join(dataDir, rel, "sprite.jpg"), Buffer.alloc(700, 5));
      const media = async (kind: string, type: string) =>
        (
          await pool.query<{ id: string }>(
            "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, $2, $3, 1) RETURNING id",
            [ownerId, kind, type],
          )
        ).rows[0]!.id;
      const [v, p, s] = [
        await media("video", "video/mp4"),
        await media("poster", "image/jpeg"),
        await media("spritesheet", "image/jpeg"),
      ];
      posterMediaId = p;
      await pool.query(
        `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status, stage, progress)
         VALUES ($1, 'clip', $2, $3, 'previz', '{"prompt":{"text":"Files"},"size":"720x1280"}', 'succeeded', 'done', 100)`,
        [workflowId, projectId, ownerId],
      );
      draftId = (
        await pool.query<{ id: string }>(
          `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, video_media_id, poster_media_id,
             sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
           VALUES ($1, $2, $3, 'clip', 'previz', $4, $5, $6, $7, $8, $9,
             '{"columns":5,"rows":2,"tileWidth":144,"tileHeight":256,"intervalSeconds":0.4,"count":10}', '{}', 4000, 720, 1280)
           RETURNING id`,
          [
            workflowId,
            projectId,
            ownerId,
            v,
            p,
            s,
            path.join(rel, "video.mp4"),
            path.join(rel, "poster.jpg"),
            path.join(rel, "sprite.jpg"),
          ],
        )
      ).rows[0]!.id;
    });

    it("the jobs list links the finished draft's files, not its paths", async () => {
      const jobs = json(await owner.get(`/projects/${projectId}/jobs`)).jobs as {
        workflowId: string;
        draft: Record<string, unknown> | null;
      }[];
      const job = jobs.find((j) => j.workflowId === workflowId)!;
      expect(job.draft).toMatchObject({
        id: draftId,
        videoUrl: `/projects/${projectId}/drafts/${draftId}/video.mp4`,
        posterUrl: `/projects/${projectId}/drafts/${draftId}/poster.jpg`,
        durationMs: 4000,
        sprite: { columns: 5, rows: 2 },
      });
      expect(JSON.stringify(job)).not.toContain("generations/");
    });

    it("members get the video with byte ranges (seeking) and the poster; others get 404", async () => {
      const url = `/projects/${projectId}/drafts/${draftId}/video.mp4`;
      const range = await viewer.request("GET", url, { headers: { range: "bytes=1000-1999" } });
      expect(range.status).toBe(206);
      expect(range.headers["content-range"]).toBe("bytes 1000-1999/20000");
      expect(range.headers["content-length"]).toBe("1000");
      expect(range.headers["content-type"]).toBe("video/mp4");
      const whole = await owner.get(url);
      expect(whole.status).toBe(200);
      expect(whole.headers["accept-ranges"]).toBe("bytes");
      expect(
        (await owner.get(`/projects/${projectId}/drafts/${draftId}/poster.jpg`)).headers[
          "content-type"
        ],
      ).toBe("image/jpeg");
      expect((await owner.get(`/projects/${projectId}/posters/${posterMediaId}`)).status).toBe(200);

      expect((await outsider.get(url)).status).toBe(404);
      expect((await outsider.get(`/projects/${projectId}/posters/${posterMediaId}`)).status).toBe(
        404,
      );
      // The draft through another project's URL (where the outsider IS a member): still 404.
      expect(
        (await outsider.get(`/projects/${otherProjectId}/drafts/${draftId}/video.mp4`)).status,
      ).toBe(404);
      expect(
        (await outsider.get(`/projects/${otherProjectId}/posters/${posterMediaId}`)).status,
      ).toBe(404);
      expect((await owner.get(`/projects/${projectId}/drafts/${draftId}/probe.json`)).status).toBe(
        404,
      );
      expect((await owner.get(`/projects/${projectId}/drafts/not-a-uuid/video.mp4`)).status).toBe(
        404,
      );
    });
  });
});
