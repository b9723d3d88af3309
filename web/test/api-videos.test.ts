import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { createApiKey, revokeApiKey } from "@reelhouse/shared/api/keys.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import { Ajv2020 } from "ajv/dist/2020.js";
import OpenAI, { toFile } from "openai";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestApp, type TestApp } from "./harness.ts";
import { privateDatabase, spawnWorker, type WorkerProcess, waitFor } from "./worker-process.ts";

/**
 * The acceptance test of the Videos API (issue 15): the official `openai` package, unchanged,
 * pointed at the real app (built web app, real Postgres in a private database, a real worker
 * process rendering with real ffmpeg). The `test-pattern` backend (NODE_ENV=test) keeps renders
 * short; `previz` is the default model and runs the same workflow.
 */

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

const dir = mkdtempSync(path.join(os.tmpdir(), "rh-api-"));
process.env.DATA_DIR = dir;
let databaseUrl: string;
let pool: Pool;
let app: TestApp;
let worker: WorkerProcess;
let keyA: string;
let keyB: string;
let keyLimited: string;
let keyRevoked: string;
let keyReadOnly: string;
let wsA: string;
let userA: string;
let openai: OpenAI;
let otherWorkspace: OpenAI;
const created: string[] = [];

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${app.url}/v1`, maxRetries: 0 });

async function seedMember(tag: string): Promise<{ userId: string; workspaceId: string }> {
  const name = `${tag}${Math.random().toString(36).slice(2, 8)}`;
  const userId = (
    await pool.query<{ id: string }>(
      `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
       VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
      [`${name}@example.test`, name],
    )
  ).rows[0]!.id;
  const workspaceId = (
    await pool.query<{ id: string }>(
      "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
      [`Studio ${name}`, userId],
    )
  ).rows[0]!.id;
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
    [workspaceId, userId],
  );
  return { userId, workspaceId };
}

async function untilDone(id: string, c = openai) {
  return waitFor(`${id} to finish`, async () => {
    const v = await c.videos.retrieve(id);
    return v.status === "completed" || v.status === "failed" ? v : undefined;
  });
}

async function download(id: string, variant: "video" | "thumbnail" | "spritesheet") {
  const res = await openai.videos.downloadContent(id, { variant });
  return { type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The SDK's error for a call that must be refused (fails the test if the call succeeds). */
async function refusal(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof OpenAI.APIError) return err;
    throw err;
  }
  throw new Error("expected the API to refuse this call");
}

async function videoRows(): Promise<number> {
  return (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM api_videos")).rows[0]!.n;
}

beforeAll(async () => {
  databaseUrl = await privateDatabase(testDatabaseUrl(), "api_");
  process.env.DATABASE_URL = databaseUrl;
  pool = createPool(databaseUrl, 4);
  const a = await seedMember("apia");
  const b = await seedMember("apib");
  wsA = a.workspaceId;
  userA = a.userId;
  keyA = (
    await createApiKey(pool, a.userId, a.workspaceId, { name: "CI", rateLimitPerMinute: 100_000 })
  ).key;
  keyB = (await createApiKey(pool, b.userId, b.workspaceId, { name: "Other team" })).key;
  keyLimited = (
    await createApiKey(pool, a.userId, a.workspaceId, { name: "Tight", rateLimitPerMinute: 3 })
  ).key;
  const revoked = await createApiKey(pool, a.userId, a.workspaceId, { name: "Old" });
  keyRevoked = revoked.key;
  await revokeApiKey(pool, a.userId, revoked.view.id);
  keyReadOnly = (
    await createApiKey(pool, a.userId, a.workspaceId, { name: "Read", scopes: ["videos:read"] })
  ).key;
  app = await startTestApp({ databaseUrl });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "api-worker" });
  openai = client(keyA);
  otherWorkspace = client(keyB);
  await worker.ready;
});

afterAll(async () => {
  await worker?.stop();
  await app?.close();
  await pool?.end();
  rmSync(dir, { recursive: true, force: true });
});

describe("the openai package against /v1/videos", () => {
  let first: string;

  it("creates a video (multipart, as the SDK sends it), polls it to completion and downloads the video, thumbnail and spritesheet", async () => {
    const video = await openai.videos.create({
      prompt: "A lighthouse at dusk, waves below, slow dolly in",
      model: "test-pattern",
      seconds: "4",
      size: "1280x720",
    });
    expect(video).toMatchObject({
      object: "video",
      model: "test-pattern",
      status: "queued",
      seconds: "4",
      size: "1280x720",
      prompt: "A lighthouse at dusk, waves below, slow dolly in",
      completed_at: null,
      expires_at: null,
      remixed_from_video_id: null,
      error: null,
    });
    expect(video.id).toMatch(/^video_[0-9a-f]{24}$/);
    expect(video.created_at).toBeGreaterThan(1_700_000_000);
    first = video.id;
    created.push(video.id);

    const done = await untilDone(video.id);
    expect(done.status).toBe("completed");
    expect(done.progress).toBe(100);
    expect(done.completed_at).toBeGreaterThanOrEqual(done.created_at);

    const mp4 = await download(video.id, "video");
    expect(mp4.type).toBe("video/mp4");
    const file = path.join(dir, "downloaded.mp4");
    writeFileSync(file, mp4.bytes);
    const probed = await probe(file);
    expect(probed.video).toMatchObject({ width: 1280, height: 720 });
    expect(probed.durationSeconds).toBeCloseTo(4, 0);

    for (const variant of ["thumbnail", "spritesheet"] as const) {
      const img = await download(video.id, variant);
      expect(img.type).toBe("image/jpeg");
      const meta = await sharp(img.bytes).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.width).toBeGreaterThan(0);
    }
  });

  it("remixes a completed video: the same size and duration, the new prompt, remixed_from_video_id set", async () => {
    const remix = await openai.videos.remix(first, { prompt: "The same lighthouse, in a storm" });
    expect(remix).toMatchObject({
      status: "queued",
      remixed_from_video_id: first,
      prompt: "The same lighthouse, in a storm",
      size: "1280x720",
      seconds: "4",
      model: "test-pattern",
    });
    created.push(remix.id);
    expect((await untilDone(remix.id)).status).toBe("completed");
  });

  it("animates an uploaded input_reference image; JSON bodies work too, and the default model is previz", async () => {
    const png = await sharp({
      create: { width: 720, height: 1280, channels: 3, background: "#2a6f97" },
    })
      .png()
      .toBuffer();
    const video = await openai.videos.create({
      prompt: "The harbour wakes up",
      model: "test-pattern",
      input_reference: await toFile(png, "reference.png", { type: "image/png" }),
    });
    created.push(video.id);
    const job = await pool.query<{ request: { inputImagePath?: string } }>(
      "SELECT j.request FROM api_videos v JOIN generation_jobs j USING (workflow_id) WHERE v.id = $1",
      [video.id],
    );
    expect(job.rows[0]!.request.inputImagePath).toMatch(/\.png$/);
    expect((await untilDone(video.id)).status).toBe("completed");

    // A JSON body, no model: previz, the default backend.
    const res = await fetch(`${app.url}/v1/videos`, {
      method: "POST",
      headers: { authorization: `Bearer ${keyA}`, "content-type": "application/json" },
      body: JSON.stringify({ prompt: "A red kite over a green hill", seconds: 4 }),
    });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { id: string; model: string; size: string };
    expect(json).toMatchObject({ model: "previz", size: "720x1280" });
    created.push(json.id);
    const backend = await pool.query<{ backend: string }>(
      "SELECT j.backend FROM api_videos v JOIN generation_jobs j USING (workflow_id) WHERE v.id = $1",
      [json.id],
    );
    expect(backend.rows[0]!.backend).toBe("previz");
  });

  it("maps sora-2 to the workspace's configured backend", async () => {
    await pool.query(
      "UPDATE api_workspaces SET sora_backend = 'test-pattern' WHERE workspace_id = $1",
      [wsA],
    );
    const video = await openai.videos.create({
      prompt: "A paper boat on a puddle",
      model: "sora-2",
    });
    created.push(video.id);
    expect(video.model).toBe("sora-2");
    const backend = await pool.query<{ backend: string }>(
      "SELECT j.backend FROM api_videos v JOIN generation_jobs j USING (workflow_id) WHERE v.id = $1",
      [video.id],
    );
    expect(backend.rows[0]!.backend).toBe("test-pattern");
    expect((await untilDone(video.id)).status).toBe("completed");
  });

  it("extends a completed video: the source plus the new segment, stitched (ffprobe sees both)", async () => {
    const ext = await openai.videos.extend({
      prompt: "The camera rises above the lighthouse",
      seconds: "4",
      video: { id: first },
    });
    expect(ext).toMatchObject({ status: "queued", seconds: "8", size: "1280x720" });
    created.push(ext.id);
    const done = await untilDone(ext.id);
    expect(done.status).toBe("completed");
    const mp4 = await download(ext.id, "video");
    const file = path.join(dir, "extended.mp4");
    writeFileSync(file, mp4.bytes);
    const probed = await probe(file);
    expect(probed.video).toMatchObject({ width: 1280, height: 720 });
    expect(probed.durationSeconds).toBeCloseTo(8, 0);
  });

  it("lists with after/limit/order and has_more; the SDK's auto-pagination walks every page", async () => {
    const page = await openai.videos.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    // Newest first by default.
    expect(page.data[0]!.id).toBe(created.at(-1));
    const all: string[] = [];
    for await (const v of openai.videos.list({ limit: 2 })) all.push(v.id);
    expect(all).toEqual([...created].reverse());
    const asc: string[] = [];
    for await (const v of openai.videos.list({ limit: 3, order: "asc" })) asc.push(v.id);
    expect(asc).toEqual(created);
    const last = await openai.videos.list({ limit: 100 });
    expect(last.has_more).toBe(false);
  });

  it("deletes a finished video and its files; afterwards it is 404 everywhere", async () => {
    const id = created.shift()!;
    const deleted = await openai.videos.delete(id);
    expect(deleted).toEqual({ id, object: "video.deleted", deleted: true });
    await expect(openai.videos.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(openai.videos.downloadContent(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const all: string[] = [];
    for await (const v of openai.videos.list()) all.push(v.id);
    expect(all).not.toContain(id);
  });
});

describe("refusals, in OpenAI's error shape", () => {
  it("an empty prompt is 400 with param prompt, and nothing is written", async () => {
    const before = await videoRows();
    const err = await refusal(openai.videos.create({ prompt: "   " }));
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const e = err as InstanceType<typeof OpenAI.BadRequestError>;
    expect(e.status).toBe(400);
    expect(e.param).toBe("prompt");
    expect(e.type).toBe("invalid_request_error");
    expect(e.message).toContain("prompt is empty");
    expect(await videoRows()).toBe(before);
  });

  it("a size this server does not offer is 400 with param size; so are a bad duration and an unknown model", async () => {
    const before = await videoRows();
    const size = await refusal(openai.videos.create({ prompt: "A fox", size: "1792x1024" }));
    expect(size).toBeInstanceOf(OpenAI.BadRequestError);
    expect(size.param).toBe("size");
    expect(size.message).toContain("720x1280");
    const seconds = await refusal(openai.videos.create({ prompt: "A fox", seconds: "90" as "4" }));
    expect(seconds.param).toBe("seconds");
    const model = await refusal(openai.videos.create({ prompt: "A fox", model: "no-such-model" }));
    expect(model.status).toBe(400);
    expect(model.param).toBe("model");
    expect(await videoRows()).toBe(before);
  });

  it("a wrong, revoked or missing key is 401; a session cookie does not authenticate /v1", async () => {
    await expect(client("rh_sk_wrong").videos.list()).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    await expect(client(keyRevoked).videos.list()).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    const res = await fetch(`${app.url}/v1/videos`, { headers: { cookie: "rh_session=anything" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: "missing_api_key", type: "invalid_request_error", param: null },
    });
  });

  it("a key without videos:write is 403 on create", async () => {
    const err = await refusal(client(keyReadOnly).videos.create({ prompt: "A fox" }));
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(client(keyReadOnly).videos.list()).resolves.toBeDefined();
  });

  it("an unknown id is 404 for retrieve, content, remix, delete, extend, edit and a character", async () => {
    const c = openai;
    for (const call of [
      () => c.videos.retrieve("video_000000000000000000000000"),
      () => c.videos.downloadContent("video_000000000000000000000000"),
      () => c.videos.remix("video_000000000000000000000000", { prompt: "x" }),
      () => c.videos.delete("video_000000000000000000000000"),
      () => c.videos.extend({ prompt: "x", seconds: "4", video: { id: "video_nope" } }),
      () => c.videos.edit({ prompt: "x", video: { id: "video_nope" } }),
      () => c.videos.getCharacter("char_x"),
    ])
      await expect(call()).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("a video that is not finished is 409 for remix, extend, edit, content and delete", async () => {
    // A job that no worker will pick up: its row only, as the moment between enqueue and start.
    const project = await pool.query<{ project_id: string }>(
      "SELECT project_id FROM api_workspaces WHERE workspace_id = $1",
      [wsA],
    );
    const wf = `gen:${project.rows[0]!.project_id}:staged-${Date.now()}`;
    await pool.query(
      `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request)
       VALUES ($1, 'clip', $2, $3, 'test-pattern', '{"seed":0}')`,
      [wf, project.rows[0]!.project_id, userA],
    );
    const id = `video_${"f".repeat(24)}`;
    await pool.query(
      `INSERT INTO api_videos (id, workspace_id, user_id, workflow_id, model, prompt, seconds, size)
       VALUES ($1, $2, $3, $4, 'test-pattern', 'staged', 4, '720x1280')`,
      [id, wsA, userA, wf],
    );
    for (const call of [
      () => openai.videos.remix(id, { prompt: "x" }),
      () => openai.videos.extend({ prompt: "x", seconds: "4", video: { id } }),
      () => openai.videos.edit({ prompt: "x", video: { id } }),
      () => openai.videos.downloadContent(id),
      () => openai.videos.delete(id),
    ])
      await expect(call()).rejects.toBeInstanceOf(OpenAI.ConflictError);
    expect((await openai.videos.retrieve(id)).status).toBe("queued");
    await pool.query("DELETE FROM generation_jobs WHERE workflow_id = $1", [wf]);
  });

  it("over the key's rate limit is 429 with Retry-After; other keys are unaffected", async () => {
    const limited = client(keyLimited);
    for (let i = 0; i < 3; i++) await limited.videos.list({ limit: 1 });
    const err = await refusal(limited.videos.list({ limit: 1 }));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const retryAfter = Number(err.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(err.code).toBe("rate_limit_exceeded");
    await expect(openai.videos.list({ limit: 1 })).resolves.toBeDefined();
  });

  it("a key of one workspace never reads another workspace's videos", async () => {
    const id = created[0]!;
    await expect(otherWorkspace.videos.retrieve(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(otherWorkspace.videos.downloadContent(id)).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(otherWorkspace.videos.remix(id, { prompt: "mine now" })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(
      otherWorkspace.videos.extend({ prompt: "x", seconds: "4", video: { id } }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(otherWorkspace.videos.edit({ prompt: "x", video: { id } })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(otherWorkspace.videos.delete(id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(otherWorkspace.videos.list({ after: id })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const theirs = await otherWorkspace.videos.list();
    expect(theirs.data).toEqual([]);
    // Still there for its own workspace.
    expect((await openai.videos.retrieve(id)).id).toBe(id);
  });
});

describe("the OpenAPI document", () => {
  type Json = Record<string, unknown>;
  let doc: Json & { paths: Record<string, Record<string, Json>>; components: Json };

  it("is served at /v1/openapi.json without a key and validates as OpenAPI 3.1", async () => {
    const res = await fetch(`${app.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as typeof doc;
    expect(doc.openapi).toBe("3.1.0");
    // Fetched before validating: the validator blocks the event loop for seconds on a loaded
    // machine, after which a kept-alive socket may already be closed (ECONNRESET).
    const page = await fetch(`${app.url}/v1/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    // The validator can fail: a broken document is refused.
    const broken = structuredClone(doc);
    (broken.paths["/videos"]!.get as Json).responses = "nope";
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`/v1${path}`);
  });

  it("every route in it answers as documented: status, content type and body schema, and 401 without a key", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const [done, other] = created as [string, string];
    const auth = { authorization: `Bearer ${keyA}` };
    const json = (body: unknown) => ({
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const form = new FormData();
    form.set("name", "Ada");
    form.set(
      "video",
      new Blob([Buffer.from("not really a video")], { type: "video/mp4" }),
      "a.mp4",
    );
    const calls: Record<string, { path: string; init?: RequestInit; expect: number }> = {
      createVideo: {
        path: "/videos",
        init: { method: "POST", ...json({ prompt: "A quiet pier", model: "test-pattern" }) },
        expect: 200,
      },
      listVideos: { path: "/videos?limit=2&order=asc", expect: 200 },
      retrieveVideo: { path: `/videos/${done}`, expect: 200 },
      downloadVideoContent: { path: `/videos/${done}/content?variant=thumbnail`, expect: 200 },
      remixVideo: {
        path: `/videos/${done}/remix`,
        init: { method: "POST", ...json({ prompt: "The pier at night" }) },
        expect: 200,
      },
      extendVideo: {
        path: "/videos/extensions",
        init: {
          method: "POST",
          ...json({ prompt: "Then it rains", seconds: 4, video: { id: done } }),
        },
        expect: 200,
      },
      deleteVideo: { path: `/videos/${other}`, init: { method: "DELETE" }, expect: 200 },
      editVideo: {
        path: "/videos/edits",
        init: { method: "POST", ...json({ prompt: "At night", video: { id: done } }) },
        expect: 200,
      },
      // Not really a video: refused by the recording checks before any row is made.
      createCharacter: {
        path: "/videos/characters",
        init: { method: "POST", body: form },
        expect: 400,
      },
      getCharacter: { path: "/videos/characters/char_1", expect: 404 },
    };
    // The Videos API's routes; api-rest.test.ts walks the whole document.
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith("/videos"))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(documented.map((d) => d.op.operationId).sort()).toEqual(Object.keys(calls).sort());
    for (const { path, method, op } of documented) {
      const call = calls[String(op.operationId)]!;
      expect(call.path.split("?")[0]!.split("/").length, `${op.operationId} path`).toBe(
        path.split("/").length,
      );
      const res = await fetch(`${app.url}/v1${call.path}`, {
        method: method.toUpperCase(),
        ...call.init,
        headers: { ...auth, ...(call.init?.headers as Record<string, string>) },
      });
      const responses = op.responses as Record<
        string,
        { content?: Record<string, { schema: Json }> }
      >;
      expect(res.status, `${op.operationId}`).toBe(call.expect);
      const documentedResponse = responses[String(res.status)];
      expect(documentedResponse, `${op.operationId} documents ${res.status}`).toBeDefined();
      const type = (res.headers.get("content-type") ?? "").split(";")[0]!;
      const content = documentedResponse!.content!;
      expect(Object.keys(content), `${op.operationId} content type`).toContain(type);
      if (type === "application/json") {
        const body = await res.json();
        const validate = ajv.compile({ ...content[type]!.schema, components: doc.components });
        expect(validate(body), `${op.operationId}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      } else {
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
      }
      // And every route documents 401, which it answers without a key.
      const anon = await fetch(`${app.url}/v1${call.path}`, { method: method.toUpperCase() });
      expect(anon.status, `${op.operationId} without a key`).toBe(401);
      expect(responses["401"]).toBeDefined();
    }
  });
});
