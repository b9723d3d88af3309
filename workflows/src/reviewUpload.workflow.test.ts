import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { transaction } from "@reelhouse/shared/db/pool.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { stackDraft } from "@reelhouse/shared/review/stacks.server";
import { UPLOAD_LIMITS } from "@reelhouse/shared/review/upload";
import {
  createReviewUploadService,
  type ReviewUploadService,
  UploadRefusal,
} from "@reelhouse/shared/review/upload.server";
import { makeDraft, makeUser, type TestUser } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createPool,
  freshDatabase,
  spawnWorker,
  tempDataDir,
  type WorkerHandle,
  waitFor,
} from "./testing/harness.ts";

/**
 * A video file uploaded as the next version of a review stack (issue 14), end to end: a private
 * database, the web tier's upload service, a REAL worker process, real ffmpeg. The file is judged
 * by content before anything is stored; the worker transcodes it to the playback format, makes
 * the poster and spritesheet and stores vN (needs review, by the uploader), announced to the
 * team; refusals write nothing; a worker killed with -9 mid-transcode loses nothing.
 */
vi.setConfig({ testTimeout: 600_000, hookTimeout: 180_000 });

let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let service: ReviewUploadService;
let worker: WorkerHandle;
const clips: Record<string, string> = {};

const ff = (...args: string[]) =>
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("upload");
  process.env.DATA_DIR = dir;
  pool = createPool(databaseUrl, 4);
  // Limits as the product's, but smaller byte and length caps so the refusals need no huge file.
  service = await createReviewUploadService({
    pool,
    databaseUrl,
    root: dir,
    limits: { ...UPLOAD_LIMITS, maxBytes: 8 * 1024 * 1024, maxSeconds: 30 },
  });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-upload" });
  const f = (name: string) => path.join(dir, "fixtures", name);
  execFileSync("mkdir", ["-p", path.join(dir, "fixtures")]);
  clips.webm = f("cut-v2.webm");
  ff(
    ...["-f", "lavfi", "-i", "testsrc2=s=480x270:r=25:d=3", "-f", "lavfi"],
    ...["-i", "sine=f=440:d=3", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8"],
    ...["-c:a", "libopus", clips.webm],
  );
  clips.silentMp4 = f("silent.mp4");
  ff(
    ...["-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=2", "-c:v", "libx264", "-preset"],
    ...["ultrafast", "-pix_fmt", "yuv420p", clips.silentMp4],
  );
  clips.long = f("long.mp4");
  ff(
    ...["-f", "lavfi", "-i", "testsrc2=s=320x240:r=5:d=40", "-c:v", "libx264", "-preset"],
    ...["ultrafast", "-pix_fmt", "yuv420p", clips.long],
  );
  // 12 s of 720p in yuv444p: re-encoded by the worker, long enough to kill it in the middle.
  clips.mid = f("mid.mp4");
  ff(
    ...["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=12", "-f", "lavfi", "-i"],
    ...["sine=d=12", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt"],
    ...["yuv444p", "-c:a", "aac", clips.mid],
  );
  clips.text = f("notes.mp4");
  writeFileSync(clips.text, "These are my notes about the cut, not a video at all.\n");
  clips.playlist = f("playlist.mp4");
  writeFileSync(clips.playlist, "#EXTM3U\n#EXTINF:10,\nfile:///etc/passwd\n");
  clips.truncated = f("truncated.mp4");
  const whole = readFileSync(clips.silentMp4);
  writeFileSync(clips.truncated, whole.subarray(0, Math.floor(whole.length / 2)));
  // A real MP4 padded past the cap: the size is checked before anything else is read.
  clips.big = f("big.mp4");
  writeFileSync(clips.big, Buffer.concat([readFileSync(clips.silentMp4), Buffer.alloc(9 << 20)]));
  clips.wide = f("wide.mp4");
  ff(
    ...["-f", "lavfi", "-i", "testsrc2=s=3856x64:r=1:d=1", "-c:v", "libx264", "-preset"],
    ...["ultrafast", "-pix_fmt", "yuv420p", clips.wide],
  );
  await worker.ready;
});
afterAll(async () => {
  await worker?.stop();
  await service?.close();
  await pool?.end();
});

type Team = { owner: TestUser; editor: TestUser; first: string; projectId: string; ws: string };

async function team(): Promise<Team> {
  const owner = await makeUser(pool);
  const d = await makeDraft(pool, owner);
  await transaction(pool, (c) => stackDraft(c, d.draftId));
  const editor = await member(d.workspaceId, "editor");
  return { owner, editor, first: d.draftId, projectId: d.projectId, ws: d.workspaceId };
}

async function member(workspaceId: string, role: string) {
  const u = await makeUser(pool);
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
    [workspaceId, u.id, role],
  );
  return u;
}

/** The service takes a file the route streamed; give it a copy (a refused one is left in place). */
let n = 0;
function incoming(src: string): string {
  const p = path.join(dir, `incoming-${n++}${path.extname(src)}`);
  copyFileSync(src, p);
  return p;
}

const rid = () => `req_${Math.random().toString(36).slice(2, 12)}`;

async function finished(workflowId: string, userId: string) {
  return waitFor(
    `upload ${workflowId}`,
    async () => {
      const s = await service.status(userId, workflowId);
      return s.status === "succeeded" || s.status === "failed" ? s : undefined;
    },
    300_000,
    200,
  );
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await p;
    return { code: "accepted", status: 200 };
  } catch (err) {
    if (err instanceof UploadRefusal) return { code: err.code, status: err.status };
    throw err;
  }
}

const generationsDir = () =>
  existsSync(path.join(dir, "generations")) ? readdirSync(path.join(dir, "generations")) : [];

describe("review upload workflow", () => {
  it("an editor's WebM becomes v2: transcoded to H.264 + AAC, poster and filmstrip, needs review, announced", async () => {
    const t = await team();
    const file = incoming(clips.webm!);
    const { workflowId, duplicate } = await service.submit(t.editor.id, t.first, {
      file,
      fileName: "cut-v2.webm",
      requestId: rid(),
    });
    expect(duplicate).toBe(false);
    expect(existsSync(file)).toBe(false); // moved, kept as the version's original
    const done = await finished(workflowId, t.editor.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 100 });
    const d = (
      await pool.query(
        `SELECT d.*, v.number, v.status, v.item_id, i.current_draft_id FROM drafts d
           JOIN review_versions v ON v.draft_id = d.id JOIN review_items i ON i.id = v.item_id
          WHERE d.id = $1`,
        [done.draftId],
      )
    ).rows[0];
    expect(d).toMatchObject({
      number: 2,
      status: "needs_review",
      created_by: t.editor.id,
      backend: "upload",
      current_draft_id: done.draftId,
      width: 480,
      height: 270,
    });
    const first = await pool.query("SELECT item_id FROM review_versions WHERE draft_id = $1", [
      t.first,
    ]);
    expect(d.item_id).toBe(first.rows[0].item_id);
    expect(d.metadata.upload).toMatchObject({ stackDraftId: t.first, fileName: "cut-v2.webm" });
    expect(existsSync(path.join(dir, d.metadata.upload.originalPath))).toBe(true);
    const out = await probe(path.join(dir, d.video_path));
    expect(out.video).toMatchObject({ codec: "h264", pixFmt: "yuv420p" });
    expect(out.audio?.codec).toBe("aac");
    expect(out.faststart).toBe(true);
    expect(Math.abs(out.durationSeconds - 3)).toBeLessThan(0.2);
    for (const p of [d.poster_path, d.sprite_path])
      expect(existsSync(path.join(dir, p))).toBe(true);
    const notes = await pool.query(
      "SELECT user_id, payload FROM notifications WHERE kind = 'review.version' AND payload->>'draftId' = $1",
      [done.draftId],
    );
    expect(notes.rows.map((r) => r.user_id)).toEqual([t.owner.id]);
    expect(notes.rows[0].payload).toMatchObject({ number: 2, actorId: t.editor.id });

    // The same request again (a retried POST) makes no third version.
    const again = await service.submit(t.editor.id, t.first, {
      file: incoming(clips.webm!),
      fileName: "cut-v2.webm",
      requestId: workflowId.split(":").at(-1),
    });
    expect(again).toEqual({ workflowId, duplicate: true });
    const count = await pool.query(
      "SELECT count(*)::int AS n FROM review_versions WHERE item_id = $1",
      [d.item_id],
    );
    expect(count.rows[0].n).toBe(2);
  });

  it("a silent H.264 MP4 is stream-copied and gets a silent AAC track", async () => {
    const t = await team();
    const { workflowId } = await service.submit(t.owner.id, t.first, {
      file: incoming(clips.silentMp4!),
      fileName: "silent.mp4",
      requestId: rid(),
    });
    const done = await finished(workflowId, t.owner.id);
    expect(done.status).toBe("succeeded");
    const row = (await pool.query("SELECT video_path FROM drafts WHERE id = $1", [done.draftId]))
      .rows[0];
    const out = await probe(path.join(dir, row.video_path));
    expect(out.video).toMatchObject({ codec: "h264", width: 320, height: 240 });
    expect(out.audio?.codec).toBe("aac");
  });

  it("refuses, writing nothing: a text file named .mp4, a playlist, a truncated file, too large, too wide, another workspace's stack, a viewer, a commenter", async () => {
    const t = await team();
    const other = await team();
    const viewer = await member(t.ws, "viewer");
    const commenter = await member(t.ws, "commenter");
    const before = generationsDir();
    const jobsBefore = (await pool.query("SELECT count(*)::int AS n FROM generation_jobs")).rows[0]
      .n;
    const draftsBefore = (await pool.query("SELECT count(*)::int AS n FROM drafts")).rows[0].n;
    const up = (user: TestUser, src: string, draft = t.first) =>
      refusal(
        service.submit(user.id, draft, {
          file: incoming(src),
          fileName: "x.mp4",
          requestId: rid(),
        }),
      );
    expect(await up(t.editor, clips.text!)).toEqual({ code: "upload_not_video", status: 400 });
    expect(await up(t.editor, clips.playlist!)).toEqual({ code: "upload_playlist", status: 400 });
    expect((await up(t.editor, clips.truncated!)).code).toMatch(/^upload_(unreadable|truncated)$/);
    expect(await up(t.editor, clips.big!)).toEqual({ code: "upload_too_big", status: 413 });
    expect(await up(t.editor, clips.wide!)).toEqual({ code: "upload_too_large", status: 400 });
    expect(await up(t.editor, clips.long!)).toEqual({ code: "upload_too_long", status: 400 });
    expect(await up(t.editor, clips.webm!, other.first)).toEqual({
      code: "not_found",
      status: 404,
    });
    expect(await up(viewer, clips.webm!)).toEqual({ code: "forbidden", status: 403 });
    expect(await up(commenter, clips.webm!)).toEqual({ code: "forbidden", status: 403 });
    expect(await refusal(service.authorize(commenter.id, t.first))).toEqual({
      code: "forbidden",
      status: 403,
    });
    expect(await refusal(service.authorize(t.editor.id, other.first))).toMatchObject({
      status: 404,
    });
    expect(generationsDir()).toEqual(before);
    expect((await pool.query("SELECT count(*)::int AS n FROM generation_jobs")).rows[0].n).toBe(
      jobsBefore,
    );
    expect((await pool.query("SELECT count(*)::int AS n FROM drafts")).rows[0].n).toBe(
      draftsBefore,
    );
    // Another workspace's member cannot read an upload's progress either.
    expect(await refusal(service.status(other.owner.id, "upload:x:y"))).toMatchObject({
      status: 404,
    });
  });

  it("loses nothing when the worker is killed with -9 mid-transcode: after restart, one version", async () => {
    const t = await team();
    const { workflowId } = await service.submit(t.editor.id, t.first, {
      file: incoming(clips.mid!),
      fileName: "cut.mp4",
      requestId: rid(),
    });
    await waitFor(
      "the transcode to start",
      async () => (await service.status(t.editor.id, workflowId)).stage === "transcoding",
      120_000,
      20,
    );
    await worker.kill9();
    worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-upload" });
    await worker.ready;
    const done = await finished(workflowId, t.editor.id);
    expect(done.status).toBe("succeeded");
    const versions = await pool.query(
      `SELECT v.number FROM review_versions v JOIN drafts d ON d.id = v.draft_id
        WHERE d.workflow_id = $1`,
      [workflowId],
    );
    expect(versions.rows).toEqual([{ number: 2 }]);
  });
});
