import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contractServer,
  failure,
  jobContexts,
  json,
  modelClip,
  requestsWith,
  sendFile,
} from "./contract-testing.ts";
import { RUNWAY_VERSION, runwayBackend } from "./runway.ts";

/**
 * Runway against a local server following its API reference: POST /v1/text_to_video or
 * /v1/image_to_video (Bearer key, X-Runway-Version) → { id }; GET /v1/tasks/{id} through
 * PENDING → THROTTLED → RUNNING (progress) → SUCCEEDED with `output` URLs, or FAILED with
 * `failure` and `failureCode`. Prompt keywords: "unsafe" (SAFETY.INPUT.TEXT), "internal"
 * (INTERNAL.BAD_OUTPUT.CODE01), "busy" (429 with Retry-After: 120), "garbled" (status not in the
 * enum), "nooutput" (SUCCEEDED without output).
 */

const KEY = "key_runway_test_1234";
const dir = mkdtempSync(path.join(os.tmpdir(), "runway-"));
let clip: Buffer;
const tasks = new Map<string, { body: Record<string, unknown>; polls: number }>();
let n = 0;

const server = await contractServer((req, res) => {
  if (req.path.startsWith("/outputs/")) return sendFile(res, clip); // presigned: no auth
  if (req.headers.authorization !== `Bearer ${KEY}`)
    return json(res, 401, { error: "Invalid API key" });
  if (req.headers["x-runway-version"] !== RUNWAY_VERSION)
    return json(res, 400, { error: "Missing or invalid X-Runway-Version header" });
  if (
    req.method === "POST" &&
    (req.path === "/v1/text_to_video" || req.path === "/v1/image_to_video")
  ) {
    const body = JSON.parse(req.body) as Record<string, unknown>;
    if (String(body.promptText).includes("busy"))
      return json(
        res,
        429,
        { error: "You have exceeded your rate limit." },
        { "retry-after": "120" },
      );
    if (req.path === "/v1/image_to_video" && !String(body.promptImage).startsWith("data:image/"))
      return json(res, 400, {
        error: "promptImage must be an HTTPS URL or a data URI",
        issues: [],
      });
    const id = `17f20503-6c24-4c16-946b-35dbbce2af${String(++n).padStart(2, "0")}`;
    tasks.set(id, { body: { ...body, endpoint: req.path }, polls: 0 });
    return json(res, 200, { id });
  }
  const m = /^\/v1\/tasks\/([\w-]+)$/.exec(req.path);
  if (req.method === "GET" && m) {
    const t = tasks.get(m[1]!);
    if (!t) return json(res, 404, { error: "Task not found" });
    t.polls++;
    const prompt = String(t.body.promptText);
    const base = { id: m[1], createdAt: new Date().toISOString() };
    if (prompt.includes("garbled")) return json(res, 200, { ...base, status: "DONE-ish" });
    if (t.polls === 1) return json(res, 200, { ...base, status: "PENDING" });
    if (t.polls === 2) return json(res, 200, { ...base, status: "THROTTLED" });
    if (t.polls === 3) return json(res, 200, { ...base, status: "RUNNING", progress: 0.4 });
    if (prompt.includes("unsafe"))
      return json(res, 200, {
        ...base,
        status: "FAILED",
        failure: "Your prompt was flagged by our content moderation.",
        failureCode: "SAFETY.INPUT.TEXT",
      });
    if (prompt.includes("internal"))
      return json(res, 200, {
        ...base,
        status: "FAILED",
        failure: "An unexpected error occurred.",
        failureCode: "INTERNAL.BAD_OUTPUT.CODE01",
      });
    if (prompt.includes("nooutput")) return json(res, 200, { ...base, status: "SUCCEEDED" });
    return json(res, 200, {
      ...base,
      status: "SUCCEEDED",
      output: [`${server.baseUrl}/outputs/${m[1]}.mp4`],
    });
  }
  json(res, 404, { error: `No route ${req.method} ${req.path}` });
});

beforeAll(async () => {
  // Runway's Veo 3.1 answers 1280×720 at 24 fps with sound.
  clip = await modelClip(dir, { width: 1280, height: 720, fps: 24, seconds: 4, audio: true });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const backend = () =>
  runwayBackend({ apiKey: KEY, model: "veo3.1", baseUrl: server.baseUrl, pollIntervalMs: 5 });
const request = requestsWith({ durationSeconds: 4, size: "720x1280" });
const ctx = jobContexts(dir);

describe("runway backend against a local Runway API contract server", () => {
  it("creates a text_to_video task, follows its states with progress, downloads the output", async () => {
    const progress: number[] = [];
    const result = await backend().render(request("A fox in snow"), ctx(progress));
    const [id, task] = [...tasks.entries()].at(-1)!;
    expect(task.body).toEqual({
      endpoint: "/v1/text_to_video",
      model: "veo3.1",
      promptText: "A fox in snow",
      ratio: "720:1280",
      duration: 4,
    });
    expect(progress).toContain(0.4);
    const p = await probe(result.videoPath);
    expect(p.video).toMatchObject({ codec: "h264", width: 720, height: 1280 });
    expect(p.durationSeconds).toBeCloseTo(4, 1);
    expect(result.metadata).toMatchObject({ provider: "runway", taskId: id });
    // The presigned output URL got no Runway key.
    const dl = server.seen.find((s) => s.path.startsWith("/outputs/"))!;
    expect(dl.headers.authorization).toBeUndefined();
  });

  it("uses image_to_video with the reference image as a data URI", async () => {
    const image = path.join(dir, "ref.jpg");
    writeFileSync(
      image,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#08f" } })
        .jpeg()
        .toBuffer(),
    );
    await backend().render(request("The fox runs", { inputImagePath: image }), ctx());
    const task = [...tasks.values()].at(-1)!;
    expect(task.body.endpoint).toBe("/v1/image_to_video");
    expect(String(task.body.promptImage)).toMatch(/^data:image\/jpeg;base64,/);
  });

  it("reports a SAFETY failure code as a moderation refusal, not retried", async () => {
    const err = await failure(backend().render(request("something unsafe"), ctx()));
    expect(err).toMatchObject({ code: "moderation_refused", retryable: false });
    expect(err?.message).toContain("flagged by our content moderation. (SAFETY.INPUT.TEXT)");
  });

  it("marks an INTERNAL failure retryable (a new task may succeed)", async () => {
    const err = await failure(backend().render(request("internal trouble"), ctx()));
    expect(err).toMatchObject({ code: "backend_failed", retryable: true });
  });

  it("does not wait out a long Retry-After: a retryable rate-limit error", async () => {
    const err = await failure(backend().render(request("busy hour"), ctx()));
    expect(err).toMatchObject({ code: "backend_rate_limited", retryable: true });
    expect(err?.message).toContain("retry after 120 s");
  });

  it("refuses an unknown task status and a success without output", async () => {
    expect(await failure(backend().render(request("garbled status"), ctx()))).toMatchObject({
      code: "backend_protocol",
    });
    expect(await failure(backend().render(request("nooutput please"), ctx()))).toMatchObject({
      code: "backend_protocol",
    });
  });

  it("refuses a wrong key with Runway's message", async () => {
    const err = await failure(
      runwayBackend({ apiKey: "key_wrong", model: "veo3.1", baseUrl: server.baseUrl }).render(
        request("A fox"),
        ctx(),
      ),
    );
    expect(err).toMatchObject({ code: "backend_auth", retryable: false });
    expect(err?.message).toContain("Invalid API key");
  });
});
