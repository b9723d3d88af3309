import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import { DBOS_SCHEMA } from "@reelhouse/shared/generation/dbos.server";
import { workflowKey } from "@reelhouse/shared/generation/jobs";
import {
  createGenerationService,
  type GenerationService,
} from "@reelhouse/shared/generation/service.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { DBOS_APP_NAME } from "@reelhouse/shared/names";
import { draftIdFor } from "@reelhouse/shared/provenance/draft-id";
import { loadOrCreateIdentity } from "@reelhouse/shared/provenance/identity.server";
import { payloadOf } from "@reelhouse/shared/provenance/invisible-mark";
import { detectInFile } from "@reelhouse/shared/provenance/invisible-mark.server";
import { readProvenance } from "@reelhouse/shared/provenance/sign.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
// The ProvidedContext augmentation that types inject("databaseUrl").
import type {} from "@reelhouse/shared/testing/global-setup";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
 * The generation workflows end to end: real Postgres (a private database), real worker processes,
 * real ffmpeg. The `test-pattern` backends (NODE_ENV=test only) render testsrc2 + a sine tone.
 */

// Real renders on a shared 2-core machine: allow for a loaded box.
vi.setConfig({ testTimeout: 180_000 });

const FRAME = 1 / 30;
let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let service: GenerationService;
let dbos: DBOSClient;
let seeded: Seeded;
let worker: WorkerHandle;
let renderLog: string;
const extraWorkers: WorkerHandle[] = [];

const rid = () => `r${Math.random().toString(36).slice(2, 12)}`;
const clip = (text: string, durationSeconds = 4) => ({
  prompt: { text },
  durationSeconds,
  size: "720x1280",
});

function renderAttempts(workflowId: string): { pid: number }[] {
  const key = workflowKey(workflowId);
  return readFileSync(renderLog, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { workDir: string; pid: number })
    .filter((l) => l.workDir.includes(`${path.sep}${key}${path.sep}`));
}

async function waitForStatus(workflowId: string, statuses: string[], timeoutMs = 90_000) {
  return waitFor(
    `${workflowId} to reach ${statuses.join("/")}`,
    async () => {
      const job = await service.getJob(seeded.editorId, workflowId);
      return job && statuses.includes(job.status) ? job : undefined;
    },
    timeoutMs,
  );
}

/** The draft's marked export is written just after the draft appears (finishStep): wait for it. */
async function waitForExport(workflowId: string): Promise<void> {
  await waitFor("the draft's export", async () => {
    const r = await pool.query<{ export_path: string | null }>(
      "SELECT export_path FROM drafts WHERE workflow_id = $1",
      [workflowId],
    );
    const rel = r.rows[0]?.export_path;
    return (rel && existsSync(path.join(dir, rel))) || undefined;
  });
}

async function count(sql: string, params: unknown[]): Promise<number> {
  return (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;
}

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("wf");
  process.env.DATA_DIR = dir;
  renderLog = path.join(dir, "renders.log");
  rmSync(renderLog, { force: true });
  pool = createPool(databaseUrl, 4);
  seeded = await seedProject(pool);
  service = await createGenerationService({ pool, databaseUrl });
  dbos = await DBOSClient.create({
    systemDatabaseUrl: databaseUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
  });
  worker = spawnWorker({
    databaseUrl,
    dataDir: dir,
    workerId: "w-main",
    env: { REELHOUSE_TEST_RENDER_LOG: renderLog },
  });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  for (const w of extraWorkers) await w.kill9();
  await service?.close();
  await dbos?.destroy();
  await pool?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("generate workflow", () => {
  it("animates an uploaded image with previz (image-to-video) into a draft", async () => {
    const image = await sharp({
      create: { width: 900, height: 1600, channels: 3, background: "#2a6f97" },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 300, height: 300, channels: 3, background: "#f4d35e" },
          })
            .png()
            .toBuffer(),
          left: 300,
          top: 500,
        },
      ])
      .jpeg()
      .toBuffer();
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "previz",
      request: clip("Slow push in on the poster, gentle wind ambience"),
      image,
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"], 170_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const video = await probe(path.join(dir, done.draft!.videoPath));
    expect(video.video).toMatchObject({ codec: "h264", width: 720, height: 1280 });
    expect(video.audio?.codec).toBe("aac");
    expect(Math.abs(video.durationSeconds - 4)).toBeLessThanOrEqual(FRAME);
    const meta = await pool.query("SELECT metadata FROM drafts WHERE workflow_id = $1", [
      job.workflowId,
    ]);
    expect(meta.rows[0].metadata).toMatchObject({ imageToVideo: true });
  });

  it("turns a prompt into exactly one draft whose files pass the ffprobe checks, with live progress and a notification", async () => {
    const { job, duplicate } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "previz",
      request: clip(
        "A golden retriever puppy playing in a sunlit garden, slow-motion shot of it catching a frisbee mid-air, warm afternoon lighting, cinematic camera following the action, playful music in the background",
      ),
    });
    expect(duplicate).toBe(false);
    expect(job.status).toBe("queued");
    const seen: string[] = [];
    const done = await waitFor("the job to finish", async () => {
      const j = await service.getJob(seeded.editorId, job.workflowId);
      if (j && seen.at(-1) !== `${j.stage}:${j.progress}`) seen.push(`${j.stage}:${j.progress}`);
      return j && ["succeeded", "failed", "cancelled"].includes(j.status) ? j : undefined;
    });
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(done.progress).toBe(100);
    const progresses = seen.map((s) => Number(s.split(":")[1]));
    expect(progresses).toEqual([...progresses].sort((a, b) => a - b));
    expect(seen.length).toBeGreaterThan(2);

    const draft = done.draft!;
    const video = await probe(path.join(dir, draft.videoPath));
    expect(video.video).toMatchObject({
      codec: "h264",
      width: 720,
      height: 1280,
      pixFmt: "yuv420p",
    });
    expect(video.audio?.codec).toBe("aac");
    expect(Math.abs(video.durationSeconds - 4)).toBeLessThanOrEqual(FRAME);
    expect(
      Math.abs(video.video!.durationSeconds - video.audio!.durationSeconds),
    ).toBeLessThanOrEqual(FRAME);
    expect(video.faststart).toBe(true);
    const poster = await sharp(path.join(dir, draft.posterPath)).metadata();
    expect(poster).toMatchObject({ format: "jpeg", width: 720, height: 1280 });
    const sprite = await sharp(path.join(dir, draft.spritePath)).metadata();
    expect(sprite).toMatchObject({ format: "jpeg", width: 160 * 5, height: 284 * 4 });
    // Every draft file (served to members, review links and the API as is) is C2PA-signed with
    // this instance's chain, which the worker created in DATA_DIR on first use.
    const ourId = await loadOrCreateIdentity(dir, {});
    for (const [f, kind] of [
      [draft.videoPath, "draft-video"],
      [draft.posterPath, "draft-poster"],
      [draft.spritePath, "draft-sprite"],
    ] as const) {
      const c2pa = await readProvenance({ path: path.join(dir, f) }, ourId);
      expect(c2pa.state, `${f}: ${JSON.stringify(c2pa.failures)}`).toBe("ours");
      expect(c2pa.origin).toMatchObject({
        kind,
        draftWorkflowId: job.workflowId,
        backend: "previz",
      });
    }

    // What people get of the video: the export, marked (visible and invisible, with the draft's
    // id, derived from the workflow) and signed after the marks.
    expect(draft.id).toBe(draftIdFor(job.workflowId));
    await waitForExport(job.workflowId);
    const exported = path.join(dir, path.dirname(draft.videoPath), "export.mp4");
    const c2pa = await readProvenance({ path: exported }, ourId);
    expect(c2pa.state, JSON.stringify(c2pa.failures)).toBe("ours");
    expect(c2pa.origin).toMatchObject({ kind: "draft-export", draftId: draft.id });
    expect((await detectInFile(exported)).payload).toBe(payloadOf(draft.id));

    await waitForExport(job.workflowId);
    const key = workflowKey(job.workflowId);
    expect(readdirSync(path.join(dir, "generations", key)).sort()).toEqual([
      "export.mp4",
      "poster.jpg",
      "sprite.jpg",
      "video.mp4",
    ]);
    expect(readdirSync(path.join(dir, "work")).includes(key)).toBe(false);
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [job.workflowId]),
    ).toBe(1);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND payload->>'draftId' = $2",
        [seeded.editorId, draft.id],
      ),
    ).toBe(1);
    expect(await dbos.getEvent(job.workflowId, "progress", 1)).toMatchObject({
      status: "succeeded",
      progress: 100,
    });
  });

  it("makes one job from a double-clicked Generate (same request id submitted twice at once)", async () => {
    const requestId = rid();
    const submit = () =>
      service.submitGeneration(seeded.editorId, {
        projectId: seeded.projectId,
        requestId,
        backend: "test-pattern",
        request: clip("Two kids fly a kite on a windy hill"),
      });
    const [a, b] = await Promise.all([submit(), submit()]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.job.workflowId).toBe(b.job.workflowId);
    const done = await waitForStatus(a.job.workflowId, ["succeeded", "failed"]);
    expect(done.status).toBe("succeeded");
    const again = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId,
      backend: "test-pattern",
      request: clip("Two kids fly a kite on a windy hill"),
    });
    expect(again).toMatchObject({
      duplicate: true,
      job: { status: "succeeded", draft: { id: done.draft!.id } },
    });
    expect(
      await count("SELECT count(*)::int AS n FROM generation_jobs WHERE workflow_id = $1", [
        a.job.workflowId,
      ]),
    ).toBe(1);
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [
        a.job.workflowId,
      ]),
    ).toBe(1);
    expect(await dbos.listWorkflows({ workflowIDs: [a.job.workflowId] })).toHaveLength(1);
    expect(renderAttempts(a.job.workflowId)).toHaveLength(1);
  });

  it("does not retry a permanent failure and reports its reason", async () => {
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern",
      request: clip("A storm [fail:permanent]"),
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "failed", errorCode: "test_permanent", draft: null });
    expect(done.error).toContain("refuses this prompt");
    expect(renderAttempts(job.workflowId)).toHaveLength(1);
    // The row is marked failed just before the workflow itself ends in ERROR.
    await waitFor(
      "DBOS to record the error",
      async () => (await dbos.getWorkflow(job.workflowId))?.status === "ERROR",
    );
  });

  it("retries a transient failure with backoff and then succeeds", async () => {
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern",
      request: clip("A storm [fail:transient-once]"),
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(renderAttempts(job.workflowId)).toHaveLength(2);
  });

  it("refuses an unsafe prompt at the safety stage, before any render", async () => {
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern",
      request: clip("A deepfake of my neighbour robbing a bank"),
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done).toMatchObject({
      status: "failed",
      errorCode: "safety_real_person_deepfake",
      stage: "safety",
    });
    expect(done.error).toContain("real person");
    expect(renderAttempts(job.workflowId)).toHaveLength(0);
  });

  it("cancels a running render: ffmpeg is killed, no draft is stored", async () => {
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern-realtime",
      request: clip("A slow sunrise over the sea", 12),
    });
    await waitFor("the render to be under way", async () => {
      const j = await service.getJob(seeded.editorId, job.workflowId);
      return j && j.stage === "rendering" && j.progress >= 10;
    });
    expect(ffmpegChildren(worker.pid).length).toBeGreaterThan(0);
    const cancelled = await service.cancelJob(seeded.editorId, job.workflowId);
    expect(cancelled.status).toBe("cancelled");
    await waitFor(
      "ffmpeg to be killed",
      async () => ffmpegChildren(worker.pid).length === 0,
      10_000,
    );
    await waitFor(
      "DBOS to record the cancellation",
      async () => (await dbos.getWorkflow(job.workflowId))?.status === "CANCELLED",
    );
    await new Promise((r) => setTimeout(r, 1500));
    const after = await service.getJob(seeded.editorId, job.workflowId);
    expect(after).toMatchObject({ status: "cancelled", draft: null });
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [job.workflowId]),
    ).toBe(0);
    // ...and no scratch files: the render's work folder is removed with the cancel.
    expect(existsSync(path.join(dir, "work", workflowKey(job.workflowId)))).toBe(false);
    await expect(service.cancelJob(seeded.editorId, job.workflowId)).rejects.toMatchObject({
      code: "already_finished",
    });
  });

  it("renders a storyboard as one child workflow per shot and stitches them with transitions and continuous audio", async () => {
    const { job } = await service.submitSequence(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern",
      shots: [
        { shotId: "s1", request: clip("Shot one: a harbor at dawn") },
        {
          shotId: "s2",
          request: clip("Shot two: boats leave"),
          transition: { kind: "fade", durationSeconds: 0.5 },
        },
        { shotId: "s3", request: clip("Shot three: gulls overhead"), transition: { kind: "cut" } },
      ],
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"], 180_000);
    expect(done.status, done.error ?? "").toBe("succeeded");
    const video = await probe(path.join(dir, done.draft!.videoPath));
    expect(video.video).toMatchObject({ codec: "h264", width: 720, height: 1280 });
    expect(Math.abs(video.durationSeconds - 11.5)).toBeLessThanOrEqual(FRAME);
    expect(
      Math.abs(video.video!.durationSeconds - video.audio!.durationSeconds),
    ).toBeLessThanOrEqual(FRAME);
    const shots = await pool.query<{ shot_id: string; kind: string }>(
      "SELECT d.shot_id, d.kind FROM drafts d JOIN generation_jobs j USING (workflow_id) WHERE j.parent_workflow_id = $1 ORDER BY d.shot_id",
      [job.workflowId],
    );
    expect(shots.rows).toEqual([
      { shot_id: "s1", kind: "clip" },
      { shot_id: "s2", kind: "clip" },
      { shot_id: "s3", kind: "clip" },
    ]);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM notifications WHERE payload->>'workflowId' LIKE $1",
        [`${job.workflowId}%`],
      ),
    ).toBe(1);
  }, 240_000);
});

describe("long sequences", () => {
  // Heavy (about three minutes of 720x1280 video rendered and stitched): opt in with
  // REELHOUSE_LONG_TESTS=1 so the shared CI box is not tied up on every run.
  it.runIf(process.env.REELHOUSE_LONG_TESTS === "1")(
    "stitches a three-minute storyboard (no 10-second cap) with one continuous audio track",
    async () => {
      const shots = Array.from({ length: 9 }, (_, i) => ({
        shotId: `long${i}`,
        request: clip(`Long shot ${i}: the city from above`, 20),
        ...(i === 0
          ? {}
          : { transition: i % 2 ? { kind: "fade", durationSeconds: 0.5 } : { kind: "cut" } }),
      }));
      const { job } = await service.submitSequence(seeded.editorId, {
        projectId: seeded.projectId,
        requestId: rid(),
        backend: "test-pattern",
        shots,
      });
      const done = await waitForStatus(job.workflowId, ["succeeded", "failed"], 1_500_000);
      expect(done.status, done.error ?? "").toBe("succeeded");
      const video = await probe(path.join(dir, done.draft!.videoPath));
      const expected = 9 * 20 - 4 * 0.5;
      expect(Math.abs(video.durationSeconds - expected)).toBeLessThanOrEqual(FRAME);
      expect(
        Math.abs(video.video!.durationSeconds - video.audio!.durationSeconds),
      ).toBeLessThanOrEqual(FRAME);
    },
    1_600_000,
  );
});

describe("cancelling a sequence", () => {
  it("cancels the parent and its running shots: ffmpeg is killed, no sequence draft is stored", async () => {
    const { job } = await service.submitSequence(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern-realtime",
      shots: [
        { shotId: "c1", request: clip("A long take of a quiet street", 12) },
        { shotId: "c2", request: clip("Another long take", 12) },
      ],
    });
    const shot = `${job.workflowId}:shot:0`;
    await waitFor("the first shot to be rendering", async () => {
      const j = await service.getJob(seeded.editorId, shot);
      return j && j.stage === "rendering" && j.progress >= 10;
    });
    expect(ffmpegChildren(worker.pid).length).toBeGreaterThan(0);
    expect((await service.cancelJob(seeded.editorId, job.workflowId)).status).toBe("cancelled");
    expect((await service.getJob(seeded.editorId, shot))?.status).toBe("cancelled");
    await waitFor(
      "ffmpeg to be killed",
      async () => ffmpegChildren(worker.pid).length === 0,
      10_000,
    );
    await waitFor(
      "DBOS to cancel the shot",
      async () => (await dbos.getWorkflow(shot))?.status === "CANCELLED",
    );
    expect((await dbos.getWorkflow(job.workflowId))?.status).toBe("CANCELLED");
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id LIKE $1", [
        `${job.workflowId}%`,
      ]),
    ).toBe(0);
  });
});

describe("a failing shot", () => {
  it("fails the sequence with the shot's reason and cancels the shots still to come", async () => {
    const { job } = await service.submitSequence(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern-realtime",
      shots: [
        { shotId: "f1", request: clip("A shot that fails [fail:permanent]") },
        { shotId: "f2", request: clip("A long shot that should not be rendered for nothing", 12) },
      ],
    });
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "failed", errorCode: "test_permanent", draft: null });
    const second = await waitForStatus(`${job.workflowId}:shot:1`, [
      "succeeded",
      "failed",
      "cancelled",
    ]);
    expect(second.status).toBe("cancelled");
    await waitFor("DBOS to cancel the second shot", async () =>
      ["CANCELLED"].includes((await dbos.getWorkflow(`${job.workflowId}:shot:1`))?.status ?? ""),
    );
    await waitFor("ffmpeg to be gone", async () => ffmpegChildren(worker.pid).length === 0, 10_000);
  });
});

describe("workers", () => {
  it("loses nothing when a worker is killed with -9 mid-render: after restart, one draft and one set of files", async () => {
    await worker.stop();
    const env = { REELHOUSE_TEST_RENDER_LOG: renderLog };
    const first = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-kill", env });
    extraWorkers.push(first);
    await first.ready;
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern-realtime",
      request: clip("A train crosses a bridge at night", 6),
    });
    await waitFor("the render to be half done", async () => {
      const j = await service.getJob(seeded.editorId, job.workflowId);
      return j && j.stage === "rendering" && j.progress >= 30;
    });
    await first.kill9();
    const stalled = await service.getJob(seeded.editorId, job.workflowId);
    expect(stalled).toMatchObject({ status: "running", stage: "rendering", draft: null });

    const second = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-kill", env });
    extraWorkers.push(second);
    await second.ready;
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done.status, done.error ?? "").toBe("succeeded");
    // Rendered twice (the first attempt died with its worker), stored once.
    expect(renderAttempts(job.workflowId).map((a) => a.pid)).toEqual([first.pid, second.pid]);
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [job.workflowId]),
    ).toBe(1);
    expect(
      await count("SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1", [
        `generation:${job.workflowId}`,
      ]),
    ).toBe(1);
    const draft = await pool.query(
      "SELECT video_media_id, poster_media_id, sprite_media_id FROM drafts WHERE workflow_id = $1",
      [job.workflowId],
    );
    const mediaIds = Object.values(draft.rows[0] as Record<string, string>);
    expect(
      await count("SELECT count(*)::int AS n FROM media WHERE id = ANY($1::uuid[])", [mediaIds]),
    ).toBe(3);
    await waitForExport(job.workflowId);
    const key = workflowKey(job.workflowId);
    expect(readdirSync(path.join(dir, "generations", key)).sort()).toEqual([
      "export.mp4",
      "poster.jpg",
      "sprite.jpg",
      "video.mp4",
    ]);
    expect(readdirSync(path.join(dir, "work")).includes(key)).toBe(false);
    const video = await probe(path.join(dir, done.draft!.videoPath));
    expect(Math.abs(video.durationSeconds - 6)).toBeLessThanOrEqual(FRAME);
    expect((await dbos.getWorkflow(job.workflowId))?.status).toBe("SUCCESS");
    expect(await second.stop()).toBe(0);
  }, 240_000);

  it("shares one queue between two workers on one database without running any job twice", async () => {
    await worker.stop();
    const env = { REELHOUSE_TEST_RENDER_LOG: renderLog };
    const a = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-a", env });
    const b = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-b", env });
    extraWorkers.push(a, b);
    await Promise.all([a.ready, b.ready]);
    const jobs = [];
    for (let i = 0; i < 4; i++) {
      const { job } = await service.submitGeneration(seeded.editorId, {
        projectId: seeded.projectId,
        requestId: rid(),
        backend: "test-pattern-realtime",
        request: clip(`Shared queue job ${i}: rain on a window`, 4),
      });
      jobs.push(job.workflowId);
    }
    for (const id of jobs) {
      expect((await waitForStatus(id, ["succeeded", "failed"], 120_000)).status).toBe("succeeded");
    }
    const executors = new Set<string>();
    for (const id of jobs) {
      expect(renderAttempts(id)).toHaveLength(1);
      expect(
        await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [id]),
      ).toBe(1);
      executors.add((await dbos.getWorkflow(id))!.executorId!);
    }
    expect([...executors].sort()).toEqual(["w-a", "w-b"]);
    const pids = new Set(jobs.flatMap((id) => renderAttempts(id).map((r) => r.pid)));
    expect(pids).toEqual(new Set([a.pid, b.pid]));
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
  }, 240_000);
});

describe("workers, after the render", () => {
  it("does not render again when a worker is killed with -9 during post-processing", async () => {
    await worker.stop(); // only this test's worker may take the job
    const env = { REELHOUSE_TEST_RENDER_LOG: renderLog };
    const first = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-kill-post", env });
    extraWorkers.push(first);
    await first.ready;
    const { job } = await service.submitGeneration(seeded.editorId, {
      projectId: seeded.projectId,
      requestId: rid(),
      backend: "test-pattern",
      request: clip("Post-processing interrupted: a kettle boils", 6),
    });
    await waitFor(
      "the render to be checkpointed",
      async () => {
        const j = await service.getJob(seeded.editorId, job.workflowId);
        return j && j.status === "running" && ["probing", "storing", "notifying"].includes(j.stage);
      },
      120_000,
      10,
    );
    await first.kill9();
    const atKill = await service.getJob(seeded.editorId, job.workflowId);
    expect(atKill?.status).toBe("running");

    const second = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-kill-post", env });
    extraWorkers.push(second);
    await second.ready;
    const done = await waitForStatus(job.workflowId, ["succeeded", "failed"]);
    expect(done.status, done.error ?? "").toBe("succeeded");
    // The render step had been checkpointed: the recovered workflow did not run it again.
    expect(renderAttempts(job.workflowId).map((a) => a.pid)).toEqual([first.pid]);
    // The after-render step (probe ‖ thumbnails, signing, the draft transaction) ran again as a
    // whole: still one draft, three media rows, one notification, and every file signed by us.
    expect(
      await count("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [job.workflowId]),
    ).toBe(1);
    const ids = await pool.query(
      "SELECT video_media_id, poster_media_id, sprite_media_id FROM drafts WHERE workflow_id = $1",
      [job.workflowId],
    );
    expect(
      await count("SELECT count(*)::int AS n FROM media WHERE id = ANY($1::uuid[])", [
        Object.values(ids.rows[0] as Record<string, string>),
      ]),
    ).toBe(3);
    expect(
      await count("SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1", [
        `generation:${job.workflowId}`,
      ]),
    ).toBe(1);
    const ourId = await loadOrCreateIdentity(dir, {});
    for (const f of [done.draft!.videoPath, done.draft!.posterPath, done.draft!.spritePath]) {
      const c2pa = await readProvenance({ path: path.join(dir, f) }, ourId);
      expect(c2pa.state, f).toBe("ours");
    }
    await waitForExport(job.workflowId);
    const key = workflowKey(job.workflowId);
    expect(readdirSync(path.join(dir, "generations", key)).sort()).toEqual([
      "export.mp4",
      "poster.jpg",
      "sprite.jpg",
      "video.mp4",
    ]);
    expect(readdirSync(path.join(dir, "work")).includes(key)).toBe(false);
    expect(await second.stop()).toBe(0);
  }, 240_000);
});

function ffmpegChildren(pid: number): string[] {
  let out = "";
  try {
    out = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], {
      encoding: "utf8",
    }).trim();
  } catch {
    // ps exits 1 when the process has no children.
  }
  return out ? out.split("\n").filter((l) => /ffmpeg/.test(l)) : [];
}
