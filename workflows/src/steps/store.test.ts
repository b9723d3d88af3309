import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resetEnvCache } from "@reelhouse/shared/env.server";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import {
  posterArgs,
  spritesheetArgs,
  testsrcEncodeArgs,
} from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { readProvenance } from "@reelhouse/shared/provenance/sign.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPool,
  freshDatabase,
  type Seeded,
  seedProject,
  tempDataDir,
} from "../testing/harness.ts";
import { closeStepPool, jobDirs } from "./context.ts";
import { draftsWithoutExport, exportDraftStep } from "./draft-export.ts";
import { finishStep } from "./store.ts";

/**
 * The last step runs at least once: a recovered workflow, or a zombie attempt racing its recovery,
 * can run it twice at the same time. It must still leave one draft, three media rows, one
 * notification, and no work directory.
 */

let pool: ReturnType<typeof createPool>;
let seeded: Seeded;
let dir: string;

beforeAll(async () => {
  const databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("store");
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATA_DIR = dir;
  resetEnvCache();
  pool = createPool(databaseUrl, 3);
  seeded = await seedProject(pool);
});

afterAll(async () => {
  await closeStepPool();
  await pool?.end();
  delete process.env.DATABASE_URL;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

describe("finish step", () => {
  it("stores exactly one draft when two attempts finish the same workflow at once", async () => {
    const workflowId = `gen:${seeded.projectId}:idempotent-finish`;
    const { outDir, workDir } = jobDirs(workflowId);
    mkdirSync(outDir, { recursive: true });
    mkdirSync(workDir, { recursive: true });
    writeFileSync(path.join(workDir, ".video.part-123.mp4"), "half a render");
    await pool.query(
      "INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status) VALUES ($1, 'clip', $2, $3, 'test-pattern', '{}', 'running')",
      [workflowId, seeded.projectId, seeded.editorId],
    );
    const video = path.join(outDir, "video.mp4");
    await ffmpegToFile(video, (tmp) =>
      testsrcEncodeArgs({ width: 720, height: 1280, fps: 30, seconds: 1, output: tmp }),
    );
    const poster = path.join(outDir, "poster.jpg");
    await ffmpegToFile(poster, (tmp) =>
      posterArgs({ input: video, output: tmp, atSeconds: 0.5, width: 720 }),
    );
    const sprite = path.join(outDir, "sprite.jpg");
    await ffmpegToFile(sprite, (tmp) =>
      spritesheetArgs({
        input: video,
        output: tmp,
        durationSeconds: 1,
        columns: 5,
        rows: 4,
        tileWidth: 160,
      }),
    );
    const probed = await probe(video);
    const input = {
      workflowId,
      kind: "clip" as const,
      projectId: seeded.projectId,
      userId: seeded.editorId,
      backend: "test-pattern",
      prompt: "A test",
      videoPath: video,
      posterPath: poster,
      spritePath: sprite,
      sprite: {
        columns: 5,
        rows: 4,
        count: 20,
        tileWidth: 160,
        tileHeight: 284,
        intervalSeconds: 0.05,
      },
      probe: probed,
      metadata: {},
      notify: true,
    };
    const ids = await Promise.all([finishStep(input), finishStep(input), finishStep(input)]);
    expect(new Set(ids).size).toBe(1);
    const n = async (sql: string, params: unknown[]) =>
      (await pool.query(sql, params)).rows[0].n as number;
    expect(
      await n("SELECT count(*)::int AS n FROM drafts WHERE workflow_id = $1", [workflowId]),
    ).toBe(1);
    expect(
      await n("SELECT count(*)::int AS n FROM media WHERE owner_id = $1", [seeded.editorId]),
    ).toBe(3);
    expect(
      await n("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1", [seeded.editorId]),
    ).toBe(1);
    // Each of the draft's media ids points at the row of its own file.
    const media = await pool.query(
      `SELECT m.kind, m.content_type, m.width, m.height, m.duration_ms, m.bytes > 0 AS has_bytes
         FROM drafts d JOIN media m ON m.id IN (d.video_media_id, d.poster_media_id, d.sprite_media_id)
        WHERE d.id = $1
        ORDER BY m.id = d.video_media_id DESC, m.id = d.poster_media_id DESC`,
      [ids[0]],
    );
    expect(media.rows).toEqual([
      {
        kind: "video",
        content_type: "video/mp4",
        width: 720,
        height: 1280,
        duration_ms: 1000,
        has_bytes: true,
      },
      {
        kind: "poster",
        content_type: "image/jpeg",
        width: 720,
        height: 1280,
        duration_ms: null,
        has_bytes: true,
      },
      {
        kind: "spritesheet",
        content_type: "image/jpeg",
        width: 800,
        height: 1136,
        duration_ms: null,
        has_bytes: true,
      },
    ]);
    // The draft is v1 of its stack (the project's prompt clip), stacked once, and current.
    const version = await pool.query(
      `SELECT v.number, i.item_key, i.current_draft_id FROM review_versions v
         JOIN review_items i ON i.id = v.item_id WHERE v.draft_id = $1`,
      [ids[0]],
    );
    expect(version.rows).toEqual([{ number: 1, item_key: "prompt", current_draft_id: ids[0] }]);
    const job = await pool.query(
      "SELECT status, progress, draft_id FROM generation_jobs WHERE workflow_id = $1",
      [workflowId],
    );
    expect(job.rows[0]).toEqual({ status: "succeeded", progress: 100, draft_id: ids[0] });
    expect(existsSync(workDir)).toBe(false);
    expect(readdirSync(outDir).sort()).toEqual([
      "export.mp4",
      "poster.jpg",
      "sprite.jpg",
      "video.mp4",
    ]);
    // And once more later (a recovery after everything was done): still one of each.
    expect(await finishStep(input)).toBe(ids[0]);
    expect(
      await n("SELECT count(*)::int AS n FROM media WHERE owner_id = $1", [seeded.editorId]),
    ).toBe(3);
  });

  it("backfills the export of a draft made before exports: signed, recorded once, however many attempts", async () => {
    const workflowId = `gen:${seeded.projectId}:idempotent-finish`;
    const { outDir } = jobDirs(workflowId);
    const draft = await pool.query<{ id: string }>("SELECT id FROM drafts WHERE workflow_id = $1", [
      workflowId,
    ]);
    const id = draft.rows[0]!.id;
    // As a draft stored before migration 0094: no export named, none on disk, an hour old.
    rmSync(path.join(outDir, "export.mp4"));
    await pool.query(
      "UPDATE drafts SET export_path = NULL, created_at = now() - interval '1 hour' WHERE id = $1",
      [id],
    );
    expect(await draftsWithoutExport()).toEqual([id]);
    const [a, b] = await Promise.all([exportDraftStep(id), exportDraftStep(id)]);
    expect(a).toBe(b);
    const row = await pool.query("SELECT export_path FROM drafts WHERE id = $1", [id]);
    expect(row.rows[0].export_path).toBe(a);
    const file = path.join(dir, a!);
    expect((await readProvenance({ path: file })).state).toBe("ours");
    expect(await probe(file)).toMatchObject({ video: { width: 720, height: 1280 } });
    expect(await draftsWithoutExport()).toEqual([]);
    expect(await exportDraftStep("00000000-0000-4000-8000-000000000000")).toBeNull();
  });
});
