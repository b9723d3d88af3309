import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import type { GenerationRequest } from "@reelhouse/shared/generation/request";
import WebSocket from "ws";
import { z } from "zod";
import { aborted, providerFetch, readJson, remoteState, saveBody, sleep } from "./http.ts";
import { normalizeClip } from "./normalize.ts";

/**
 * A self-hosted ComfyUI server (its server API, docs.comfy.org/development/comfyui-server):
 *   WS   /ws?clientId=…  { type: "progress", data: { value, max, prompt_id } },
 *        { type: "executing", data: { node: null, prompt_id } } (done), "execution_success",
 *        { type: "execution_error", data: { prompt_id, node_type, exception_message } },
 *        "execution_interrupted"
 *   POST /prompt { prompt, client_id } → { prompt_id, number, node_errors }
 *        (400 { error: { type, message, details }, node_errors } for an invalid workflow)
 *   GET  /history/{prompt_id} → { [prompt_id]: { outputs: { [node]: { images | gifs | videos:
 *        [{ filename, subfolder, type }] } }, status: { status_str, completed, messages } } }
 *   GET  /view?filename=…&subfolder=…&type=output → the file
 *   POST /interrupt, POST /queue { delete: [id] } on cancellation.
 * The bundled workflow (./comfyui/wan22-ti2v-5b-t2v.json, API format) is ComfyUI's Wan 2.2 TI2V 5B
 * text-to-video graph; it needs the three model files it names in the server's models folders.
 * The WebSocket carries progress; if it cannot connect, /history is polled instead.
 */

export interface ComfyOptions {
  baseUrl: string;
  /** Optional bearer token for a ComfyUI behind an authenticating proxy. */
  apiKey?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
  /** The API-format workflow; default the bundled Wan 2.2 one. */
  workflow?: Record<string, ComfyNode>;
}

export interface ComfyNode {
  class_type: string;
  inputs: Record<string, unknown>;
  _meta?: { title?: string };
}

let bundled: Record<string, ComfyNode> | undefined;
export function bundledWorkflow(): Record<string, ComfyNode> {
  bundled ??= JSON.parse(
    readFileSync(new URL("./comfyui/wan22-ti2v-5b-t2v.json", import.meta.url), "utf8"),
  ) as Record<string, ComfyNode>;
  return structuredClone(bundled);
}

/** Wan 2.2 5B's frame sizes (multiples of 32) for our sizes; normalisation crops to the exact one. */
export function wanFrameSize(size: string): { width: number; height: number } {
  return size === "1280x720" ? { width: 1280, height: 704 } : { width: 704, height: 1280 };
}

/** Fills the workflow for one request (pure): prompt, seed, frame size and 24 fps length (4n+1). */
export function fillWorkflow(
  template: Record<string, ComfyNode>,
  request: GenerationRequest,
): Record<string, ComfyNode> {
  const wf = structuredClone(template);
  const byType = (t: string) => Object.values(wf).filter((n) => n.class_type === t);
  const latent = byType("Wan22ImageToVideoLatent")[0];
  const sampler = byType("KSampler")[0];
  const positive = wf[String((sampler?.inputs.positive as [string, number] | undefined)?.[0])];
  const video = byType("CreateVideo")[0];
  if (!latent || !sampler || !positive || !video)
    throw new GenerationError(
      "backend_config",
      "The ComfyUI workflow lacks a Wan22ImageToVideoLatent, KSampler, positive prompt or CreateVideo node.",
      false,
    );
  const fps = Number(video.inputs.fps) || 24;
  const { width, height } = wanFrameSize(request.size);
  positive.inputs.text = promptText(request);
  sampler.inputs.seed = request.seed;
  latent.inputs.width = width;
  latent.inputs.height = height;
  latent.inputs.length = Math.round((request.durationSeconds * fps) / 4) * 4 + 1;
  return wf;
}

const fileRef = z.object({
  filename: z.string().min(1),
  subfolder: z.string().default(""),
  type: z.string().default("output"),
});
export const comfyHistorySchema = z.record(
  z.string(),
  z.object({
    outputs: z
      .record(
        z.string(),
        z
          .object({
            images: z.array(fileRef).optional(),
            gifs: z.array(fileRef).optional(),
            videos: z.array(fileRef).optional(),
          })
          .passthrough(),
      )
      .default({}),
    status: z
      .object({
        status_str: z.string().optional(),
        completed: z.boolean().optional(),
        messages: z.array(z.tuple([z.string(), z.unknown()])).optional(),
      })
      .optional(),
  }),
);

const comfyError = z.object({
  error: z.union([
    z.string(),
    z.object({ message: z.string(), details: z.string().optional(), type: z.string().optional() }),
  ]),
  node_errors: z.record(z.string(), z.unknown()).optional(),
});
const errorMessage = (body: unknown) => {
  const e = comfyError.safeParse(body).data;
  if (!e) return undefined;
  if (typeof e.error === "string") return e.error;
  return [e.error.message, e.error.details].filter(Boolean).join(": ");
};

const VIDEO_EXT = /\.(mp4|webm|mov|mkv)$/i;

type WsEvent =
  | { kind: "progress"; value: number; max: number }
  | { kind: "done" }
  | { kind: "error"; message: string };

/** One ComfyUI WebSocket message for our prompt, or undefined (previews, other prompts, status). */
export function parseComfyMessage(text: string, promptId: string): WsEvent | undefined {
  let m: { type?: string; data?: Record<string, unknown> };
  try {
    m = JSON.parse(text);
  } catch {
    return undefined;
  }
  const d = m.data ?? {};
  if (d.prompt_id !== promptId) return undefined;
  if (
    m.type === "progress" &&
    typeof d.value === "number" &&
    typeof d.max === "number" &&
    d.max > 0
  )
    return { kind: "progress", value: d.value, max: d.max };
  if (m.type === "execution_success" || (m.type === "executing" && d.node === null))
    return { kind: "done" };
  if (m.type === "execution_error")
    return {
      kind: "error",
      message: `${String(d.node_type ?? "a node")} failed: ${String(d.exception_message ?? "no message").trim()}`,
    };
  if (m.type === "execution_interrupted")
    return { kind: "error", message: "the prompt was interrupted on the ComfyUI server" };
  return undefined;
}

interface Inbox {
  /** Replays what arrived so far, then passes on each new text message. */
  listen(fn: (text: string) => void): void;
}

function collect(ws: WebSocket): Inbox {
  const kept: string[] = [];
  let listener: ((text: string) => void) | undefined;
  ws.on("message", (data, isBinary) => {
    if (isBinary) return; // preview images
    const text = String(data);
    if (listener) listener(text);
    else kept.push(text);
  });
  return {
    listen(fn) {
      listener = fn;
      for (const t of kept.splice(0)) fn(t);
    },
  };
}

export function comfyuiBackend(opts: ComfyOptions): GenerationBackend {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const pollMs = opts.pollIntervalMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 60 * 60_000;
  const call = providerFetch({
    provider: "ComfyUI",
    errorMessage,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
  const headers: Record<string, string> = opts.apiKey
    ? { authorization: `Bearer ${opts.apiKey}` }
    : {};

  async function history(promptId: string, signal: AbortSignal) {
    const h = await readJson(
      "ComfyUI",
      await call(`${base}/history/${encodeURIComponent(promptId)}`, { headers }, signal),
      comfyHistorySchema,
      "/history",
    );
    return h[promptId];
  }

  /** Resolves when the prompt is done (by WebSocket, else by polling /history); rejects on error. */
  function waitForPrompt(
    promptId: string,
    ws: WebSocket | undefined,
    inbox: Inbox | undefined,
    onProgress: (f: number) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const started = Date.now();
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", onAbort);
        ws?.terminate();
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () => finish(aborted());
      signal.addEventListener("abort", onAbort, { once: true });
      inbox?.listen((text) => {
        const ev = parseComfyMessage(text, promptId);
        if (!ev || settled) return;
        if (ev.kind === "progress") onProgress(ev.value / ev.max);
        else if (ev.kind === "done") finish();
        else finish(new GenerationError("backend_failed", `ComfyUI failed: ${ev.message}.`, false));
      });
      // The history poll runs alongside: it finishes the job if the socket drops or never came up.
      (async () => {
        while (!settled) {
          try {
            await sleep(ws ? pollMs * 5 : pollMs, signal);
          } catch {
            return;
          }
          if (settled) return;
          if (Date.now() - started > timeoutMs) {
            finish(
              new GenerationError(
                "backend_timeout",
                `ComfyUI did not finish prompt ${promptId} within ${Math.round(timeoutMs / 60_000)} min.`,
                true,
              ),
            );
            return;
          }
          try {
            const entry = await history(promptId, signal);
            if (entry?.status?.completed || entry?.status?.status_str === "error") finish();
          } catch (err) {
            finish(err as Error);
          }
        }
      })();
    });
  }

  function connect(clientId: string): Promise<WebSocket | undefined> {
    const url = `${base.replace(/^http/, "ws")}/ws?clientId=${encodeURIComponent(clientId)}`;
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { headers });
      const t = setTimeout(() => {
        ws.terminate();
        resolve(undefined);
      }, 5_000);
      ws.on("open", () => {
        clearTimeout(t);
        resolve(ws);
      });
      ws.on("error", () => {
        clearTimeout(t);
        resolve(undefined);
      });
    });
  }

  return {
    name: "comfyui",
    label: "ComfyUI (Wan 2.2 5B)",
    async render(request, ctx) {
      const state = remoteState<{ promptId: string; clientId: string }>(
        ctx.workDir,
        "comfyui-prompt",
      );
      let saved = await state.load();
      const clientId = saved?.clientId ?? randomUUID();
      const ws = await connect(clientId);
      // Messages are kept from the moment the socket opens: a fast prompt may finish before
      // POST /prompt has even answered.
      const inbox = ws ? collect(ws) : undefined;
      try {
        if (!saved) {
          const workflow = fillWorkflow(opts.workflow ?? bundledWorkflow(), request);
          const queued = await readJson(
            "ComfyUI",
            await call(
              `${base}/prompt`,
              {
                method: "POST",
                headers: { ...headers, "content-type": "application/json" },
                body: JSON.stringify({ prompt: workflow, client_id: clientId }),
              },
              ctx.signal,
            ),
            z.object({ prompt_id: z.string().min(1), number: z.number().optional() }),
            "/prompt",
          );
          saved = { promptId: queued.prompt_id, clientId };
          await state.save(saved);
        }
        const promptId = saved.promptId;
        const onAbort = () => {
          fetch(`${base}/interrupt`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ prompt_id: promptId }),
          }).catch(() => {});
          fetch(`${base}/queue`, {
            method: "POST",
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ delete: [promptId] }),
          }).catch(() => {});
        };
        ctx.signal.addEventListener("abort", onAbort, { once: true });
        try {
          // Done already (a resumed job)? Else wait for it.
          const before = await history(promptId, ctx.signal);
          if (!before?.status?.completed && before?.status?.status_str !== "error")
            await waitForPrompt(
              promptId,
              ws,
              inbox,
              (f) => ctx.onProgress(f * 0.9, "sampling"),
              ctx.signal,
            );
        } finally {
          ctx.signal.removeEventListener("abort", onAbort);
        }
        const entry = await history(promptId, ctx.signal);
        if (!entry)
          throw new GenerationError(
            "backend_protocol",
            `ComfyUI has no history for prompt ${promptId}.`,
            true,
          );
        if (entry.status?.status_str === "error") {
          await state.clear();
          const err = entry.status.messages?.find(([t]) => t === "execution_error")?.[1] as
            | { exception_message?: string; node_type?: string }
            | undefined;
          throw new GenerationError(
            "backend_failed",
            `ComfyUI failed: ${err?.node_type ?? "a node"} failed: ${err?.exception_message?.trim() ?? "no message"}.`,
            false,
          );
        }
        const file = Object.values(entry.outputs)
          .flatMap((o) => [...(o.videos ?? []), ...(o.gifs ?? []), ...(o.images ?? [])])
          .find((f) => VIDEO_EXT.test(f.filename));
        if (!file) {
          await state.clear();
          throw new GenerationError(
            "backend_output",
            "ComfyUI finished the workflow without saving a video (does it end in SaveVideo?).",
            false,
          );
        }
        ctx.onProgress(0.95, "downloading");
        const q = new URLSearchParams({
          filename: file.filename,
          subfolder: file.subfolder,
          type: file.type,
        });
        const download = path.join(ctx.workDir, `comfyui-download${path.extname(file.filename)}`);
        await saveBody(
          "ComfyUI",
          await call(`${base}/view?${q}`, { headers }, ctx.signal),
          download,
          ctx.signal,
        );
        const output = path.join(ctx.workDir, "comfyui.mp4");
        const source = await normalizeClip("ComfyUI", download, output, request, ctx.signal);
        return {
          videoPath: output,
          metadata: { provider: "comfyui", promptId, workflow: "wan22-ti2v-5b-t2v", ...source },
        };
      } finally {
        ws?.terminate();
      }
    },
  };
}
