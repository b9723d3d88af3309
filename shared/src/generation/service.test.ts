import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../db/migrate.server.ts";
import { createPool, type Pool } from "../db/pool.server.ts";
import { createDatabase } from "../db/provision.server.ts";
import { resetEnvCache } from "../env.server.ts";
import { testDatabaseUrl, uniq } from "../testing/db.ts";
import {
  createGenerationService,
  type GenerationService,
  MAX_IMAGE_DIMENSION,
} from "./service.server.ts";

/**
 * The web tier's generation service: every refusal has a clear message and creates nothing (no job
 * row, no DBOS workflow, no uploaded file). No worker runs here: accepted jobs stay ENQUEUED.
 */

let pool: Pool;
let service: GenerationService;
let dir: string;
let projectId: string;
let editorId: string;
let viewerId: string;
let outsiderId: string;

async function user(name: string): Promise<string> {
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${name}@example.test`, name],
  );
  return r.rows[0]!.id;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "gen-service-"));
  process.env.DATA_DIR = dir;
  process.env.MAX_UPLOAD_BYTES = String(2 * 1024 * 1024);
  resetEnvCache();
  const databaseUrl = await createDatabase(testDatabaseUrl(), uniq("gensvc_"));
  await migrate(databaseUrl);
  pool = createPool(databaseUrl, 3);
  const tag = uniq("s").slice(0, 20);
  const ownerId = await user(`${tag}_o`);
  editorId = await user(`${tag}_e`);
  viewerId = await user(`${tag}_v`);
  outsiderId = await user(`${tag}_x`);
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ('W', $1) RETURNING id",
    [ownerId],
  );
  for (const [id, role] of [
    [ownerId, "owner"],
    [editorId, "editor"],
    [viewerId, "viewer"],
  ]) {
    await pool.query("INSERT INTO workspace_members VALUES ($1, $2, $3)", [
      ws.rows[0]!.id,
      id,
      role,
    ]);
  }
  projectId = (
    await pool.query<{ id: string }>(
      "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'P', $2) RETURNING id",
      [ws.rows[0]!.id, ownerId],
    )
  ).rows[0]!.id;
  service = await createGenerationService({ pool, databaseUrl });
});

afterAll(async () => {
  await service?.close();
  await pool?.end();
  delete process.env.MAX_UPLOAD_BYTES;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

const good = { prompt: { text: "A lighthouse in a storm" }, durationSeconds: 8, size: "720x1280" };
let n = 0;
const rid = () => `req-${Date.now().toString(36)}-${++n}`;

async function nothingCreated(): Promise<void> {
  const jobs = await pool.query(
    "SELECT count(*)::int AS n FROM generation_jobs WHERE project_id = $1",
    [projectId],
  );
  expect(jobs.rows[0].n).toBe(0);
  const workflows = await pool.query("SELECT count(*)::int AS n FROM dbos.workflow_status");
  expect(workflows.rows[0].n).toBe(0);
  const uploads = path.join(dir, "uploads", "generation");
  expect(
    existsSync(uploads)
      ? readdirSync(uploads, { recursive: true }).filter((f) => String(f).includes("."))
      : [],
  ).toEqual([]);
}

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .png()
    .toBuffer();

describe("generation service refusals", () => {
  it.each([
    ["an empty prompt", { ...good, prompt: { text: "   " } }, "The prompt is empty"],
    [
      "a prompt over 4,000 characters",
      { ...good, prompt: { text: "a".repeat(4001) } },
      "at most 4000 characters",
    ],
    [
      "structured sections over 4,000 characters together",
      { ...good, prompt: { text: "a".repeat(2500), sections: { setting: "b".repeat(2000) } } },
      "at most 4000 characters",
    ],
    [
      "an unknown size",
      { ...good, size: "640x480" },
      "Size must be one of 720x1280, 1280x720, 1024x1792",
    ],
    ["a duration over 20 s", { ...good, durationSeconds: 30 }, "at most 20 seconds"],
    ["a duration under 4 s", { ...good, durationSeconds: 2 }, "at least 4 seconds"],
    ["a fractional duration", { ...good, durationSeconds: 7.5 }, "whole number of seconds"],
    [
      "a duration that is not a number",
      { ...good, durationSeconds: "ten" },
      "Duration must be a number",
    ],
    [
      "a server path as input image",
      { ...good, inputImagePath: "/etc/passwd" },
      "paths are not accepted",
    ],
  ])("refuses %s with a clear message and creates nothing", async (_name, request, message) => {
    const err = await service
      .submitGeneration(editorId, { projectId, requestId: rid(), backend: "previz", request })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "GenerationRefusal", code: "invalid_request", status: 400 });
    expect((err as Error).message).toContain(message);
    await nothingCreated();
  });

  it("refuses a file that is not an image, judged by content not name", async () => {
    const err = await service
      .submitGeneration(editorId, {
        projectId,
        requestId: rid(),
        request: good,
        image: Buffer.from("GIF89a, honest, not really"),
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "not_an_image", status: 400, field: "image" });
    await nothingCreated();
  });

  it("refuses a truncated image whose header alone looks fine", async () => {
    const whole = await sharp({
      create: { width: 400, height: 400, channels: 3, background: "#336699" },
    })
      .composite([{ input: await png(200, 200), left: 10, top: 10 }])
      .png({ compressionLevel: 0 })
      .toBuffer();
    const err = await service
      .submitGeneration(editorId, {
        projectId,
        requestId: rid(),
        request: good,
        image: whole.subarray(0, whole.length / 2),
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "not_an_image" });
    expect((err as Error).message).toMatch(/damaged|truncated/);
    await nothingCreated();
  });

  it("refuses an image over the byte limit", async () => {
    const noise = Buffer.alloc(1200 * 1200 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    const big = await sharp(noise, { raw: { width: 1200, height: 1200, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const err = await service
      .submitGeneration(editorId, { projectId, requestId: rid(), request: good, image: big })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "image_too_large", status: 413 });
    expect((err as Error).message).toContain("the limit is 2 MB");
    await nothingCreated();
  });

  it("refuses an image over the dimension limit", async () => {
    const wide = await png(MAX_IMAGE_DIMENSION + 1, 64);
    const err = await service
      .submitGeneration(editorId, { projectId, requestId: rid(), request: good, image: wide })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "image_too_large", status: 413 });
    expect((err as Error).message).toContain(`${MAX_IMAGE_DIMENSION + 1}×64`);
    await nothingCreated();
  });

  it("refuses an unknown backend, a bad request id, a viewer and an outsider", async () => {
    await expect(
      service.submitGeneration(editorId, {
        projectId,
        requestId: rid(),
        backend: "dall-e-video",
        request: good,
      }),
    ).rejects.toMatchObject({
      code: "unknown_backend",
      message: expect.stringContaining("Unknown generation backend"),
    });
    await expect(
      service.submitGeneration(editorId, { projectId, requestId: "x", request: good }),
    ).rejects.toMatchObject({
      code: "invalid_request",
      field: "requestId",
    });
    await expect(
      service.submitGeneration(viewerId, { projectId, requestId: rid(), request: good }),
    ).rejects.toMatchObject({
      code: "forbidden",
      status: 403,
      message: expect.stringContaining("you are a viewer"),
    });
    await expect(
      service.submitGeneration(outsiderId, { projectId, requestId: rid(), request: good }),
    ).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
    await nothingCreated();
  });

  it("refuses a sequence with no shots or a bad shot, naming the shot", async () => {
    await expect(
      service.submitSequence(editorId, { projectId, requestId: rid(), shots: [] }),
    ).rejects.toMatchObject({
      code: "invalid_request",
    });
    await expect(
      service.submitSequence(editorId, {
        projectId,
        requestId: rid(),
        shots: [
          { shotId: "a", request: good },
          { shotId: "b", request: { ...good, size: "1x1" } },
        ],
      }),
    ).rejects.toMatchObject({ field: "shots.1.request.size" });
    await nothingCreated();
  });

  it("accepts a valid image-to-video request: one job row, one enqueued workflow, the image stored as PNG", async () => {
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: "#884422" },
    })
      .jpeg()
      .toBuffer();
    const { job, duplicate } = await service.submitGeneration(editorId, {
      projectId,
      requestId: rid(),
      request: good,
      image: jpeg,
    });
    expect(duplicate).toBe(false);
    expect(job).toMatchObject({
      status: "queued",
      stage: "queued",
      progress: 0,
      backend: "previz",
    });
    const row = await pool.query("SELECT request FROM generation_jobs WHERE workflow_id = $1", [
      job.workflowId,
    ]);
    const stored = row.rows[0].request.inputImagePath as string;
    expect(stored.startsWith(dir)).toBe(true);
    expect(await sharp(stored).metadata()).toMatchObject({
      format: "png",
      width: 640,
      height: 480,
    });
    const wf = await pool.query(
      "SELECT status, queue_name, name FROM dbos.workflow_status WHERE workflow_uuid = $1",
      [job.workflowId],
    );
    expect(wf.rows).toEqual([{ status: "ENQUEUED", queue_name: "render", name: "generate" }]);
    expect(await service.listJobs(viewerId, projectId)).toHaveLength(1);
    expect(await service.getJob(outsiderId, job.workflowId)).toBeNull();
    await expect(service.cancelJob(viewerId, job.workflowId)).rejects.toMatchObject({
      code: "forbidden",
    });
    expect((await service.cancelJob(editorId, job.workflowId)).status).toBe("cancelled");
  });
});
