/**
 * `npm run bench -- render`: how much slower than "ffmpeg alone" is a previz render?
 *
 * In one run, on the same machine and load: (a) ffmpeg encoding 10 s of `testsrc2` (+ a sine tone)
 * at 720x1280/30 with the product's exact encoder settings, (b) the previz backend rendering a
 * 10 s 720x1280 clip of the reference's first example prompt, (c) the baseline again. The ratio is
 * previz wall time / mean baseline wall time; the goal is ≤ 2.5.
 *
 * Extend by adding a figure to `main()`'s result (e.g. orchestration overhead) and folding its goal
 * into `ok`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { renderPreviz } from "../workers/src/previz/render.server.ts";
import { measureOrchestrationOverhead } from "./render-orchestration.ts";

export const RENDER_PROMPT =
  "A golden retriever puppy playing in a sunlit garden, slow-motion shot of it catching a frisbee mid-air, warm afternoon lighting, cinematic camera following the action, playful music in the background";
export const RATIO_GOAL = 2.5;

async function timeBaseline(dir: string, n: number): Promise<number> {
  const out = path.join(dir, `testsrc-${n}.mp4`);
  const t0 = performance.now();
  await ffmpegToFile(out, (tmp) =>
    testsrcEncodeArgs({ width: 720, height: 1280, fps: 30, seconds: 10, output: tmp }),
  );
  return performance.now() - t0;
}

export async function measureRender(prompt = RENDER_PROMPT): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(tmpdir(), "rh-bench-render-"));
  try {
    const load = loadavg()[0];
    const baselineA = await timeBaseline(dir, 1);
    const request = generationRequestSchema.parse({
      prompt: { text: prompt },
      size: "720x1280",
      durationSeconds: 10,
    });
    const t0 = performance.now();
    const result = await renderPreviz(request, {
      workDir: dir,
      onProgress: () => {},
      signal: new AbortController().signal,
    });
    const renderMs = performance.now() - t0;
    const baselineB = await timeBaseline(dir, 2);
    const p = await probe(result.videoPath);
    const baselineMs = (baselineA + baselineB) / 2;
    const ratio = renderMs / baselineMs;
    return {
      previzRenderMs: Math.round(renderMs),
      previzDrawMs: result.metadata.drawMs,
      ffmpegTestsrc2Ms: [Math.round(baselineA), Math.round(baselineB)],
      ratio: Number(ratio.toFixed(2)),
      goal: `ratio <= ${RATIO_GOAL}`,
      renderOk: ratio <= RATIO_GOAL,
      output: {
        size: `${p.video?.width}x${p.video?.height}`,
        seconds: p.video?.durationSeconds,
        bytes: p.sizeBytes,
      },
      internalSize: result.metadata.internalSize,
      cpus: cpus().length,
      loadAverageAtStart: Number(load?.toFixed(2)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function main(): Promise<Record<string, unknown>> {
  const render = await measureRender();
  // Submit-to-draft latency minus render time, with a real worker (bench/render-orchestration.ts).
  const o = await measureOrchestrationOverhead({ runs: 3 });
  const orchestration = { ...o, goal: "overheadMs <= 300", ok: o.overheadMs <= 300 };
  return { ...render, orchestration, ok: render.renderOk === true && orchestration.ok };
}
