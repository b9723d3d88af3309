import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
  sendTruncated,
} from "./contract-testing.ts";
import { veoBackend } from "./veo.ts";

/**
 * Veo through the Gemini API, against a local server following its REST reference:
 * POST /v1beta/models/{model}:predictLongRunning → Operation; GET /v1beta/{operation name} until
 * `done`; the sample's `video.uri` downloaded with x-goog-api-key. Failures in google.rpc.Status
 * shape. The server's behaviour per prompt keyword: "ratelimited" (429 Retry-After: 1 once),
 * "quota" (429 Retry-After: 3600), "filtered" (RAI-filtered), "broken" (operation error),
 * "malformed" (a poll answer that is not an Operation), "hang" (poll never answers),
 * "truncated" (the download drops half way), "short" (a 1 s clip for 8 s asked).
 */

const KEY = "AIza-test-key-123456";
let clip: Buffer;
let shortClip: Buffer;
const dir = mkdtempSync(path.join(os.tmpdir(), "veo-"));
const ops = new Map<string, { prompt: string; polls: number }>();
const rateLimited = new Set<string>();
let n = 0;

const server = await contractServer(async (req, res) => {
  if (req.headers["x-goog-api-key"] !== KEY)
    return json(res, 403, {
      error: {
        code: 403,
        message: "Method doesn't allow unregistered callers.",
        status: "PERMISSION_DENIED",
      },
    });
  const create = /^\/v1beta\/models\/([^/:]+):predictLongRunning$/.exec(req.path);
  if (req.method === "POST" && create) {
    const body = JSON.parse(req.body) as { instances: { prompt: string }[] };
    const prompt = body.instances[0]!.prompt;
    if (prompt.includes("quota"))
      return json(
        res,
        429,
        {
          error: {
            code: 429,
            message: "Resource has been exhausted (e.g. check quota).",
            status: "RESOURCE_EXHAUSTED",
          },
        },
        { "retry-after": "3600" },
      );
    if (prompt.includes("ratelimited") && !rateLimited.has(prompt)) {
      rateLimited.add(prompt);
      return json(
        res,
        429,
        {
          error: {
            code: 429,
            message: "Resource has been exhausted.",
            status: "RESOURCE_EXHAUSTED",
          },
        },
        { "retry-after": "1" },
      );
    }
    const name = `models/${create[1]}/operations/op${++n}`;
    ops.set(name, { prompt, polls: 0 });
    return json(res, 200, { name });
  }
  const poll = /^\/v1beta\/(models\/[^/]+\/operations\/[^/]+)$/.exec(req.path);
  if (req.method === "GET" && poll) {
    const op = ops.get(poll[1]!);
    if (!op)
      return json(res, 404, {
        error: { code: 404, message: "Operation not found.", status: "NOT_FOUND" },
      });
    op.polls++;
    if (op.prompt.includes("hang")) return; // never answers
    if (op.prompt.includes("malformed")) return json(res, 200, { operation: "pending" });
    if (op.polls < 2) return json(res, 200, { name: poll[1], done: false });
    if (op.prompt.includes("broken"))
      return json(res, 200, {
        name: poll[1],
        done: true,
        error: {
          code: 13,
          message: "Video generation failed due to an internal error.",
          status: "INTERNAL",
        },
      });
    if (op.prompt.includes("filtered"))
      return json(res, 200, {
        name: poll[1],
        done: true,
        response: {
          "@type":
            "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
          generateVideoResponse: {
            raiMediaFilteredCount: 1,
            raiMediaFilteredReasons: ["The prompt contains a child safety violation."],
          },
        },
      });
    const file = op.prompt.includes("truncated")
      ? "trunc"
      : op.prompt.includes("short")
        ? "short"
        : "ok";
    return json(res, 200, {
      name: poll[1],
      done: true,
      response: {
        "@type":
          "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse",
        generateVideoResponse: {
          generatedSamples: [
            { video: { uri: `${server.baseUrl}/v1beta/files/${file}:download?alt=media` } },
          ],
        },
      },
    });
  }
  const download = /^\/v1beta\/files\/(\w+):download$/.exec(req.path);
  if (req.method === "GET" && download) {
    if (download[1] === "trunc") return sendTruncated(res, clip);
    return sendFile(res, download[1] === "short" ? shortClip : clip);
  }
  json(res, 404, { error: { code: 404, message: `No route ${req.path}`, status: "NOT_FOUND" } });
});

beforeAll(async () => {
  // Veo answers 1280×720 at 24 fps with sound.
  clip = await modelClip(dir, { width: 1280, height: 720, fps: 24, seconds: 4, audio: true });
  shortClip = await modelClip(dir, { width: 1280, height: 720, fps: 24, seconds: 1, audio: true });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const backend = (o: { apiKey?: string; requestTimeoutMs?: number } = {}) =>
  veoBackend({
    apiKey: o.apiKey ?? KEY,
    model: "veo-3.1-generate-preview",
    baseUrl: server.baseUrl,
    pollIntervalMs: 10,
    requestTimeoutMs: o.requestTimeoutMs,
  });
const request = requestsWith({ durationSeconds: 4, size: "1280x720" });
const ctx = jobContexts(dir);

describe("veo backend against a local Gemini API contract server", () => {
  it("starts a long-running operation, polls it to done, downloads and normalises the video", async () => {
    const progress: number[] = [];
    const result = await backend().render(request("A lighthouse at dusk"), ctx(progress));
    const post = server.seen.find((s) => s.method === "POST")!;
    expect(post.path).toBe("/v1beta/models/veo-3.1-generate-preview:predictLongRunning");
    expect(JSON.parse(post.body)).toEqual({
      instances: [{ prompt: "A lighthouse at dusk" }],
      parameters: { aspectRatio: "16:9", durationSeconds: 4, resolution: "720p" },
    });
    const download = server.seen.find((s) => s.path.startsWith("/v1beta/files/"))!;
    expect(download.headers["x-goog-api-key"]).toBe(KEY);
    const p = await probe(result.videoPath);
    expect(p.video).toMatchObject({ codec: "h264", width: 1280, height: 720, pixFmt: "yuv420p" });
    expect(p.video?.fps).toBe(30);
    expect(p.audio?.codec).toBe("aac");
    expect(p.durationSeconds).toBeCloseTo(4, 1);
    expect(result.metadata).toMatchObject({ provider: "veo", sourceWidth: 1280, hadAudio: true });
    expect(progress.length).toBeGreaterThan(0);
  });

  it("sends a reference image inline as bytesBase64Encoded for image-to-video, 9:16 for portrait", async () => {
    const image = path.join(dir, "ref.png");
    writeFileSync(
      image,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f80" } })
        .png()
        .toBuffer(),
    );
    await backend().render(
      request("The same harbor, waves rising", { size: "720x1280", inputImagePath: image }),
      ctx(),
    );
    const post = server.seen.filter((s) => s.method === "POST").at(-1)!;
    const body = JSON.parse(post.body);
    expect(body.instances[0].image.mimeType).toBe("image/png");
    expect(
      Buffer.from(body.instances[0].image.bytesBase64Encoded, "base64").subarray(1, 4).toString(),
    ).toBe("PNG");
    expect(body.parameters.aspectRatio).toBe("9:16");
  });

  it("waits out a 429 with a short Retry-After and then succeeds", async () => {
    const before = server.seen.filter((s) => s.method === "POST").length;
    const started = Date.now();
    await backend().render(request("A ratelimited harbor"), ctx());
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.seen.filter((s) => s.method === "POST").length - before).toBe(2);
  });

  it("fails retryably with the provider's words when the quota's Retry-After is too long to wait", async () => {
    const err = await failure(backend().render(request("over quota"), ctx()));
    expect(err).toMatchObject({ code: "backend_rate_limited", retryable: true });
    expect(err?.message).toContain("retry after 3600 s");
    expect(err?.message).toContain("Resource has been exhausted");
  });

  it("reports Veo's safety filter as a non-retryable moderation refusal with its reason", async () => {
    const err = await failure(backend().render(request("filtered content"), ctx()));
    expect(err).toMatchObject({ code: "moderation_refused", retryable: false });
    expect(err?.message).toContain("child safety violation");
  });

  it("reports a failed operation with its status", async () => {
    const err = await failure(backend().render(request("broken run"), ctx()));
    expect(err).toMatchObject({ code: "backend_failed", retryable: false });
    expect(err?.message).toContain("internal error. (INTERNAL)");
  });

  it("refuses a poll answer that is not an Operation (malformed response)", async () => {
    const err = await failure(backend().render(request("malformed answer"), ctx()));
    expect(err).toMatchObject({ code: "backend_protocol", retryable: true });
    expect(err?.message).toMatch(/unexpected shape \(name/);
  });

  it("times out a poll that never answers", async () => {
    const err = await failure(
      backend({ requestTimeoutMs: 300 }).render(request("hang forever"), ctx()),
    );
    expect(err).toMatchObject({ code: "backend_timeout", retryable: true });
  });

  it("refuses a truncated download (partial output) and leaves no file behind", async () => {
    const c = ctx();
    const err = await failure(backend().render(request("truncated download"), c));
    expect(err).toMatchObject({ code: "backend_download", retryable: true });
    expect(err?.message).toMatch(/after \d+ of \d+ bytes \(a partial file\)/);
    expect(readdirSync(c.workDir).filter((f) => f.includes("download"))).toEqual([]);
  });

  it("refuses a clip much shorter than asked for", async () => {
    const err = await failure(backend().render(request("short clip"), ctx()));
    expect(err).toMatchObject({ code: "backend_partial_output", retryable: false });
  });

  it("refuses a wrong key without retrying and without creating an operation", async () => {
    const before = ops.size;
    const err = await failure(
      backend({ apiKey: "AIza-wrong-key" }).render(request("A lighthouse"), ctx()),
    );
    expect(err).toMatchObject({ code: "backend_auth", retryable: false });
    expect(err?.message).toContain("unregistered callers");
    expect(ops.size).toBe(before);
  });

  it("resumes the saved operation after a crash instead of starting a second one", async () => {
    const c = ctx();
    const controller = new AbortController();
    const first = backend().render(request("A resumed harbor"), {
      ...c,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(first).rejects.toMatchObject({ code: "cancelled" });
    const created = ops.size;
    const result = await backend().render(request("A resumed harbor"), c);
    expect(ops.size).toBe(created);
    expect((await probe(result.videoPath)).video?.width).toBe(1280);
  });
});
