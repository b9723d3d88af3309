import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { frameDifference, splitGrayFrames } from "@reelhouse/shared/edit/loop";
import { createEditService, type EditService } from "@reelhouse/shared/edit/service.server";
import {
  createGenerationService,
  type GenerationService,
} from "@reelhouse/shared/generation/service.server";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { ffprobePath } from "@reelhouse/shared/media/ffmpeg-path.server";
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
 * Extend end to end: a private database, a REAL worker process that renders a real previz clip
 * (the generate workflow), then continues it (the extend workflow). The extended draft's first D
 * seconds are the source frame for frame (hashes of the decoded frames), it lasts D + N, and the
 * refusals write nothing.
 */

let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let edits: EditService;
let jobs: GenerationService;
let worker: WorkerHandle;
let seed: Seeded;
let source: { draftId: string; file: string };

const D = 4;
const N = 2;
const SIZE = "720x1280";

async function waitFinished(workflowId: string, userId: string) {
  return waitFor(
    `${workflowId} to finish`,
    async () => {
      const j = await jobs.getJob(userId, workflowId);
      return j && ["succeeded", "failed", "cancelled"].includes(j.status) ? j : undefined;
    },
    300_000,
    250,
  );
}

/** When each stream's first frame is presented, seconds (ffprobe's start_time). */
function streamStarts(file: string): Record<string, number> {
  const out = execFileSync(
    ffprobePath(),
    ["-v", "error", "-show_entries", "stream=codec_type,start_time", "-of", "csv=p=0", file],
    { encoding: "utf8" },
  );
  return Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => l.split(","))
      .map(([type, start]) => [type!, Number(start)]),
  );
}

/** MD5 of every decoded video frame (ffmpeg's framemd5 muxer), in order. */
async function frameHashes(file: string): Promise<string[]> {
  const { stdout } = await runFfmpeg(
    ["-v", "error", "-i", file, "-map", "0:v:0", "-f", "framemd5", "pipe:1"],
    { captureStdout: true },
  );
  return stdout
    .toString("utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(",").at(-1)!.trim());
}

/** Every decoded frame as 72 × 128 grey, once each. */
async function grayFrames(file: string): Promise<Uint8Array[]> {
  const { stdout } = await runFfmpeg(
    [
      ...["-v", "error", "-i", file, "-map", "0:v:0", "-fps_mode", "passthrough"],
      ...["-vf", "scale=72:128:flags=area,format=gray", "-f", "rawvideo", "pipe:1"],
    ],
    { captureStdout: true },
  );
  return splitGrayFrames(stdout, 72, 128);
}

const counts = async () =>
  (
    await pool.query<{ jobs: number; drafts: number }>(
      "SELECT (SELECT count(*)::int FROM generation_jobs) AS jobs, (SELECT count(*)::int FROM drafts) AS drafts",
    )
  ).rows[0]!;

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("extend");
  process.env.DATA_DIR = dir;
  pool = createPool(databaseUrl, 4);
  seed = await seedProject(pool);
  edits = await createEditService({ pool, databaseUrl });
  jobs = await createGenerationService({ pool, databaseUrl });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-extend" });
  await worker.ready;
  const submitted = await jobs.submitGeneration(seed.editorId, {
    projectId: seed.projectId,
    requestId: "source-previz-1",
    backend: "previz",
    request: {
      prompt: { text: "A dog runs across a sunny park, the camera pans right", sections: {} },
      durationSeconds: D,
      size: SIZE,
      seed: 424242,
    },
  });
  const job = await waitFinished(submitted.job.workflowId, seed.editorId);
  expect(job.status, JSON.stringify(job)).toBe("succeeded");
  const row = (await pool.query("SELECT video_path FROM drafts WHERE id = $1", [job.draft!.id]))
    .rows[0];
  source = { draftId: job.draft!.id, file: path.join(dir, row.video_path) };
}, 600_000);

afterAll(async () => {
  await worker?.stop();
  await edits?.close();
  await jobs?.close();
  await pool?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("extend workflow", () => {
  it("continues a previz clip by N s: a NEW draft of D + N s whose first D s are the source frame for frame", async () => {
    const before = await frameHashes(source.file);
    expect(before).toHaveLength(D * 30);
    const { workflowId, duplicate, durationSeconds } = await edits.submitExtend(
      seed.editorId,
      seed.projectId,
      source.draftId,
      { requestId: "extend-1", seconds: N },
    );
    expect(duplicate).toBe(false);
    expect(durationSeconds).toBe(D + N);
    expect(
      (
        await edits.submitExtend(seed.editorId, seed.projectId, source.draftId, {
          requestId: "extend-1",
          seconds: N,
        })
      ).duplicate,
    ).toBe(true);
    const job = await waitFinished(workflowId, seed.editorId);
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    const draft = (await pool.query("SELECT * FROM drafts WHERE id = $1", [job.draft!.id])).rows[0];
    expect(draft.id).not.toBe(source.draftId);
    expect(draft.backend).toBe("previz");
    expect(draft.metadata.extend).toEqual({
      sourceDraftId: source.draftId,
      fromSeconds: D,
      seconds: N,
    });
    expect(draft.metadata.edit).toEqual({ sourceDraftIds: [source.draftId] });
    const file = path.join(dir, draft.video_path);
    const info = await probe(file);
    expect(info.video?.frames).toBe((D + N) * 30);
    expect(Math.abs(info.durationSeconds - (D + N))).toBeLessThan(0.05);
    expect(Math.abs(info.audio!.durationSeconds - (D + N))).toBeLessThan(0.05);
    // Picture and sound start together (a joined source's sound once pushed its picture 21 ms late).
    expect(streamStarts(file)).toEqual({ video: 0, audio: 0 });
    const after = await frameHashes(file);
    expect(after).toHaveLength((D + N) * 30);
    expect(after.slice(0, D * 30)).toEqual(before);
    // The continuation is new picture, not a frozen last frame.
    expect(new Set(after.slice(D * 30)).size).toBeGreaterThan(N * 30 * 0.5);
    // What people download is the marked export: the same frames, the same length.
    const exported = await waitFor("the extension's export", async () => {
      const r = await pool.query<{ export_path: string | null }>(
        "SELECT export_path FROM drafts WHERE id = $1",
        [draft.id],
      );
      const rel = r.rows[0]?.export_path;
      return rel && existsSync(path.join(dir, rel)) ? path.join(dir, rel) : undefined;
    });
    const delivered = await probe(exported);
    expect(delivered.video?.frames).toBe((D + N) * 30);
    expect(Math.abs(delivered.durationSeconds - (D + N))).toBeLessThan(0.05);
    // It carries the source's plan on, so at D the picture moves on no more than the source does
    // from one frame to the next (a re-plan over D + N cut to another framing).
    const row = (
      await pool.query("SELECT request FROM generation_jobs WHERE workflow_id = $1", [workflowId])
    ).rows[0];
    expect(row.request).toMatchObject({ durationSeconds: D + N, planSeconds: D });
    const grey = await grayFrames(file);
    const src = await grayFrames(source.file);
    const steps = src.slice(1).map((f, i) => frameDifference(src[i]!, f));
    const seam = frameDifference(grey[D * 30 - 1]!, grey[D * 30]!);
    expect(seam).toBeLessThanOrEqual(Math.max(...steps) * 1.05);
    expect(existsSync(path.join(dir, draft.poster_path))).toBe(true);
    expect(existsSync(path.join(dir, draft.sprite_path))).toBe(true);
    // The source is untouched.
    expect(await frameHashes(source.file)).toEqual(before);
  }, 600_000);

  it("refuses, writing nothing: N out of range, a draft the person cannot see, a viewer, a non-previz draft", async () => {
    const start = await counts();
    const ask = (userId: string, draftId: string, seconds: unknown, projectId = seed.projectId) =>
      edits.submitExtend(userId, projectId, draftId, { requestId: "extend-refused", seconds });
    await expect(ask(seed.editorId, source.draftId, 0)).rejects.toMatchObject({
      status: 400,
      code: "invalid_seconds",
    });
    await expect(ask(seed.editorId, source.draftId, 1.5)).rejects.toMatchObject({
      code: "invalid_seconds",
    });
    await expect(ask(seed.editorId, source.draftId, 20 - D + 1)).rejects.toMatchObject({
      status: 400,
      code: "invalid_seconds",
      message: expect.stringContaining(`at most ${20 - D} s`),
    });
    await expect(ask(seed.outsiderId, source.draftId, N)).rejects.toMatchObject({ status: 404 });
    await expect(ask(seed.viewerId, source.draftId, N)).rejects.toMatchObject({ status: 403 });
    const other = await seedProject(pool);
    await expect(ask(seed.editorId, source.draftId, N, other.projectId)).rejects.toMatchObject({
      status: 404,
    });
    await expect(ask(seed.editorId, "not-a-uuid", N)).rejects.toMatchObject({ status: 404 });
    // A clip another backend made: same video, but backend "edit".
    const edited = (
      await pool.query<{ id: string }>(
        `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id, poster_media_id,
           sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
         SELECT 'edit:x:y', project_id, created_by, kind, 'edit', prompt, video_media_id, poster_media_id,
           sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height
           FROM drafts WHERE id = $1 RETURNING id`,
        [source.draftId],
      )
    ).rows[0]!.id;
    const mid = await counts();
    await expect(ask(seed.editorId, edited, N)).rejects.toMatchObject({
      status: 400,
      code: "extend_unsupported",
    });
    expect(await counts()).toEqual(mid);
    expect(mid.jobs).toBe(start.jobs);
  });
});
