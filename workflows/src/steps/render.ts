import { mkdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import type { GenerateInput } from "@reelhouse/shared/generation/jobs";
import { resolveBackend } from "@reelhouse/shared/generation/registry.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";

export interface RenderOutput {
  /** Absolute path of the finished MP4: `<outDir>/video.mp4`. */
  videoPath: string;
  metadata: Record<string, unknown>;
  renderMs: number;
}

/**
 * Renders with the job's backend in its stable work directory, then renames the result to
 * `<outDir>/video.mp4`. Idempotent: if a previous attempt got as far as the rename (and the worker
 * died before DBOS checkpointed the step), the finished file is reused rather than rendered again.
 */
export async function renderStep(input: GenerateInput): Promise<RenderOutput> {
  await setStage(input.workflowId, "rendering");
  const { outDir, workDir } = jobDirs(input.workflowId);
  const videoPath = path.join(outDir, "video.mp4");
  if (await exists(videoPath)) return { videoPath, metadata: { reused: true }, renderMs: 0 };
  const renderDir = path.join(workDir, "render");
  await mkdir(renderDir, { recursive: true });
  await mkdir(outDir, { recursive: true });
  const backend = await resolveBackend(input.backend);
  const started = performance.now();
  const result = await backend.render(input.request, {
    workDir: renderDir,
    signal: stepSignal(),
    onProgress: progressWriter(input.workflowId, "rendering", 5, 80),
  });
  const renderMs = Math.round(performance.now() - started);
  await rename(result.videoPath, videoPath);
  return { videoPath, metadata: result.metadata, renderMs };
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}
