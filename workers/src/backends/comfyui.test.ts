import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type WebSocket from "ws";
import { WebSocketServer } from "ws";
import {
  bundledWorkflow,
  type ComfyNode,
  comfyuiBackend,
  fillWorkflow,
  parseComfyMessage,
} from "./comfyui.ts";
import {
  contractServer,
  failure,
  jobContexts,
  json,
  modelClip,
  requestsWith,
  sendFile,
} from "./contract-testing.ts";

/**
 * ComfyUI against a local server following its server API: WS /ws?clientId (status, executing,
 * progress, executed, execution_success / execution_error / execution_interrupted),
 * POST /prompt → { prompt_id, number, node_errors } or 400 with node_errors, GET /history/{id},
 * GET /view, POST /interrupt. The fake "runs" a prompt in a few timer ticks. Prompt keywords:
 * "oom" (execution_error), "nothing" (a history without a video output), "slowly" (runs until
 * interrupted). `wsEnabled = false` makes the server refuse the WebSocket (history polling).
 */

const dir = mkdtempSync(path.join(os.tmpdir(), "comfyui-"));
let webm: Buffer;
let wsEnabled = true;
const sockets = new Map<string, WebSocket>();
const prompts = new Map<
  string,
  { workflow: Record<string, ComfyNode>; done: boolean; error?: string; interrupted?: boolean }
>();
let n = 0;

function emit(clientId: string, type: string, data: Record<string, unknown>) {
  sockets.get(clientId)?.send(JSON.stringify({ type, data }));
}

function run(id: string, clientId: string) {
  const p = prompts.get(id)!;
  const text = String((p.workflow["6"]!.inputs as { text: string }).text);
  const steps = 3;
  let i = 0;
  emit(clientId, "execution_start", { prompt_id: id, timestamp: Date.now() });
  emit(clientId, "executing", { node: "3", display_node: "3", prompt_id: id });
  const t = setInterval(() => {
    if (p.interrupted) {
      clearInterval(t);
      emit(clientId, "execution_interrupted", {
        prompt_id: id,
        node_id: "3",
        node_type: "KSampler",
        executed: [],
      });
      return;
    }
    if (text.includes("slowly")) return;
    i++;
    if (text.includes("oom") && i === 2) {
      clearInterval(t);
      p.done = true;
      p.error = "Allocation on device 0 would exceed allowed memory. (out of memory)";
      emit(clientId, "execution_error", {
        prompt_id: id,
        node_id: "3",
        node_type: "KSampler",
        exception_message: `${p.error}\n`,
        exception_type: "torch.OutOfMemoryError",
        traceback: [],
      });
      return;
    }
    emit(clientId, "progress", { value: i, max: steps, prompt_id: id, node: "3" });
    // A binary preview frame, as ComfyUI sends while sampling.
    sockets.get(clientId)?.send(Buffer.from([0, 0, 0, 1, 0xff, 0xd8]));
    if (i === steps) {
      clearInterval(t);
      p.done = true;
      emit(clientId, "executed", { node: "58", prompt_id: id, output: {} });
      emit(clientId, "execution_success", { prompt_id: id, timestamp: Date.now() });
      emit(clientId, "executing", { node: null, prompt_id: id });
    }
  }, 15);
}

const server = await contractServer((req, res) => {
  if (req.method === "POST" && req.path === "/prompt") {
    const body = JSON.parse(req.body) as { prompt: Record<string, ComfyNode>; client_id: string };
    const missing = Object.entries(body.prompt).find(([, node]) => !node.class_type);
    if (missing || !Object.values(body.prompt).some((node) => node.class_type === "SaveVideo"))
      return json(res, 400, {
        error: {
          type: "prompt_no_outputs",
          message: "Prompt has no outputs",
          details: "",
          extra_info: {},
        },
        node_errors: {},
      });
    const latent = Object.values(body.prompt).find(
      (x) => x.class_type === "Wan22ImageToVideoLatent",
    )!;
    if (Number(latent.inputs.length) % 4 !== 1)
      return json(res, 400, {
        error: {
          type: "prompt_outputs_failed_validation",
          message: "Prompt outputs failed validation",
          details: "",
          extra_info: {},
        },
        node_errors: { "55": { errors: [{ message: "length must be 4n+1" }] } },
      });
    const id = `e1b3c0de-0000-4000-8000-${String(++n).padStart(12, "0")}`;
    prompts.set(id, { workflow: body.prompt, done: false });
    setTimeout(() => run(id, body.client_id), 10);
    return json(res, 200, { prompt_id: id, number: n, node_errors: {} });
  }
  const h = /^\/history\/([\w-]+)$/.exec(req.path);
  if (req.method === "GET" && h) {
    const p = prompts.get(h[1]!);
    if (!p || !p.done) return json(res, 200, {});
    const text = String((p.workflow["6"]!.inputs as { text: string }).text);
    const outputs = text.includes("nothing")
      ? { "58": { images: [{ filename: "preview_00001_.png", subfolder: "", type: "temp" }] } }
      : {
          "58": {
            images: [{ filename: "reelhouse_00001_.webm", subfolder: "video", type: "output" }],
            animated: [true],
          },
        };
    return json(res, 200, {
      [h[1]!]: {
        prompt: [n, h[1], p.workflow, {}, ["58"]],
        outputs: p.error ? {} : outputs,
        status: p.error
          ? {
              status_str: "error",
              completed: false,
              messages: [
                [
                  "execution_error",
                  { prompt_id: h[1], node_type: "KSampler", exception_message: p.error },
                ],
              ],
            }
          : { status_str: "success", completed: true, messages: [] },
        meta: {},
      },
    });
  }
  if (req.method === "GET" && req.path === "/view") {
    if (
      req.url.searchParams.get("filename") !== "reelhouse_00001_.webm" ||
      req.url.searchParams.get("subfolder") !== "video"
    )
      return json(res, 404, { error: "not found" });
    return sendFile(res, webm, "video/webm");
  }
  if (req.method === "POST" && req.path === "/interrupt") {
    for (const p of prompts.values()) p.interrupted = true;
    return json(res, 200, {});
  }
  if (req.method === "POST" && req.path === "/queue") return json(res, 200, {});
  json(res, 404, { error: `No route ${req.method} ${req.path}` });
});
const wss = new WebSocketServer({ noServer: true });
server.server.on("upgrade", (req, socket, head) => {
  const url = new URL(req.url ?? "/", "http://local");
  if (!wsEnabled || url.pathname !== "/ws") return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    const clientId = url.searchParams.get("clientId") ?? "anon";
    sockets.set(clientId, ws);
    ws.send(
      JSON.stringify({
        type: "status",
        data: { status: { exec_info: { queue_remaining: 0 } }, sid: clientId },
      }),
    );
  });
});

beforeAll(async () => {
  // SaveVideo's "auto" output: Wan 2.2 5B at 1280×704, 24 fps, no sound, here as WebM.
  webm = await modelClip(dir, {
    width: 1280,
    height: 704,
    fps: 24,
    seconds: 4.04,
    audio: false,
    ext: "webm",
  });
});
afterAll(async () => {
  wss.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const backend = () => comfyuiBackend({ baseUrl: server.baseUrl, pollIntervalMs: 20 });
const request = requestsWith({ durationSeconds: 4, size: "1280x720", seed: 99 });
const ctx = jobContexts(dir);

describe("the bundled Wan 2.2 workflow", () => {
  it("links only to nodes it has, and ends in SaveVideo", () => {
    const wf = bundledWorkflow();
    for (const node of Object.values(wf))
      for (const v of Object.values(node.inputs))
        if (Array.isArray(v)) expect(Object.keys(wf)).toContain(String(v[0]));
    expect(Object.values(wf).map((x) => x.class_type)).toContain("SaveVideo");
  });

  it("is filled with the prompt, the seed, Wan's frame size and a 4n+1 length at 24 fps", () => {
    const wf = fillWorkflow(bundledWorkflow(), request("A paper boat"));
    expect(wf["6"]!.inputs.text).toBe("A paper boat");
    expect(wf["3"]!.inputs.seed).toBe(99);
    expect(wf["55"]!.inputs).toMatchObject({ width: 1280, height: 704, length: 97 });
    const five = fillWorkflow(bundledWorkflow(), {
      ...request("x"),
      durationSeconds: 5,
      size: "720x1280",
    });
    expect(five["55"]!.inputs).toMatchObject({ width: 704, height: 1280, length: 121 });
  });

  it("reads only its own prompt's WebSocket messages", () => {
    expect(
      parseComfyMessage('{"type":"progress","data":{"value":2,"max":4,"prompt_id":"a"}}', "a"),
    ).toEqual({
      kind: "progress",
      value: 2,
      max: 4,
    });
    expect(
      parseComfyMessage('{"type":"progress","data":{"value":2,"max":4,"prompt_id":"b"}}', "a"),
    ).toBeUndefined();
    expect(
      parseComfyMessage('{"type":"executing","data":{"node":null,"prompt_id":"a"}}', "a"),
    ).toEqual({ kind: "done" });
    expect(parseComfyMessage("not json", "a")).toBeUndefined();
  });
});

describe("comfyui backend against a local ComfyUI server", () => {
  it("queues the workflow, follows WebSocket progress, downloads the WebM from /view and normalises it", async () => {
    const progress: number[] = [];
    const result = await backend().render(request("A paper boat on a puddle"), ctx(progress));
    const post = server.seen.find((s) => s.path === "/prompt")!;
    const body = JSON.parse(post.body);
    expect(sockets.has(body.client_id)).toBe(true);
    expect(body.prompt["6"].inputs.text).toBe("A paper boat on a puddle");
    expect(progress.filter((f) => f < 0.95)).toEqual([0.3, 0.6, 0.9]);
    const p = await probe(result.videoPath);
    expect(p.video).toMatchObject({ codec: "h264", width: 1280, height: 720 });
    expect(p.audio?.codec).toBe("aac");
    expect(p.durationSeconds).toBeCloseTo(4, 1);
    expect(result.metadata).toMatchObject({ provider: "comfyui", sourceHeight: 704 });
  });

  it("falls back to polling /history when the WebSocket is refused", async () => {
    wsEnabled = false;
    try {
      const result = await backend().render(request("A paper boat, no socket"), ctx());
      expect((await probe(result.videoPath)).video?.width).toBe(1280);
    } finally {
      wsEnabled = true;
    }
  });

  it("reports a node's execution_error with its message", async () => {
    const err = await failure(backend().render(request("oom please"), ctx()));
    expect(err).toMatchObject({ code: "backend_failed", retryable: false });
    expect(err?.message).toContain(
      "KSampler failed: Allocation on device 0 would exceed allowed memory",
    );
  });

  it("reports a finished workflow that saved no video", async () => {
    const err = await failure(backend().render(request("nothing useful"), ctx()));
    expect(err).toMatchObject({ code: "backend_output", retryable: false });
  });

  it("passes on ComfyUI's validation error for a broken workflow", async () => {
    const broken = bundledWorkflow();
    delete broken["58"];
    const err = await failure(
      comfyuiBackend({ baseUrl: server.baseUrl, workflow: broken }).render(request("x"), ctx()),
    );
    expect(err).toMatchObject({ code: "backend_rejected", retryable: false });
    expect(err?.message).toContain("Prompt has no outputs");
  });

  it("interrupts the prompt on the server when the job is cancelled", async () => {
    const controller = new AbortController();
    const p = backend().render(request("render slowly"), {
      ...ctx(),
      signal: controller.signal,
      onProgress: () => {},
    });
    setTimeout(() => controller.abort(), 200);
    await expect(p).rejects.toMatchObject({ code: "cancelled" });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.seen.some((s) => s.path === "/interrupt")).toBe(true);
  });

  it("says the server is unreachable", async () => {
    const err = await failure(
      comfyuiBackend({ baseUrl: "http://127.0.0.1:9" }).render(request("x"), ctx()),
    );
    expect(err).toMatchObject({ code: "backend_unreachable", retryable: true });
  });
});
