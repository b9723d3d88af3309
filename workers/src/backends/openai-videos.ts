import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import { z } from "zod";

/**
 * A backend for any server that speaks the OpenAI Videos API:
 *   POST /v1/videos (multipart: prompt, model, seconds, size, input_reference) → Video
 *   GET  /v1/videos/{id} → Video, polled until status is `completed` or `failed`
 *   GET  /v1/videos/{id}/content?variant=video → the MP4 bytes
 * Field names and statuses follow the `Video` type of the official `openai` npm package.
 *
 * Resumable: the remote video id is saved in the work directory (stable per workflow step), so a
 * worker that crashes while polling resumes the same remote job instead of paying for a new one.
 */

export const openAIVideoSchema = z.object({
  id: z.string().min(1),
  object: z.literal("video"),
  status: z.enum(["queued", "in_progress", "completed", "failed"]),
  progress: z.number().min(0).max(100).default(0),
  model: z.string().optional(),
  seconds: z.string().optional(),
  size: z.string().optional(),
  created_at: z.number().optional(),
  completed_at: z.number().nullable().optional(),
  expires_at: z.number().nullable().optional(),
  error: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
  prompt: z.string().nullable().optional(),
  remixed_from_video_id: z.string().nullable().optional(),
});
export type OpenAIVideo = z.infer<typeof openAIVideoSchema>;

const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    code: z.string().nullable().optional(),
    type: z.string().optional(),
  }),
});

export interface OpenAIVideosOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Between polls of GET /v1/videos/{id}. */
  pollIntervalMs?: number;
  /** Give up on a remote job after this long. */
  timeoutMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(aborted());
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });

const aborted = () => new GenerationError("cancelled", "The generation was cancelled.", false);

export function openAIVideosBackend(opts: OpenAIVideosOptions): GenerationBackend {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const pollMs = opts.pollIntervalMs ?? 2_000;
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;

  async function call(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        ...init,
        signal,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${opts.apiKey}`,
        },
      });
    } catch (err) {
      if (signal.aborted) throw aborted();
      throw new GenerationError(
        "backend_unreachable",
        `The video API at ${base} is unreachable: ${(err as Error).message}`,
        true,
      );
    }
    if (res.ok) return res;
    const text = await res.text().catch(() => "");
    let message = text.slice(0, 300) || res.statusText;
    try {
      message = errorBodySchema.parse(JSON.parse(text)).error.message;
    } catch {}
    if (res.status === 401 || res.status === 403) {
      throw new GenerationError(
        "backend_auth",
        `The video API refused the API key (${res.status}): ${message}`,
        false,
      );
    }
    if (res.status === 429 || res.status >= 500) {
      throw new GenerationError(
        "backend_unavailable",
        `The video API is busy or failing (${res.status}): ${message}`,
        true,
      );
    }
    throw new GenerationError(
      "backend_rejected",
      `The video API rejected the request (${res.status}): ${message}`,
      false,
    );
  }

  async function readVideo(res: Response): Promise<OpenAIVideo> {
    const parsed = openAIVideoSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) {
      throw new GenerationError(
        "backend_protocol",
        `The video API answered with something that is not a Video: ${parsed.error.message}`,
        false,
      );
    }
    return parsed.data;
  }

  return {
    name: "openai-videos",
    label: "OpenAI Videos API compatible server",
    async render(request, ctx) {
      await mkdir(ctx.workDir, { recursive: true });
      const stateFile = path.join(ctx.workDir, "openai-video.json");
      let video: OpenAIVideo | undefined;
      const saved = await readFile(stateFile, "utf8").catch(() => undefined);
      if (saved) {
        const id = z.object({ id: z.string() }).parse(JSON.parse(saved)).id;
        video = await readVideo(
          await call(`${base}/v1/videos/${encodeURIComponent(id)}`, { method: "GET" }, ctx.signal),
        );
      } else {
        const form = new FormData();
        form.set("prompt", promptText(request));
        form.set("model", opts.model);
        form.set("seconds", String(request.durationSeconds));
        form.set("size", request.size);
        if (request.inputImagePath) {
          const bytes = await readFile(request.inputImagePath);
          const ext = path.extname(request.inputImagePath).slice(1).toLowerCase();
          const type = ext === "png" ? "image/png" : ext === "webp" ? "image/webp" : "image/jpeg";
          form.set(
            "input_reference",
            new Blob([bytes], { type }),
            path.basename(request.inputImagePath),
          );
        }
        video = await readVideo(
          await call(`${base}/v1/videos`, { method: "POST", body: form }, ctx.signal),
        );
        await writeFile(stateFile, JSON.stringify({ id: video.id }));
      }
      const started = Date.now();
      while (video.status === "queued" || video.status === "in_progress") {
        ctx.onProgress(video.progress / 100, video.status);
        if (Date.now() - started > timeoutMs) {
          throw new GenerationError(
            "backend_timeout",
            `The video API did not finish video ${video.id} in time.`,
            true,
          );
        }
        await sleep(pollMs, ctx.signal);
        video = await readVideo(
          await call(
            `${base}/v1/videos/${encodeURIComponent(video.id)}`,
            { method: "GET" },
            ctx.signal,
          ),
        );
      }
      if (video.status === "failed") {
        // The remote job is finished: a retry must start a new one.
        await rm(stateFile, { force: true });
        const reason = video.error
          ? `${video.error.message} (${video.error.code})`
          : "no reason given";
        throw new GenerationError(
          "backend_failed",
          `The video API failed to generate the video: ${reason}`,
          false,
        );
      }
      ctx.onProgress(1, "downloading");
      const res = await call(
        `${base}/v1/videos/${encodeURIComponent(video.id)}/content?variant=video`,
        { method: "GET" },
        ctx.signal,
      );
      if (!res.body)
        throw new GenerationError("backend_protocol", "The video API sent no content.", true);
      const output = path.join(ctx.workDir, "openai-video.mp4");
      const tmp = `${output}.part-${process.pid}`;
      try {
        await pipeline(
          Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
          createWriteStream(tmp),
          {
            signal: ctx.signal,
          },
        );
        await rename(tmp, output);
      } catch (err) {
        await rm(tmp, { force: true });
        if (ctx.signal.aborted) throw aborted();
        throw new GenerationError(
          "backend_download",
          `Downloading video ${video.id} failed: ${(err as Error).message}`,
          true,
        );
      }
      return {
        videoPath: output,
        metadata: {
          remoteVideoId: video.id,
          model: video.model ?? opts.model,
          seconds: video.seconds,
          size: video.size,
        },
      };
    },
  };
}
