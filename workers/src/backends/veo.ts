import path from "node:path";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
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
 * Google Veo through the Gemini API (ai.google.dev/api/models#method:-models.predictlongrunning):
 *   POST {base}/v1beta/models/{model}:predictLongRunning   x-goog-api-key
 *        { instances: [{ prompt, image?: { bytesBase64Encoded, mimeType } }],
 *          parameters: { aspectRatio: "16:9" | "9:16", durationSeconds, resolution } }
 *     → google.longrunning.Operation { name: "models/{model}/operations/{id}" }
 *   GET  {base}/v1beta/{name} → { name, done?, error?: google.rpc.Status,
 *        response?: { generateVideoResponse: { generatedSamples: [{ video: { uri } }],
 *                     raiMediaFilteredCount?, raiMediaFilteredReasons? } } }
 *   GET  {uri} (x-goog-api-key) → the MP4
 * Errors are google.rpc.Status bodies `{ error: { code, message, status } }`. Resumable: the
 * operation name is kept in the work directory.
 */

export interface VeoOptions {
  apiKey: string;
  model: string;
  baseUrl?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  requestTimeoutMs?: number;
}

export const VEO_BASE_URL = "https://generativelanguage.googleapis.com";

const rpcStatus = z.object({
  code: z.number().optional(),
  message: z.string().default(""),
  status: z.string().optional(),
});

export const veoOperationSchema = z.object({
  name: z.string().min(1),
  done: z.boolean().optional(),
  error: rpcStatus.optional(),
  response: z
    .object({
      generateVideoResponse: z
        .object({
          generatedSamples: z
            .array(z.object({ video: z.object({ uri: z.string().url() }).optional() }))
            .optional(),
          raiMediaFilteredCount: z.number().optional(),
          raiMediaFilteredReasons: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type VeoOperation = z.infer<typeof veoOperationSchema>;

const errorMessage = (body: unknown) =>
  z.object({ error: rpcStatus }).safeParse(body).data?.error.message || undefined;

/** Veo's refusals of the prompt itself come back as 400 INVALID_ARGUMENT naming its safety rules. */
const isModeration = (status: number, _body: unknown, message: string) =>
  status === 400 && /safety|responsible ai|policy|prohibited|sensitive/i.test(message);

export function veoBackend(opts: VeoOptions): GenerationBackend {
  const base = (opts.baseUrl ?? VEO_BASE_URL).replace(/\/+$/, "");
  const pollMs = opts.pollIntervalMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const call = providerFetch({
    provider: "Veo",
    errorMessage,
    isModeration,
    requestTimeoutMs: opts.requestTimeoutMs,
  });
  const auth = { "x-goog-api-key": opts.apiKey };
  return {
    name: "veo",
    label: `Google Veo (${opts.model})`,
    async render(request, ctx) {
      const state = remoteState<{ operation: string }>(ctx.workDir, "veo-operation");
      let op: VeoOperation;
      const saved = await state.load();
      if (saved) {
        op = await readJson(
          "Veo",
          await call(`${base}/v1beta/${saved.operation}`, { headers: auth }, ctx.signal),
          veoOperationSchema,
          "the operation poll",
        );
      } else {
        const [w, h] = request.size.split("x").map(Number) as [number, number];
        const image = request.inputImagePath
          ? await imageDataUri(request.inputImagePath)
          : undefined;
        const body = {
          instances: [
            {
              prompt: promptText(request),
              ...(image ? { image: { bytesBase64Encoded: image.b64, mimeType: image.mime } } : {}),
            },
          ],
          parameters: {
            aspectRatio: w > h ? "16:9" : "9:16",
            durationSeconds: request.durationSeconds,
            resolution: "720p",
          },
        };
        op = await readJson(
          "Veo",
          await call(
            `${base}/v1beta/models/${encodeURIComponent(opts.model)}:predictLongRunning`,
            {
              method: "POST",
              headers: { ...auth, "content-type": "application/json" },
              body: JSON.stringify(body),
            },
            ctx.signal,
          ),
          veoOperationSchema,
          "predictLongRunning",
        );
        await state.save({ operation: op.name });
      }
      const started = Date.now();
      while (!op.done) {
        // Veo reports no progress: show the time spent against a typical minute, never finishing.
        ctx.onProgress(Math.min(0.9, (Date.now() - started) / 90_000), "Veo is generating");
        if (Date.now() - started > timeoutMs)
          throw new GenerationError(
            "backend_timeout",
            `Veo did not finish operation ${op.name} within ${Math.round(timeoutMs / 60_000)} min.`,
            true,
          );
        await sleep(pollMs, ctx.signal);
        op = await readJson(
          "Veo",
          await call(`${base}/v1beta/${op.name}`, { headers: auth }, ctx.signal),
          veoOperationSchema,
          "the operation poll",
        );
      }
      if (op.error) {
        await state.clear();
        const moderated = /safety|policy|responsible ai/i.test(op.error.message);
        throw new GenerationError(
          moderated ? "moderation_refused" : "backend_failed",
          `Veo failed to generate the video: ${op.error.message}${op.error.status ? ` (${op.error.status})` : ""}`,
          false,
        );
      }
      const result = op.response?.generateVideoResponse;
      const uri = result?.generatedSamples?.find((s) => s.video?.uri)?.video?.uri;
      if (!uri) {
        await state.clear();
        if (result?.raiMediaFilteredCount) {
          const reasons = result.raiMediaFilteredReasons?.join(" ") || "no reason given";
          throw new GenerationError(
            "moderation_refused",
            `Veo's safety filters blocked the video: ${reasons}`,
            false,
          );
        }
        throw new GenerationError(
          "backend_protocol",
          "Veo finished the operation without a video.",
          false,
        );
      }
      ctx.onProgress(0.95, "downloading");
      const download = path.join(ctx.workDir, "veo-download.mp4");
      await saveBody(
        "Veo",
        await call(uri, { headers: sameOrigin(uri, base) ? auth : {} }, ctx.signal),
        download,
        ctx.signal,
      );
      const output = path.join(ctx.workDir, "veo.mp4");
      const source = await normalizeClip("Veo", download, output, request, ctx.signal);
      return {
        videoPath: output,
        metadata: { provider: "veo", model: opts.model, operation: op.name, ...source },
      };
    },
  };
}
