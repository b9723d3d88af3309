import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { API_LIVENESS_PLAN } from "@reelhouse/shared/api/characters.server";
import { createApiKey } from "@reelhouse/shared/api/keys.server";
import {
  decideRequest,
  requestToCast,
  updateSettings,
} from "@reelhouse/shared/cameos/cameos.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { grayFramesArgs } from "@reelhouse/shared/edit/fixtures";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildFootage, followPlan } from "../../workers/src/cameo/footage.server.ts";
import { facelessRecording } from "./fixtures.ts";
import { startTestApp, type TestApp } from "./harness.ts";
import { privateDatabase, spawnWorker, type WorkerProcess, waitFor } from "./worker-process.ts";

/**
 * The Videos API's edits and characters with the official `openai` package, unchanged, against
 * the real app and a real worker (face model, ffmpeg). An edit renders the source's request again
 * with the edit applied (previz: the picture changes where the edit says, the rest stays); a
 * character is the key's user's person cameo, made by the cameo workflow's liveness and likeness
 * checks, and cast only as its owner allows.
 */

vi.setConfig({ testTimeout: 600_000, hookTimeout: 240_000 });

const dir = mkdtempSync(path.join(os.tmpdir(), "rh-apiec-"));
process.env.DATA_DIR = dir;
let pool: Pool;
let app: TestApp;
let worker: WorkerProcess;
let owner: OpenAI; // Ada, owner of studio A
let teammate: OpenAI; // Cy, an editor of studio A
let outsider: OpenAI; // Bo, owner of studio B
let ada: { userId: string; username: string };
let cy: { userId: string; username: string };

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${app.url}/v1`, maxRetries: 0 });

async function seedUser(tag: string) {
  const username = `${tag}${Math.random().toString(36).slice(2, 8)}`;
  const userId = (
    await pool.query<{ id: string }>(
      `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
       VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
      [`${username}@example.test`, username],
    )
  ).rows[0]!.id;
  return { userId, username };
}

async function seedWorkspace(ownerId: string, members: { userId: string; role: string }[] = []) {
  const workspaceId = (
    await pool.query<{ id: string }>(
      "INSERT INTO workspaces (name, created_by) VALUES ('Studio', $1) RETURNING id",
      [ownerId],
    )
  ).rows[0]!.id;
  for (const m of [{ userId: ownerId, role: "owner" }, ...members])
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [workspaceId, m.userId, m.role],
    );
  return workspaceId;
}

const key = async (userId: string, workspaceId: string) =>
  (await createApiKey(pool, userId, workspaceId, { name: "CI", rateLimitPerMinute: 100_000 })).key;

async function untilDone(c: OpenAI, id: string) {
  return waitFor(`${id} to finish`, async () => {
    const v = await c.videos.retrieve(id);
    return v.status === "completed" || v.status === "failed" ? v : undefined;
  });
}

async function untilCharacter(c: OpenAI, id: string) {
  return waitFor(
    `character ${id} to be processed`,
    async () => {
      const ch = (await c.videos.getCharacter(id)) as Character;
      return ch.status !== "processing" ? ch : undefined;
    },
    540_000,
  );
}

type Character = Awaited<ReturnType<OpenAI["videos"]["getCharacter"]>> & {
  status: "processing" | "ready" | "failed";
  error: { code: string; message: string } | null;
};

async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof OpenAI.APIError) return err;
    throw err;
  }
  throw new Error("expected the API to refuse this call");
}

async function save(c: OpenAI, id: string, name: string): Promise<string> {
  const res = await c.videos.downloadContent(id);
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Mean luma (0-255) over every frame, decoded by ffmpeg to grey 32×32 frames. */
async function meanLuma(file: string): Promise<number> {
  const { stdout } = await runFfmpeg(grayFramesArgs({ input: file, width: 32, height: 32 }), {
    captureStdout: true,
  });
  return stdout.reduce((a, b) => a + b, 0) / stdout.length;
}

const jobOf = async (videoId: string) =>
  (
    await pool.query<{
      request: {
        seed: number;
        prompt: { text: string };
        cast: { cameoId?: string; role: string }[];
      };
    }>(
      "SELECT j.request FROM api_videos v JOIN generation_jobs j USING (workflow_id) WHERE v.id = $1",
      [videoId],
    )
  ).rows[0]!.request;

beforeAll(async () => {
  const databaseUrl = await privateDatabase(testDatabaseUrl(), "apiec_");
  process.env.DATABASE_URL = databaseUrl;
  pool = createPool(databaseUrl, 4);
  ada = await seedUser("ada");
  cy = await seedUser("cy");
  const bo = await seedUser("bo");
  const wsA = await seedWorkspace(ada.userId, [{ userId: cy.userId, role: "editor" }]);
  const wsB = await seedWorkspace(bo.userId);
  app = await startTestApp({ databaseUrl });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "apiec-worker" });
  owner = client(await key(ada.userId, wsA));
  teammate = client(await key(cy.userId, wsA));
  outsider = client(await key(bo.userId, wsB));
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await pool?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe("edits", () => {
  let source: string;

  it("edits a completed previz video: the source's request and seed again with the edit applied, a new video", async () => {
    const made = await owner.videos.create({
      prompt: "A lighthouse on a green hill by the sea, midday sun",
      model: "previz",
      seconds: "4",
    });
    source = made.id;
    expect((await untilDone(owner, source)).status).toBe("completed");

    const edit = await owner.videos.edit({ prompt: "At night.", video: { id: source } });
    expect(edit).toMatchObject({
      object: "video",
      status: "queued",
      model: "previz",
      prompt: "At night.",
      seconds: "4",
      size: "720x1280",
      remixed_from_video_id: null,
    });
    expect(edit.id).not.toBe(source);
    const [before, after] = [await jobOf(source), await jobOf(edit.id)];
    expect(after.seed).toBe(before.seed);
    expect(after.prompt.text).toBe("A lighthouse on a green hill by the sea. At night.");
    expect((await untilDone(owner, edit.id)).status).toBe("completed");

    // The edit shows: the night frame is darker than the midday one at the same moment.
    const [a, b] = [
      await save(owner, source, "source.mp4"),
      await save(owner, edit.id, "edit.mp4"),
    ];
    expect((await probe(b)).durationSeconds).toBeCloseTo(4, 0);
    const [day, night] = [await meanLuma(a), await meanLuma(b)];
    expect(night).toBeLessThan(day - 20);
    // Both are listed; the source is unchanged.
    expect((await owner.videos.retrieve(source)).status).toBe("completed");
  });

  it("refuses an unknown id and another workspace's video (404), an upload (400) and a backend that cannot edit (400)", async () => {
    const unknown = await refusal(
      owner.videos.edit({ prompt: "At night.", video: { id: "video_000000000000000000000000" } }),
    );
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.param).toBe("video");
    const theirs = await refusal(
      outsider.videos.edit({ prompt: "Mine now.", video: { id: source } }),
    );
    expect(theirs).toBeInstanceOf(OpenAI.NotFoundError);
    const upload = await refusal(
      owner.videos.edit({
        prompt: "At night.",
        video: await toFile(Buffer.from("not a video"), "clip.mp4", { type: "video/mp4" }),
      }),
    );
    expect(upload).toBeInstanceOf(OpenAI.BadRequestError);
    expect(upload.code).toBe("unsupported_source");
    const empty = await refusal(owner.videos.edit({ prompt: "  ", video: { id: source } }));
    expect(empty.param).toBe("prompt");

    // The same completed video as if ComfyUI had made it (set up for the workspace; nothing here
    // has a GPU): ComfyUI does not render one video twice from a seed, so an edit is refused.
    await pool.query(
      `INSERT INTO workspace_model_backends (workspace_id, backend, base_url)
       SELECT workspace_id, 'comfyui', 'http://gpu-box:8188' FROM api_videos WHERE id = $1`,
      [source],
    );
    const setBackend = (b: string) =>
      pool.query(
        `UPDATE generation_jobs SET backend = $2
          WHERE workflow_id = (SELECT workflow_id FROM api_videos WHERE id = $1)`,
        [source, b],
      );
    await pool.query("UPDATE api_videos SET model = 'comfyui' WHERE id = $1", [source]);
    await setBackend("comfyui");
    const comfy = await refusal(owner.videos.edit({ prompt: "At night.", video: { id: source } }));
    await pool.query("UPDATE api_videos SET model = 'previz' WHERE id = $1", [source]);
    await setBackend("previz");
    expect(comfy).toBeInstanceOf(OpenAI.BadRequestError);
    expect(comfy.code).toBe("unsupported_by_backend");
    expect(comfy.message).toContain("cannot edit a video");
  });
});

describe("characters", () => {
  let character: string;

  it("a video without a live face makes a failed character with the liveness reason", async () => {
    const pattern = await facelessRecording(dir);
    const made = (await teammate.videos.createCharacter({
      name: "Pattern",
      video: await toFile(pattern, "pattern.mp4", { type: "video/mp4" }),
    })) as Character;
    expect(made).toMatchObject({ name: "Pattern", status: "processing", error: null });
    expect(made.id).toMatch(/^char_[0-9a-f]{24}$/);
    const done = await untilCharacter(teammate, made.id!);
    expect(done.status).toBe("failed");
    expect(done.error?.code).toBe("liveness_no_face");
    expect(done.error?.message).toContain("face");
    // A failed character casts nobody: the create is refused, nothing is queued.
    const use = await refusal(
      teammate.videos.create({
        prompt: `@${made.id} as the barista pours coffee`,
        model: "test-pattern",
      }),
    );
    expect(use.status).toBe(403);
  });

  it("a video that is not a video is refused at once (400), and no character is made", async () => {
    const err = await refusal(
      owner.videos.createCharacter({
        name: "Nope",
        video: await toFile(Buffer.from("#EXTM3U\nhttp://example.test/x.ts\n"), "a.mp4"),
      }),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.param).toBe("video");
    const rows = await pool.query("SELECT 1 FROM api_characters WHERE user_id = $1", [ada.userId]);
    expect(rows.rowCount).toBe(0);
  });

  it("a recording following the published prompts becomes a ready character, retrievable in its workspace only", async () => {
    const file = path.join(dir, "ada.webm");
    await buildFootage({ out: file, ...followPlan(API_LIVENESS_PLAN) });
    const made = await owner.videos.createCharacter({
      name: "Ada",
      video: await toFile(readFileSync(file), "ada.webm", { type: "video/webm" }),
    });
    character = made.id!;
    expect(made.name).toBe("Ada");
    expect(made.created_at).toBeGreaterThan(1_700_000_000);
    const done = await untilCharacter(owner, character);
    expect(done.error).toBeNull();
    expect(done.status).toBe("ready");
    const cameo = await pool.query<{ kind: string; owner_id: string; status: string }>(
      "SELECT c.kind, c.owner_id, c.status FROM api_characters a JOIN cameos c ON c.id = a.cameo_id WHERE a.id = $1",
      [character],
    );
    expect(cameo.rows[0]).toEqual({ kind: "person", owner_id: ada.userId, status: "ready" });

    await expect(outsider.videos.getCharacter(character)).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(owner.videos.getCharacter("char_000000000000000000000000")).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    // A person has one cameo: a second character is 409, naming the first.
    const again = await refusal(
      owner.videos.createCharacter({
        name: "Ada again",
        video: await toFile(readFileSync(file), "ada.webm", { type: "video/webm" }),
      }),
    );
    expect(again).toBeInstanceOf(OpenAI.ConflictError);
    expect(again.message).toContain(character);
  });

  it("its owner casts it by id or name in a create request; the render records the cameo", async () => {
    const byId = await owner.videos.create({
      prompt: `@${character} as the barista pours coffee in a small cafe`,
      model: "test-pattern",
    });
    const cameoId = (
      await pool.query<{ cameo_id: string }>("SELECT cameo_id FROM api_characters WHERE id = $1", [
        character,
      ])
    ).rows[0]!.cameo_id;
    expect((await jobOf(byId.id)).cast).toEqual([{ role: "the barista", cameoId }]);
    expect((await untilDone(owner, byId.id)).status).toBe("completed");
    const byName = await owner.videos.create({
      prompt: "@Ada as the sailor waves from a boat",
      model: "test-pattern",
    });
    expect((await jobOf(byName.id)).cast).toEqual([{ role: "the sailor", cameoId }]);
  });

  it("someone else may cast it only as its owner allows; another workspace cannot name it at all", async () => {
    const prompt = `@${character} as the barista pours coffee`;
    // Ada's cameo is "only me" (the default): her teammate is refused, nothing is queued.
    const before = (await pool.query("SELECT 1 FROM api_videos")).rowCount;
    const refused = await refusal(teammate.videos.create({ prompt, model: "test-pattern" }));
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(refused.code).toBe("cameo_only_owner");
    expect(refused.param).toBe("prompt");
    expect((await pool.query("SELECT 1 FROM api_videos")).rowCount).toBe(before);
    const outside = await refusal(outsider.videos.create({ prompt, model: "test-pattern" }));
    expect(outside).toBeInstanceOf(OpenAI.NotFoundError);

    // Ada lets people she approves cast her, Cy asks, Ada approves: now Cy may.
    const cameoId = (
      await pool.query<{ cameo_id: string }>("SELECT cameo_id FROM api_characters WHERE id = $1", [
        character,
      ])
    ).rows[0]!.cameo_id;
    await updateSettings(pool, ada.userId, cameoId, { whoMayCast: "approved", instructions: "" });
    await requestToCast(pool, cy.userId, cameoId);
    await decideRequest(pool, ada.userId, cameoId, cy.username, "approved");
    const allowed = await teammate.videos.create({ prompt, model: "test-pattern" });
    expect((await jobOf(allowed.id)).cast).toEqual([{ role: "the barista", cameoId }]);
  });
});
