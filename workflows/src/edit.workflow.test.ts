import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { numberedClipArgs, periodicClipArgs, shakyClipArgs } from "@reelhouse/shared/edit/fixtures";
import { formatCube, lutFromFunction } from "@reelhouse/shared/edit/lut";
import { createEditService, type EditService } from "@reelhouse/shared/edit/service.server";
import {
  createGenerationService,
  type GenerationService,
} from "@reelhouse/shared/generation/service.server";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPool,
  freshDatabase,
  type Seeded,
  seedProject,
  spawnWorker,
  tempDataDir,
  type WorkerHandle,
  waitFor,
} from "./testing/harness.ts";

/**
 * The edit workflow end to end: a private database, a REAL worker process, real ffmpeg, drafts
 * whose videos are real product MP4s. The render is a NEW draft; the sources never change; every
 * refusal writes nothing; a cancelled render leaves no file.
 */

let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let edits: EditService;
let jobs: GenerationService;
let worker: WorkerHandle;
let seed: Seeded;
let other: Seeded;

async function realDraft(projectId: string, userId: string, args: (out: string) => string[]) {
  const rel = path.join(
    "generations",
    `src-${Math.random().toString(36).slice(2, 9)}`,
    "video.mp4",
  );
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  await runFfmpeg(args(file));
  const p = await probe(file);
  const m = await pool.query<{ id: string }>(
    "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
    [userId],
  );
  const d = await pool.query<{ id: string }>(
    `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id, poster_media_id,
       sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
     VALUES ($1, $2, $3, 'clip', 'previz', 'source', $4, $4, $4, $5, 'p.jpg', 's.jpg', '{}', $6, $7, $8, $9) RETURNING id`,
    [
      `src-${rel}`,
      projectId,
      userId,
      m.rows[0]!.id,
      rel,
      JSON.stringify(p),
      Math.round(p.durationSeconds * 1000),
      p.video!.width,
      p.video!.height,
    ],
  );
  return { draftId: d.rows[0]!.id, file };
}

const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
const counts = async () =>
  (
    await pool.query<{ jobs: number; media: number; edits: number }>(
      "SELECT (SELECT count(*)::int FROM generation_jobs) AS jobs, (SELECT count(*)::int FROM media) AS media, (SELECT count(*)::int FROM edits) AS edits",
    )
  ).rows[0]!;

async function waitFinished(workflowId: string, userId: string) {
  return waitFor(
    `${workflowId} to finish`,
    async () => {
      const j = await jobs.getJob(userId, workflowId);
      return j && ["succeeded", "failed", "cancelled"].includes(j.status) ? j : undefined;
    },
    180_000,
    200,
  );
}

let a: { draftId: string; file: string };
let b: { draftId: string; file: string };
let foreign: { draftId: string; file: string };

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("edit");
  process.env.DATA_DIR = dir;
  pool = createPool(databaseUrl, 4);
  seed = await seedProject(pool);
  other = await seedProject(pool);
  a = await realDraft(seed.projectId, seed.ownerId, (output) =>
    numberedClipArgs({ width: 320, height: 240, fps: 30, frames: 120, output }),
  );
  b = await realDraft(seed.projectId, seed.ownerId, (output) =>
    numberedClipArgs({ width: 320, height: 240, fps: 30, frames: 90, output }),
  );
  foreign = await realDraft(other.projectId, other.ownerId, (output) =>
    numberedClipArgs({ width: 320, height: 240, fps: 30, frames: 30, output }),
  );
  edits = await createEditService({ pool, databaseUrl });
  jobs = await createGenerationService({ pool, databaseUrl });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-edit" });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await edits?.close();
  await jobs?.close();
  await pool?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("edit workflow", () => {
  it("renders an edit (trim + stitch + grade) into a NEW draft with poster and spritesheet; the sources never change", async () => {
    const before = {
      a: sha(a.file),
      b: sha(b.file),
      rows: (await pool.query("SELECT * FROM drafts ORDER BY id")).rows,
    };
    const edit = await edits.createEdit(seed.editorId, {
      projectId: seed.projectId,
      draftIds: [a.draftId, b.draftId],
      title: "Cut one",
    });
    expect(edit.edl.clips.map((c) => [c.inFrame, c.outFrame])).toEqual([
      [0, 120],
      [0, 90],
    ]);
    const edl = {
      ...edit.edl,
      clips: [
        { ...edit.edl.clips[0]!, inFrame: 17, outFrame: 77 },
        { ...edit.edl.clips[1]!, transition: { kind: "crossfade", frames: 10 } },
      ],
      grade: { ...edit.edl.grade, exposure: 0.5 },
    };
    const { workflowId, duplicate } = await edits.submitRender(seed.editorId, edit.id, {
      requestId: "render-1",
      edl,
    });
    expect(duplicate).toBe(false);
    expect(
      (await edits.submitRender(seed.editorId, edit.id, { requestId: "render-1", edl })).duplicate,
    ).toBe(true);
    const job = await waitFinished(workflowId, seed.editorId);
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    const draft = (await pool.query("SELECT * FROM drafts WHERE id = $1", [job.draft!.id])).rows[0];
    expect(draft.backend).toBe("edit");
    expect(draft.project_id).toBe(seed.projectId);
    expect(draft.metadata.edit).toEqual({
      editId: edit.id,
      sourceDraftIds: [a.draftId, b.draftId],
    });
    const video = path.join(dir, draft.video_path);
    const p = await probe(video);
    expect(p.video?.frames).toBe(60 + 90 - 10);
    expect(existsSync(path.join(dir, draft.poster_path))).toBe(true);
    expect(existsSync(path.join(dir, draft.sprite_path))).toBe(true);
    // Sources untouched: bytes and rows.
    expect(sha(a.file)).toBe(before.a);
    expect(sha(b.file)).toBe(before.b);
    const after = (
      await pool.query("SELECT * FROM drafts WHERE id <> $1 ORDER BY id", [job.draft!.id])
    ).rows;
    expect(after).toEqual(before.rows);
  });

  it("refuses, writing nothing: an outsider, a viewer, a draft of another project, out-of-range frames, a hostile LUT", async () => {
    const edit = await edits.createEdit(seed.ownerId, {
      projectId: seed.projectId,
      draftIds: [a.draftId],
    });
    const start = await counts();
    const lutsDir = path.join(dir, "luts");
    const lutFiles = () => (existsSync(lutsDir) ? readdirSync(lutsDir) : []);
    const lutsBefore = lutFiles();
    await expect(
      edits.createEdit(seed.outsiderId, { projectId: seed.projectId, draftIds: [a.draftId] }),
    ).rejects.toMatchObject({ status: 404 });
    expect(await edits.getEdit(seed.outsiderId, edit.id)).toBeNull();
    await expect(
      edits.submitRender(seed.outsiderId, edit.id, { requestId: "req-out-0001", edl: edit.edl }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      edits.submitRender(seed.viewerId, edit.id, { requestId: "req-view-0001", edl: edit.edl }),
    ).rejects.toMatchObject({ status: 403 });
    // A draft the editor cannot see (another workspace's project) is "not found", in a new edit or in the list.
    await expect(
      edits.createEdit(seed.editorId, { projectId: seed.projectId, draftIds: [foreign.draftId] }),
    ).rejects.toMatchObject({ status: 404, code: "not_found" });
    const sneaky = {
      ...edit.edl,
      clips: [{ ...edit.edl.clips[0]!, draftId: foreign.draftId, outFrame: 10 }],
    };
    await expect(
      edits.submitRender(seed.editorId, edit.id, { requestId: "req-sneak-0001", edl: sneaky }),
    ).rejects.toMatchObject({ status: 404 });
    const long = { ...edit.edl, clips: [{ ...edit.edl.clips[0]!, outFrame: 121 }] };
    await expect(
      edits.submitRender(seed.editorId, edit.id, { requestId: "req-long-0001", edl: long }),
    ).rejects.toMatchObject({ status: 400, code: "out_of_range" });
    const fast = { ...edit.edl, speed: [{ frame: 0, speed: 8 }] };
    await expect(
      edits.submitRender(seed.editorId, edit.id, { requestId: "req-fast-0001", edl: fast }),
    ).rejects.toMatchObject({ status: 400, code: "invalid_edit" });
    await expect(
      edits.uploadLut(seed.editorId, edit.id, new TextEncoder().encode("LUT_3D_SIZE 99999\n")),
    ).rejects.toMatchObject({ status: 400, code: "invalid_lut" });
    await expect(
      edits.uploadLut(seed.editorId, edit.id, new TextEncoder().encode("LUT_3D_SIZE 2\nNaN 0 0\n")),
    ).rejects.toThrow(/number/);
    await expect(
      edits.uploadLut(
        seed.viewerId,
        edit.id,
        new TextEncoder().encode(formatCube(lutFromFunction(2, (r, g, bb) => [r, g, bb]))),
      ),
    ).rejects.toMatchObject({ status: 403 });
    expect(await counts()).toEqual(start);
    expect(lutFiles()).toEqual(lutsBefore);
    // A valid LUT is stored in canonical form.
    const ok = await edits.uploadLut(
      seed.editorId,
      edit.id,
      new TextEncoder().encode(formatCube(lutFromFunction(9, (r, g, bb) => [bb, g, r], "swap"))),
    );
    expect(ok.size).toBe(9);
    expect(lutFiles()).toEqual([...lutsBefore, `${ok.mediaId}.cube`].sort());
  });

  it("finds the loop point of a periodic draft for any member", async () => {
    const per = await realDraft(seed.projectId, seed.ownerId, (output) =>
      periodicClipArgs({ width: 160, height: 120, fps: 30, frames: 120, periodFrames: 40, output }),
    );
    const edit = await edits.createEdit(seed.editorId, {
      projectId: seed.projectId,
      draftIds: [per.draftId],
    });
    const loop = await edits.findLoop(seed.viewerId, edit.id, edit.edl);
    expect(loop).not.toBeNull();
    expect((loop!.endFrame - loop!.startFrame) % 40).toBe(0);
    await expect(edits.findLoop(seed.outsiderId, edit.id, edit.edl)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("exports CSV and CMX3600 EDL to any member, nobody else", async () => {
    const edit = await edits.createEdit(seed.editorId, {
      projectId: seed.projectId,
      draftIds: [a.draftId, b.draftId],
      title: "Reel 1",
    });
    const csv = await edits.exportEdit(seed.viewerId, edit.id, "csv");
    expect(csv.filename).toBe("Reel-1.csv");
    expect(csv.body.trim().split("\n")).toHaveLength(3);
    expect(csv.body).toContain(a.draftId);
    const edl = await edits.exportEdit(seed.viewerId, edit.id, "edl");
    expect(edl.body).toMatch(/^TITLE: Reel 1\nFCM: NON-DROP FRAME/);
    expect(edl.body).toMatch(/002 .* C {8}00:00:00:00 00:00:03:00 01:00:04:00 01:00:07:00/);
    await expect(edits.exportEdit(seed.outsiderId, edit.id, "csv")).rejects.toMatchObject({
      status: 404,
    });
    await expect(edits.exportEdit(seed.viewerId, edit.id, "xml")).rejects.toMatchObject({
      status: 400,
    });
  });

  it("a cancelled render ends cancelled and leaves no file", async () => {
    const shaky = await realDraft(seed.projectId, seed.ownerId, (output) =>
      shakyClipArgs({ width: 640, height: 480, fps: 30, frames: 600, output }),
    );
    const edit = await edits.createEdit(seed.editorId, {
      projectId: seed.projectId,
      draftIds: [shaky.draftId],
    });
    const edl = {
      ...edit.edl,
      stabilize: { strength: 1, crop: "zoom", zoomPercent: 0 },
      grade: { ...edit.edl.grade, preset: "noir" },
    };
    const { workflowId } = await edits.submitRender(seed.editorId, edit.id, {
      requestId: "req-cancel-0001",
      edl,
    });
    await waitFor(
      "the render to start",
      async () => {
        const j = await jobs.getJob(seed.editorId, workflowId);
        return j?.stage === "rendering";
      },
      60_000,
      50,
    );
    await jobs.cancelJob(seed.editorId, workflowId);
    const job = await waitFinished(workflowId, seed.editorId);
    expect(job.status).toBe("cancelled");
    const key = workflowId.replace(/[^A-Za-z0-9_-]/g, "_");
    const out = path.join(dir, "generations", key);
    // Give the worker a moment to kill ffmpeg and clean its temporary file.
    await waitFor(
      "no partial output",
      async () => !existsSync(out) || readdirSync(out).length === 0,
      20_000,
      100,
    );
    expect(existsSync(path.join(out, "video.mp4"))).toBe(false);
    expect(
      (
        await pool.query("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [
          workflowId,
        ])
      ).rows[0].n,
    ).toBe(0);
  });
});

describe("edit workflow, worker killed", () => {
  it("loses nothing when the worker is killed with -9 after the render: the restarted worker finishes without rendering again", async () => {
    await worker.stop(); // only this test's workers may take the job
    const first = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-edit-kill" });
    await first.ready;
    const edit = await edits.createEdit(seed.editorId, {
      projectId: seed.projectId,
      draftIds: [a.draftId],
    });
    const edl = { ...edit.edl, grade: { ...edit.edl.grade, curves: "medium_contrast" } };
    const { workflowId } = await edits.submitRender(seed.editorId, edit.id, {
      requestId: "req-kill-0001",
      edl,
    });
    await waitFor(
      "the render to be checkpointed",
      async () => {
        const j = await jobs.getJob(seed.editorId, workflowId);
        return j?.status === "running" && ["probing", "storing", "notifying"].includes(j.stage);
      },
      120_000,
      10,
    );
    await first.kill9();
    expect((await jobs.getJob(seed.editorId, workflowId))?.status).toBe("running");
    const second = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-edit-kill" });
    await second.ready;
    const job = await waitFinished(workflowId, seed.editorId);
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    const drafts = (await pool.query("SELECT * FROM drafts WHERE workflow_id = $1", [workflowId]))
      .rows;
    expect(drafts).toHaveLength(1);
    // The render's checkpoint was replayed: a re-run render step would have found its own file
    // in place and said "reused".
    expect(drafts[0].metadata.renderMode).toBe("encode");
    const key = workflowId.replace(/[^A-Za-z0-9_-]/g, "_");
    expect(readdirSync(path.join(dir, "generations", key)).sort()).toEqual([
      "poster.jpg",
      "sprite.jpg",
      "video.mp4",
    ]);
    expect(existsSync(path.join(dir, "work", key))).toBe(false);
    expect(await second.stop()).toBe(0);
    worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-edit" });
    await worker.ready;
  }, 240_000);
});
