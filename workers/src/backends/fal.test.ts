import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
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
import { falBackend } from "./fal.ts";

/**
 * fal against a local server following its queue API: POST /{endpoint} (Authorization: Key …) →
 * { request_id, response_url, status_url, cancel_url }; GET status_url: IN_QUEUE (position) →
 * IN_PROGRESS → COMPLETED; GET response_url → { video: { url } }, or 422 { detail: [...] }.
 * As fal does, status and response URLs use the app id without the endpoint's subpath. Prompt
 * keywords: "nsfw" (422 content_policy_violation on the result), "crash" (COMPLETED with error),
 * "malformed" (a result without `video`), "slow" (429 with Retry-After: 1 on the first submit).
 */

const KEY = "fal-key-id:fal-key-secret";
const dir = mkdtempSync(path.join(os.tmpdir(), "fal-"));
let silentClip: Buffer;
const requests = new Map<
  string,
  { endpoint: string; input: Record<string, unknown>; polls: number }
>();
let throttled = false;
let n = 0;

const server = await contractServer((req, res) => {
  if (req.path.startsWith("/files/")) return sendFile(res, silentClip); // fal.media CDN: public
  if (req.headers.authorization !== `Key ${KEY}`)
    return json(res, 401, { detail: "Invalid Key Authorization header format" });
  const status = /^\/(fal-ai\/[\w-]+)\/requests\/([\w-]+)\/status$/.exec(req.path);
  const result = /^\/(fal-ai\/[\w-]+)\/requests\/([\w-]+)$/.exec(req.path);
  const cancel = /^\/(fal-ai\/[\w-]+)\/requests\/([\w-]+)\/cancel$/.exec(req.path);
  if (req.method === "POST" && !status && !result) {
    const input = JSON.parse(req.body) as Record<string, unknown>;
    if (String(input.prompt).includes("slow") && !throttled) {
      throttled = true;
      return json(res, 429, { detail: "Too many requests" }, { "retry-after": "1" });
    }
    const app = req.path.split("/").slice(1, 3).join("/");
    const id = `764cabcf-b745-4b3e-ae38-1200304cf${String(++n).padStart(3, "0")}`;
    requests.set(id, { endpoint: req.path.slice(1), input, polls: 0 });
    return json(res, 200, {
      request_id: id,
      response_url: `${server.baseUrl}/${app}/requests/${id}`,
      status_url: `${server.baseUrl}/${app}/requests/${id}/status`,
      cancel_url: `${server.baseUrl}/${app}/requests/${id}/cancel`,
      queue_position: 2,
    });
  }
  if (req.method === "GET" && status) {
    const r = requests.get(status[2]!)!;
    r.polls++;
    if (r.polls === 1) return json(res, 202, { status: "IN_QUEUE", queue_position: 1 });
    if (r.polls === 2) return json(res, 202, { status: "IN_PROGRESS", logs: [] });
    if (String(r.input.prompt).includes("crash"))
      return json(res, 200, {
        status: "COMPLETED",
        error: "Runner crashed: CUDA out of memory",
        error_type: "runner_error",
      });
    return json(res, 200, {
      status: "COMPLETED",
      response_url: `${server.baseUrl}${req.path.replace(/\/status$/, "")}`,
    });
  }
  if (req.method === "PUT" && cancel) return json(res, 202, { status: "CANCELLATION_REQUESTED" });
  if (req.method === "GET" && result) {
    const r = requests.get(result[2]!)!;
    const prompt = String(r.input.prompt);
    if (prompt.includes("nsfw"))
      return json(res, 422, {
        detail: [
          {
            loc: ["body", "prompt"],
            msg: "The content could not be processed because it contained material flagged by a content checker.",
            type: "content_policy_violation",
          },
        ],
      });
    if (prompt.includes("malformed")) return json(res, 200, { images: [] });
    return json(res, 200, {
      video: { url: `${server.baseUrl}/files/${result[2]}.mp4`, content_type: "video/mp4" },
      seed: 4242,
    });
  }
  json(res, 404, { detail: `No route ${req.method} ${req.path}` });
});

beforeAll(async () => {
  // Wan 2.2 answers 1280×720 at 16 fps, 81 frames, silent.
  silentClip = await modelClip(dir, {
    width: 1280,
    height: 720,
    fps: 16,
    seconds: 5.0625,
    audio: false,
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const backend = (model = "wan-2.2") =>
  falBackend({ apiKey: KEY, model, baseUrl: server.baseUrl, pollIntervalMs: 5 });
const request = requestsWith({ durationSeconds: 5, size: "1280x720", seed: 7 });
const ctx = jobContexts(dir);

describe("fal backend against a local fal queue API contract server", () => {
  it("submits Wan 2.2 to the queue, polls status, fetches the result and adds silence", async () => {
    const details: (string | undefined)[] = [];
    const result = await backend().render(request("Lanterns over a river"), ctx([], details));
    const r = [...requests.values()].at(-1)!;
    expect(r.endpoint).toBe("fal-ai/wan/v2.2-a14b/text-to-video");
    expect(r.input).toEqual({
      prompt: "Lanterns over a river",
      num_frames: 81,
      frames_per_second: 16,
      resolution: "720p",
      aspect_ratio: "16:9",
      seed: 7,
      enable_safety_checker: true,
    });
    expect(details).toContain("queued at fal (position 1)");
    const p = await probe(result.videoPath);
    expect(p.video).toMatchObject({ codec: "h264", width: 1280, height: 720 });
    expect(p.video?.fps).toBe(30);
    expect(p.audio?.codec).toBe("aac"); // silence added: the product MP4 always has a track
    expect(p.durationSeconds).toBeCloseTo(5, 1);
    expect(result.metadata).toMatchObject({ provider: "fal", remoteSeed: 4242, hadAudio: false });
    const cdn = server.seen.find((s) => s.path.startsWith("/files/"))!;
    expect(cdn.headers.authorization).toBe(`Key ${KEY}`); // same origin as the queue in this test
  });

  it("sends Kling 2.1's fields (duration as a string) to its endpoint", async () => {
    await backend("kling-2.1").render(request("A kite", { size: "720x1280" }), ctx());
    const r = [...requests.values()].at(-1)!;
    expect(r.endpoint).toBe("fal-ai/kling-video/v2.1/master/text-to-video");
    expect(r.input).toEqual({ prompt: "A kite", duration: "5", aspect_ratio: "9:16" });
  });

  it("reports a content_policy_violation as a moderation refusal", async () => {
    const err = await failure(backend().render(request("nsfw request"), ctx()));
    expect(err).toMatchObject({ code: "moderation_refused", retryable: false });
    expect(err?.message).toContain("flagged by a content checker");
  });

  it("reports a request that completed with an error", async () => {
    const err = await failure(backend().render(request("crash the runner"), ctx()));
    expect(err).toMatchObject({ code: "backend_failed", retryable: false });
    expect(err?.message).toContain("CUDA out of memory");
  });

  it("refuses a result without a video (malformed)", async () => {
    const err = await failure(backend().render(request("malformed result"), ctx()));
    expect(err).toMatchObject({ code: "backend_protocol" });
    expect(err?.message).toContain("video");
  });

  it("waits out a 429 with Retry-After: 1 and submits again", async () => {
    const before = requests.size;
    await backend().render(request("slow start"), ctx());
    expect(requests.size).toBe(before + 1);
    expect(
      server.seen.filter((s) => s.method === "POST" && s.body.includes("slow start")),
    ).toHaveLength(2);
  });

  it("cancels the queued request at fal when the job is cancelled", async () => {
    const controller = new AbortController();
    const c = ctx();
    const p = backend().render(request("Lanterns again"), {
      ...c,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(p).rejects.toMatchObject({ code: "cancelled" });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.seen.some((s) => s.method === "PUT" && s.path.endsWith("/cancel"))).toBe(true);
  });

  it("refuses an unknown model at configuration", () => {
    expect(() => backend("sdxl")).toThrow(/not one of wan-2.2, kling-2.1/);
  });
});
