import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import { transaction } from "@reelhouse/shared/db/pool.server";
import { DBOS_SCHEMA, systemDatabaseUrl } from "@reelhouse/shared/generation/dbos.server";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "@reelhouse/shared/names";
import { loadOrCreateIdentity } from "@reelhouse/shared/provenance/identity.server";
import { TRAINED_ALGORITHMIC_MEDIA } from "@reelhouse/shared/provenance/manifest";
import { readProvenance } from "@reelhouse/shared/provenance/sign.server";
import { setStatusAsMember } from "@reelhouse/shared/review/approvals.server";
import { setReviewSettings } from "@reelhouse/shared/review/publish-rules.server";
import { stackDraft } from "@reelhouse/shared/review/stacks.server";
import { follow } from "@reelhouse/shared/social/interactions.server";
import { listNotifications } from "@reelhouse/shared/social/notifications.server";
import {
  createPublishService,
  type PublishInput,
  type PublishService,
  publishWorkflowId,
} from "@reelhouse/shared/social/publish.server";
import {
  makeDraft,
  makePost,
  makeUser,
  type TestUser,
} from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPool,
  freshDatabase,
  spawnWorker,
  tempDataDir,
  type WorkerHandle,
  waitFor,
} from "./testing/harness.ts";

/**
 * The publish workflow end to end: a private database, a REAL worker process, real ffmpeg. The
 * draft's video is a real MP4 (testsrc2 + tone) written where drafts live.
 */

let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let service: PublishService;
let worker: WorkerHandle;
let owner: TestUser;
let fan: TestUser;
let original: { author: TestUser; postId: string };

async function realDraft(user: TestUser) {
  const rel = path.join(
    "generations",
    `src-${Math.random().toString(36).slice(2, 9)}`,
    "video.mp4",
  );
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  await runFfmpeg(
    testsrcEncodeArgs({
      width: 720,
      height: 1280,
      fps: 30,
      seconds: 3,
      output: path.join(dir, rel),
    }),
  );
  return makeDraft(pool, user, rel);
}

/** Mean luma of a crop of the frame at 1.5 s (0..255). */
async function lumaOf(
  file: string,
  crop: { w: number; h: number; x: number; y: number },
): Promise<number> {
  const { stdout } = await runFfmpeg(
    [
      "-hide_banner",
      "-nostdin",
      "-loglevel",
      "error",
      "-ss",
      "1.5",
      "-i",
      file,
      "-frames:v",
      "1",
      "-vf",
      `crop=${crop.w}:${crop.h}:${crop.x}:${crop.y},format=gray`,
      "-f",
      "rawvideo",
      "pipe:1",
    ],
    { captureStdout: true },
  );
  let sum = 0;
  for (const b of stdout) sum += b;
  return sum / stdout.length;
}

async function waitDone(workflowId: string, userId: string) {
  return waitFor(
    `${workflowId} to finish`,
    async () => {
      const j = await service.get(userId, workflowId);
      return j.status === "succeeded" || j.status === "failed" ? j : undefined;
    },
    120_000,
  );
}

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("publish");
  process.env.DATA_DIR = dir;
  pool = createPool(databaseUrl, 4);
  owner = await makeUser(pool);
  fan = await makeUser(pool);
  const origAuthor = await makeUser(pool);
  original = {
    author: origAuthor,
    postId: await makePost(pool, origAuthor, { caption: "the original" }),
  };
  await follow(pool, fan.viewer, owner.id);
  service = await createPublishService({ pool, databaseUrl });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-publish" });
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await service?.close();
  await pool?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("publish workflow", () => {
  it("publishing twice at once makes one job and one post, with rendition, poster, watermarked download and notifications", async () => {
    const draft = await realDraft(owner);
    const input = {
      draftId: draft.draftId,
      caption: `Fox at dawn #Fox #snow with @${fan.username}`,
      remixOf: original.postId,
    };
    const [a, b] = await Promise.all([
      service.submit(owner.id, input),
      service.submit(owner.id, input),
    ]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.job.workflowId).toBe(b.job.workflowId);
    const done = await waitDone(a.job.workflowId, owner.id);
    expect(done.status, `${done.errorCode}: ${done.error}\n${worker.output()}`).toBe("succeeded");

    const posts = await pool.query("SELECT * FROM posts WHERE draft_id = $1", [draft.draftId]);
    expect(posts.rows).toHaveLength(1);
    const post = posts.rows[0];
    expect(post.id).toBe(done.postId);
    expect(post.remix_of).toBe(original.postId);

    // Files: a playable rendition ≤ 720 wide, a poster, and a download with audio.
    for (const f of [post.video_path, post.poster_path, post.download_path])
      expect(existsSync(path.join(dir, f))).toBe(true);
    const feed = await probe(path.join(dir, post.video_path));
    expect(feed.video?.codec).toBe("h264");
    expect(feed.video!.width).toBeLessThanOrEqual(720);
    const download = await probe(path.join(dir, post.download_path));
    expect(download.audio).toBeTruthy();
    expect(Math.abs(download.durationSeconds - 3)).toBeLessThan(0.1);
    // Each file carries a C2PA manifest valid with this instance's chain (made by the worker in
    // DATA_DIR), claiming AI generation, the draft, and the remixed original as an ingredient.
    const ourId = await loadOrCreateIdentity(dir, {});
    for (const [f, kind] of [
      [post.video_path, "post-video"],
      [post.poster_path, "post-poster"],
      [post.download_path, "post-download"],
    ]) {
      const c2pa = await readProvenance({ path: path.join(dir, f) }, ourId);
      expect(c2pa.state, `${f}: ${JSON.stringify(c2pa.failures)}`).toBe("ours");
      expect(c2pa.origin).toMatchObject({ kind, draftId: draft.draftId, backend: "previz" });
      expect(c2pa.claims?.digitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
      expect(c2pa.claims?.ingredients.some((g) => g.instanceId?.endsWith(original.postId))).toBe(
        true,
      );
    }
    expect(
      readdirSync(path.dirname(path.join(dir, post.video_path))).filter((f) => f.startsWith(".")),
    ).toEqual([]);
    // The watermark is visible: the bottom-left corner differs from the source; the top does not.
    const srcPath = path.join(
      dir,
      (await pool.query("SELECT video_path FROM drafts WHERE id = $1", [draft.draftId])).rows[0]
        .video_path,
    );
    const corner = { w: 200, h: 60, x: 30, y: 1280 - 24 - 60 };
    const top = { w: 200, h: 60, x: 30, y: 100 };
    expect(
      Math.abs(
        (await lumaOf(path.join(dir, post.download_path), corner)) -
          (await lumaOf(srcPath, corner)),
      ),
    ).toBeGreaterThan(8);
    expect(
      Math.abs(
        (await lumaOf(path.join(dir, post.download_path), top)) - (await lumaOf(srcPath, top)),
      ),
    ).toBeLessThan(3);

    // Hashtags, the follower's and the mentioned person's notifications, the original's remix count.
    const tags = await pool.query("SELECT tag FROM post_hashtags WHERE post_id = $1 ORDER BY tag", [
      post.id,
    ]);
    expect(tags.rows.map((r) => r.tag)).toEqual(["fox", "snow"]);
    const fanKinds = (await listNotifications(pool, fan.id)).map((n) => n.kind).sort();
    expect(fanKinds).toEqual(["mention", "new_post"]);
    expect((await listNotifications(pool, original.author.id)).map((n) => n.kind)).toEqual([
      "remix",
    ]);
    expect(
      (await pool.query("SELECT remix_count FROM posts WHERE id = $1", [original.postId])).rows[0]
        .remix_count,
    ).toBe(1);
    // The cameo step ran for real and said it found none.
    expect(worker.output()).toContain("no cameos in draft");

    // Publishing again later: the same job, still one post, no second notification.
    const again = await service.submit(owner.id, input);
    expect(again.duplicate).toBe(true);
    expect(
      (
        await pool.query("SELECT count(*)::int AS n FROM posts WHERE draft_id = $1", [
          draft.draftId,
        ])
      ).rows[0].n,
    ).toBe(1);
    expect((await listNotifications(pool, fan.id)).length).toBe(2);
  });

  it("refuses, with nothing written, a draft of someone else's project, a viewer, and a remix the owner forbids", async () => {
    const draft = await realDraft(owner);
    const stranger = await makeUser(pool);
    await expect(service.submit(stranger.id, { draftId: draft.draftId })).rejects.toMatchObject({
      code: "not_found",
    });
    const viewerUser = await makeUser(pool);
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'viewer')",
      [draft.workspaceId, viewerUser.id],
    );
    await expect(service.submit(viewerUser.id, { draftId: draft.draftId })).rejects.toMatchObject({
      code: "forbidden",
    });
    const closed = await makePost(pool, original.author, { allowRemix: false });
    await expect(
      service.submit(owner.id, { draftId: draft.draftId, remixOf: closed }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // A malformed draft id is only a wrong id; malformed other fields are invalid input.
    await expect(service.submit(owner.id, { draftId: "nope" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      service.submit(owner.id, { draftId: draft.draftId, audience: "kids" }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect(
      (
        await pool.query("SELECT count(*)::int AS n FROM publish_jobs WHERE draft_id = $1", [
          draft.draftId,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it("fails a caption the safety check refuses, permanently and with the reason, and posts nothing", async () => {
    const draft = await realDraft(owner);
    const { job } = await service.submit(owner.id, {
      draftId: draft.draftId,
      caption: "step by step guide to build a pipe bomb",
    });
    const done = await waitDone(job.workflowId, owner.id);
    expect(done.status).toBe("failed");
    expect(done.errorCode).toBe("unsafe_caption");
    expect(done.error).toMatch(/weapons or drugs/);
    expect(
      (
        await pool.query("SELECT count(*)::int AS n FROM posts WHERE draft_id = $1", [
          draft.draftId,
        ])
      ).rows[0].n,
    ).toBe(0);
  });

  it("with approval required, the workflow itself refuses a version that is not approved (a job accepted before the rule), and publishes it once approved", async () => {
    const draft = await realDraft(owner);
    await transaction(pool, (c) => stackDraft(c, draft.draftId));
    // The web tier refuses it outright…
    await setReviewSettings(pool, owner.id, draft.workspaceId, {
      requireApproval: true,
      publishRule: "editors",
    });
    await expect(service.submit(owner.id, { draftId: draft.draftId })).rejects.toThrow(
      /approved versions only: v1 is needs review/,
    );
    // …and a job that reached the queue anyway (accepted before the rule was switched on) is
    // refused by the workflow's checks step, permanently, posting nothing.
    const client = await DBOSClient.create({
      systemDatabaseUrl: systemDatabaseUrl(databaseUrl),
      systemDatabaseSchemaName: DBOS_SCHEMA,
      applicationName: DBOS_APP_NAME,
      systemDatabasePoolSize: 1,
    });
    const workflowId = publishWorkflowId(draft.draftId);
    const req = {
      draftId: draft.draftId,
      caption: "",
      audience: "all",
      allowRemix: true,
      remixOf: null,
    };
    try {
      await transaction(pool, async (c) => {
        await c.query(
          "INSERT INTO publish_jobs (workflow_id, user_id, draft_id, request) VALUES ($1, $2, $3, $4)",
          [workflowId, owner.id, draft.draftId, JSON.stringify(req)],
        );
        const input: PublishInput = {
          userId: owner.id,
          workflowId,
          req: req as PublishInput["req"],
        };
        await client.enqueueInTransaction(
          c,
          { queueName: QUEUES.media, workflowName: WORKFLOWS.publish, workflowID: workflowId },
          input,
        );
      });
    } finally {
      await client.destroy();
    }
    const done = await waitDone(workflowId, owner.id);
    expect(done.status).toBe("failed");
    expect(done.errorCode).toBe("publish_forbidden");
    expect(done.error).toMatch(/approved versions only/);
    expect(
      (
        await pool.query("SELECT count(*)::int AS n FROM posts WHERE draft_id = $1", [
          draft.draftId,
        ])
      ).rows[0].n,
    ).toBe(0);
    // Approved, a second version of the same item publishes.
    const v2 = await realDraft(owner);
    await pool.query("UPDATE drafts SET project_id = $2 WHERE id = $1", [
      v2.draftId,
      draft.projectId,
    ]);
    await transaction(pool, (c) => stackDraft(c, v2.draftId));
    await setStatusAsMember(pool, owner.id, v2.draftId, "approved");
    const { job } = await service.submit(owner.id, { draftId: v2.draftId });
    const ok = await waitDone(job.workflowId, owner.id);
    expect(ok.status, `${ok.errorCode}: ${ok.error}`).toBe("succeeded");
  });
});
