import path from "node:path";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import type { GenerationRequest } from "@reelhouse/shared/generation/request";
import { z } from "zod";
import {
  imageDataUri,
  providerFetch,
  readJson,
  remoteState,
  sameOrigin,
  saveBody,
  sleep,
} from "./http.ts";
import { normalizeClip } from "./normalize.ts";

/**
 * fal's queue API (fal.ai/docs/documentation/model-apis/inference/queue), `Authorization: Key …`:
 *   POST https://queue.fal.run/{endpoint}  (model input JSON)
 *     → { request_id, response_url, status_url, cancel_url, queue_position? }
 *   GET  {status_url} → { status: IN_QUEUE | IN_PROGRESS | COMPLETED, queue_position?, error?,
 *        error_type? }
 *   GET  {response_url} → the model's output `{ video: { url, content_type?, file_size? }, seed? }`
 *        (422 `{ detail: [{ loc, msg, type }] }` when the input was refused, e.g.
 *        `content_policy_violation`)
 *   PUT  {cancel_url} on cancellation.
 * Models: presets for Wan 2.2 A14B and Kling 2.1 Master (text- and image-to-video endpoints and
 * their input fields, from each model's API page on fal).
 */

export interface FalPreset {
  textEndpoint: string;
  imageEndpoint: string;
  input(request: GenerationRequest, prompt: string): Record<string, unknown>;
}

const aspect = (r: GenerationRequest) => {
  const [w, h] = r.size.split("x").map(Number) as [number, number];
  return w > h ? "16:9" : "9:16";
};

export const FAL_PRESETS: Record<string, FalPreset> = {
  "wan-2.2": {
    textEndpoint: "fal-ai/wan/v2.2-a14b/text-to-video",
    imageEndpoint: "fal-ai/wan/v2.2-a14b/image-to-video",
    // 16 fps; num_frames 17–161 (81 ≈ 5 s, 161 ≈ 10 s).
    input: (r, prompt) => ({
      prompt,
      num_frames: Math.min(161, r.durationSeconds * 16 + 1),
      frames_per_second: 16,
      resolution: "720p",
      aspect_ratio: aspect(r),
      ...(r.seed ? { seed: r.seed } : {}),
      enable_safety_checker: true,
    }),
  },
  "kling-2.1": {
    textEndpoint: "fal-ai/kling-video/v2.1/master/text-to-video",
    imageEndpoint: "fal-ai/kling-video/v2.1/master/image-to-video",
    // duration is the string "5" or "10".
    input: (r, prompt) => ({
      prompt: prompt.slice(0, 2500),
      duration: String(r.durationSeconds),
      aspect_ratio: aspect(r),
    }),
  },
};

export interface FalOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
}

export const FAL_QUEUE_URL = "https://queue.fal.run";

const submitted = z.object({
  request_id: z.string().min(1),
  response_url: z.string().url(),
  status_url: z.string().url(),
  cancel_url: z.string().url().optional(),
});
export const falStatusSchema = z.object({
  status: z.enum(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]),
  queue_position: z.number().nullable().optional(),
  error: z.string().nullable().optional(),
  error_type: z.string().nullable().optional(),
});
const resultSchema = z.object({
  video: z.object({ url: z.string().url(), content_type: z.string().optional() }),
  seed: z.number().optional(),
});

const detail = z.object({
  detail: z.union([
    z.string(),
    z.array(z.object({ msg: z.string().optional(), type: z.string().optional() })),
  ]),
});
const errorMessage = (body: unknown) => {
  const d = detail.safeParse(body).data?.detail;
  if (typeof d === "string") return d;
  if (d) return d.map((x) => x.msg ?? x.type).join("; ");
  return z.object({ error: z.string() }).safeParse(body).data?.error;
};
const isModeration = (_status: number, body: unknown, message: string) => {
  const d = detail.safeParse(body).data?.detail;
  return (
    (Array.isArray(d) && d.some((x) => x.type === "content_policy_violation")) ||
    /content policy|nsfw|safety checker/i.test(message)
  );
};

export function falBackend(opts: FalOptions): GenerationBackend {
  const preset = FAL_PRESETS[opts.model];
  if (!preset)
    throw new GenerationError(
      "backend_config",
      `fal model "${opts.model}" is not one of ${Object.keys(FAL_PRESETS).join(", ")}.`,
      false,
    );
  const base = (opts.baseUrl ?? FAL_QUEUE_URL).replace(/\/+$/, "");
  const pollMs = opts.pollIntervalMs ?? 3_000;
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const call = providerFetch({
    provider: "fal",
    errorMessage,
    isModeration,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
  const auth = { authorization: `Key ${opts.apiKey}` };
  // The key only goes to fal's own URLs (status and response URLs come back in its answers).
  const authFor = (url: string) => (sameOrigin(url, base) ? auth : {});
  return {
    name: "fal",
    label: `fal (${opts.model})`,
    async render(request, ctx) {
      const state = remoteState<z.infer<typeof submitted>>(ctx.workDir, "fal-request");
      let req = await state.load();
      if (!req) {
        const image = request.inputImagePath
          ? await imageDataUri(request.inputImagePath)
          : undefined;
        const endpoint = image ? preset.imageEndpoint : preset.textEndpoint;
        const input = {
          ...preset.input(request, promptText(request)),
          ...(image ? { image_url: image.uri } : {}),
        };
        req = await readJson(
          "fal",
          await call(
            `${base}/${endpoint}`,
            {
              method: "POST",
              headers: { ...auth, "content-type": "application/json" },
              body: JSON.stringify(input),
            },
            ctx.signal,
          ),
          submitted,
          "the queue submission",
        );
        await state.save(req);
      }
      const cancel = () => {
        if (req?.cancel_url)
          fetch(req.cancel_url, { method: "PUT", headers: authFor(req.cancel_url) }).catch(
            () => {},
          );
      };
      ctx.signal.addEventListener("abort", cancel, { once: true });
      try {
        const started = Date.now();
        for (;;) {
          const status = await readJson(
            "fal",
            await call(req.status_url, { headers: authFor(req.status_url) }, ctx.signal),
            falStatusSchema,
            "the status poll",
          );
          if (status.status === "COMPLETED") {
            if (status.error) {
              await state.clear();
              const moderated =
                status.error_type === "content_policy_violation" ||
                /content policy|nsfw/i.test(status.error);
              throw new GenerationError(
                moderated ? "moderation_refused" : "backend_failed",
                `fal failed to generate the video: ${status.error}`,
                false,
              );
            }
            break;
          }
          ctx.onProgress(
            status.status === "IN_PROGRESS" ? Math.min(0.9, (Date.now() - started) / 180_000) : 0,
            status.status === "IN_QUEUE"
              ? `queued at fal${status.queue_position != null ? ` (position ${status.queue_position})` : ""}`
              : "fal is generating",
          );
          if (Date.now() - started > timeoutMs)
            throw new GenerationError(
              "backend_timeout",
              `fal did not finish request ${req.request_id} within ${Math.round(timeoutMs / 60_000)} min.`,
              true,
            );
          await sleep(pollMs, ctx.signal);
        }
        let result: z.infer<typeof resultSchema>;
        try {
          result = await readJson(
            "fal",
            await call(req.response_url, { headers: authFor(req.response_url) }, ctx.signal),
            resultSchema,
            "the result",
          );
        } catch (err) {
          // A refused or failed request has no result to fetch again: the next try starts anew.
          if (err instanceof GenerationError && !err.retryable) await state.clear();
          throw err;
        }
        ctx.onProgress(0.95, "downloading");
        const download = path.join(ctx.workDir, "fal-download.mp4");
        await saveBody(
          "fal",
          await call(result.video.url, { headers: authFor(result.video.url) }, ctx.signal),
          download,
          ctx.signal,
        );
        const output = path.join(ctx.workDir, "fal.mp4");
        const source = await normalizeClip("fal", download, output, request, ctx.signal);
        return {
          videoPath: output,
          metadata: {
            provider: "fal",
            model: opts.model,
            requestId: req.request_id,
            remoteSeed: result.seed,
            ...source,
          },
        };
      } finally {
        ctx.signal.removeEventListener("abort", cancel);
      }
    },
  };
}
