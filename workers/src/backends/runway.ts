import path from "node:path";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import { z } from "zod";
import { imageDataUri, providerFetch, readJson, remoteState, saveBody, sleep } from "./http.ts";
import { normalizeClip } from "./normalize.ts";

/**
 * Runway's API (docs.dev.runwayml.com/api), version header `X-Runway-Version: 2024-11-06`:
 *   POST /v1/text_to_video  { model, promptText, ratio: "1280:720" | "720:1280", duration }
 *   POST /v1/image_to_video { model, promptImage (data URI), promptText, ratio, duration }
 *     → { id }
 *   GET  /v1/tasks/{id} → { id, status: PENDING | THROTTLED | RUNNING | SUCCEEDED | FAILED |
 *        CANCELLED, progress? (0..1), output?: [url], failure?, failureCode? }
 * Errors: `{ error: "…" }` with 400 / 401 / 429. A failureCode starting `SAFETY.` is a moderation
 * refusal; `INTERNAL` failures may succeed on a retry (a new task).
 */

export interface RunwayOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
}

export const RUNWAY_BASE_URL = "https://api.dev.runwayml.com";
export const RUNWAY_VERSION = "2024-11-06";
/** promptText is at most 1000 UTF-16 code units. */
export const RUNWAY_PROMPT_MAX = 1000;

export const runwayTaskSchema = z.object({
  id: z.string().min(1),
  status: z.enum(["PENDING", "THROTTLED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]),
  progress: z.number().min(0).max(1).nullable().optional(),
  output: z.array(z.string().url()).nullable().optional(),
  failure: z.string().nullable().optional(),
  failureCode: z.string().nullable().optional(),
  createdAt: z.string().optional(),
});
export type RunwayTask = z.infer<typeof runwayTaskSchema>;

const errorMessage = (body: unknown) => {
  const b = z
    .object({ error: z.string().optional(), message: z.string().optional() })
    .safeParse(body);
  return b.data?.error ?? b.data?.message;
};

export function runwayBackend(opts: RunwayOptions): GenerationBackend {
  const base = (opts.baseUrl ?? RUNWAY_BASE_URL).replace(/\/+$/, "");
  const pollMs = opts.pollIntervalMs ?? 5_000;
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const call = providerFetch({
    provider: "Runway",
    errorMessage,
    isModeration: (status, _b, m) => status === 400 && /moderation|safety|content polic/i.test(m),
    requestTimeoutMs: opts.requestTimeoutMs,
  });
  const headers = {
    authorization: `Bearer ${opts.apiKey}`,
    "x-runway-version": RUNWAY_VERSION,
  };
  const getTask = async (id: string, signal: AbortSignal) =>
    readJson(
      "Runway",
      await call(`${base}/v1/tasks/${encodeURIComponent(id)}`, { headers }, signal),
      runwayTaskSchema,
      "the task poll",
    );
  return {
    name: "runway",
    label: `Runway (${opts.model})`,
    async render(request, ctx) {
      const state = remoteState<{ taskId: string }>(ctx.workDir, "runway-task");
      const saved = await state.load();
      let task: RunwayTask;
      if (saved) task = await getTask(saved.taskId, ctx.signal);
      else {
        const ratio = request.size.replace("x", ":");
        const prompt = promptText(request).slice(0, RUNWAY_PROMPT_MAX);
        const image = request.inputImagePath
          ? await imageDataUri(request.inputImagePath)
          : undefined;
        const body = image
          ? {
              model: opts.model,
              promptImage: image.uri,
              promptText: prompt,
              ratio,
              duration: request.durationSeconds,
            }
          : { model: opts.model, promptText: prompt, ratio, duration: request.durationSeconds };
        const created = await readJson(
          "Runway",
          await call(
            `${base}/v1/${image ? "image_to_video" : "text_to_video"}`,
            {
              method: "POST",
              headers: { ...headers, "content-type": "application/json" },
              body: JSON.stringify(body),
            },
            ctx.signal,
          ),
          z.object({ id: z.string().min(1) }),
          "the task creation",
        );
        await state.save({ taskId: created.id });
        task = await getTask(created.id, ctx.signal);
      }
      const started = Date.now();
      while (
        task.status === "PENDING" ||
        task.status === "THROTTLED" ||
        task.status === "RUNNING"
      ) {
        ctx.onProgress(
          task.progress ?? 0,
          task.status === "RUNNING" ? "Runway is generating" : "queued at Runway",
        );
        if (Date.now() - started > timeoutMs)
          throw new GenerationError(
            "backend_timeout",
            `Runway did not finish task ${task.id} within ${Math.round(timeoutMs / 60_000)} min.`,
            true,
          );
        await sleep(pollMs, ctx.signal);
        task = await getTask(task.id, ctx.signal);
      }
      if (task.status !== "SUCCEEDED") {
        await state.clear();
        const code = task.failureCode ?? "";
        const reason = `${task.failure ?? (task.status === "CANCELLED" ? "the task was cancelled at Runway" : "no reason given")}${code ? ` (${code})` : ""}`;
        if (code.startsWith("SAFETY"))
          throw new GenerationError(
            "moderation_refused",
            `Runway's moderation refused the request: ${reason}`,
            false,
          );
        throw new GenerationError(
          "backend_failed",
          `Runway failed to generate the video: ${reason}`,
          code.startsWith("INTERNAL"),
        );
      }
      const url = task.output?.[0];
      if (!url) {
        await state.clear();
        throw new GenerationError(
          "backend_protocol",
          "Runway's task succeeded without an output.",
          true,
        );
      }
      ctx.onProgress(0.95, "downloading");
      const download = path.join(ctx.workDir, "runway-download.mp4");
      // Output URLs are presigned: no Runway key goes with them.
      await saveBody("Runway", await call(url, {}, ctx.signal), download, ctx.signal);
      const output = path.join(ctx.workDir, "runway.mp4");
      const source = await normalizeClip("Runway", download, output, request, ctx.signal);
      return {
        videoPath: output,
        metadata: { provider: "runway", model: opts.model, taskId: task.id, ...source },
      };
    },
  };
}
