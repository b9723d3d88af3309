import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenAIVideo, openAIVideosBackend } from "./openai-videos.ts";

/**
 * A local server following the OpenAI Videos API contract (the `Video` type of the `openai` npm
 * package): multipart POST /v1/videos, GET /v1/videos/{id} advancing queued → in_progress →
 * completed (or failed for prompts containing "forbidden"), GET /v1/videos/{id}/content.
 */
function contractServer(mp4: Buffer, apiKey: string) {
  const videos = new Map<string, OpenAIVideo & { polls: number }>();
  const seen: {
    prompt: string;
    model: string;
    seconds: string;
    size: string;
    hasImage: boolean;
  }[] = [];
  let n = 0;
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(401, {
        error: {
          message: "Incorrect API key provided.",
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      });
    }
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === "POST" && url.pathname === "/v1/videos") {
      const form = await new Response(Buffer.concat(chunks), {
        headers: { "content-type": String(req.headers["content-type"]) },
      }).formData();
      // multipart/form-data turns line breaks into CRLF (HTML spec); the API sees the same text.
      const prompt = String(form.get("prompt") ?? "").replace(/\r\n/g, "\n");
      if (!prompt)
        return send(400, {
          error: { message: "prompt is required", type: "invalid_request_error" },
        });
      const entry = {
        prompt,
        model: String(form.get("model")),
        seconds: String(form.get("seconds")),
        size: String(form.get("size")),
        hasImage: form.get("input_reference") instanceof Blob,
      };
      seen.push(entry);
      const video = {
        id: `video_${++n}`,
        object: "video" as const,
        status: "queued" as const,
        progress: 0,
        model: entry.model,
        seconds: entry.seconds,
        size: entry.size,
        created_at: Math.floor(Date.now() / 1000),
        completed_at: null,
        expires_at: null,
        error: null,
        prompt,
        remixed_from_video_id: null,
        polls: 0,
      };
      videos.set(video.id, video);
      const { polls: _, ...body } = video;
      return send(200, body);
    }
    const m = /^\/v1\/videos\/([^/]+)(\/content)?$/.exec(url.pathname);
    const video = m ? videos.get(decodeURIComponent(m[1]!)) : undefined;
    if (req.method === "GET" && video && !m![2]) {
      video.polls++;
      if (video.polls === 1) Object.assign(video, { status: "in_progress", progress: 50 });
      else if (video.prompt?.includes("forbidden")) {
        Object.assign(video, {
          status: "failed",
          error: {
            code: "moderation_blocked",
            message: "Your request was blocked by our moderation system.",
          },
        });
      } else
        Object.assign(video, {
          status: "completed",
          progress: 100,
          completed_at: Math.floor(Date.now() / 1000),
        });
      const { polls: _, ...body } = video;
      return send(200, body);
    }
    if (req.method === "GET" && video && m![2]) {
      if (video.status !== "completed")
        return send(404, { error: { message: "Video is not ready." } });
      if (url.searchParams.get("variant") !== "video")
        return send(400, { error: { message: "bad variant" } });
      res.writeHead(200, { "content-type": "video/mp4", "content-length": mp4.length });
      return res.end(mp4);
    }
    send(404, { error: { message: `No route ${req.method} ${url.pathname}` } });
  });
  return { server, seen, videos };
}

describe("openai-videos backend against a local contract server", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openai-videos-"));
  let mp4: Buffer;
  let baseUrl = "";
  let contract: ReturnType<typeof contractServer>;

  beforeAll(async () => {
    const file = path.join(dir, "fixture.mp4");
    await ffmpegToFile(file, (tmp) =>
      testsrcEncodeArgs({ width: 320, height: 568, fps: 30, seconds: 1, output: tmp }),
    );
    mp4 = readFileSync(file);
    contract = contractServer(mp4, "sk-test-key");
    await new Promise<void>((r) => contract.server.listen(0, "127.0.0.1", r));
    baseUrl = `http://127.0.0.1:${(contract.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => contract.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (text: string) =>
    generationRequestSchema.parse({
      prompt: { text, sections: { camera: "slow dolly in" } },
      durationSeconds: 8,
      size: "1280x720",
    });
  const ctx = (name: string, progress: number[] = []) => ({
    workDir: path.join(dir, name),
    signal: new AbortController().signal,
    onProgress: (f: number) => progress.push(f),
  });

  it("creates, polls and downloads a completed video, sending the contract's fields", async () => {
    const backend = openAIVideosBackend({
      baseUrl,
      apiKey: "sk-test-key",
      model: "sora-2",
      pollIntervalMs: 10,
    });
    const progress: number[] = [];
    const result = await backend.render(request("A lighthouse in a storm"), ctx("ok", progress));
    expect(readFileSync(result.videoPath).equals(mp4)).toBe(true);
    const probed = await probe(result.videoPath);
    expect(probed.video?.codec).toBe("h264");
    expect(result.metadata.remoteVideoId).toMatch(/^video_/);
    expect(contract.seen.at(-1)).toEqual({
      prompt: "A lighthouse in a storm\ncamera: slow dolly in",
      model: "sora-2",
      seconds: "8",
      size: "1280x720",
      hasImage: false,
    });
    expect(progress).toContain(0.5);
    expect(progress.at(-1)).toBe(1);
  });

  it("turns a failed remote job into a non-retryable GenerationError with the API's reason", async () => {
    const backend = openAIVideosBackend({
      baseUrl,
      apiKey: "sk-test-key",
      model: "sora-2",
      pollIntervalMs: 10,
    });
    const err = await backend
      .render(request("something forbidden"), ctx("failed"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GenerationError);
    expect(err).toMatchObject({ code: "backend_failed", retryable: false });
    expect((err as Error).message).toContain("blocked by our moderation system");
  });

  it("refuses a bad API key without retrying and without creating a remote job", async () => {
    const before = contract.videos.size;
    const backend = openAIVideosBackend({
      baseUrl,
      apiKey: "sk-wrong",
      model: "sora-2",
      pollIntervalMs: 10,
    });
    const err = await backend
      .render(request("A lighthouse"), ctx("badkey"))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "backend_auth", retryable: false });
    expect((err as Error).message).toContain("Incorrect API key provided.");
    expect(contract.videos.size).toBe(before);
  });

  it("marks an unreachable server as a retryable failure", async () => {
    const backend = openAIVideosBackend({
      baseUrl: "http://127.0.0.1:9",
      apiKey: "k",
      model: "sora-2",
    });
    const err = await backend.render(request("A lighthouse"), ctx("down")).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "backend_unreachable", retryable: true });
  });

  it("resumes the saved remote job after a crash instead of creating a second one", async () => {
    const backend = openAIVideosBackend({
      baseUrl,
      apiKey: "sk-test-key",
      model: "sora-2",
      pollIntervalMs: 10,
    });
    const c = ctx("resume");
    const controller = new AbortController();
    // First attempt: cancelled while polling (stands in for a crash), leaving the remote id saved.
    const first = backend.render(request("A harbor at dawn"), {
      ...c,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(first).rejects.toMatchObject({ code: "cancelled" });
    const created = contract.videos.size;
    const result = await backend.render(request("A harbor at dawn"), c);
    expect(contract.videos.size).toBe(created);
    expect(readFileSync(result.videoPath).equals(mp4)).toBe(true);
  });
});
