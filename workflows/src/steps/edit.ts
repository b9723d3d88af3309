import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { EditCompileError, type EditSource } from "@reelhouse/shared/edit/compile";
import type { EditRenderInput } from "@reelhouse/shared/edit/jobs";
import { probeSource, renderEdit } from "@reelhouse/shared/edit/render.server";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { dataDir } from "@reelhouse/shared/paths.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";

/**
 * The `edit` workflow's render step: probe the sources, compile and run the edit into
 * `outDir/video.mp4` (temporary name + rename; a cancel kills ffmpeg and leaves no file). A re-run
 * that finds the video in place reuses it.
 */
export async function renderEditStep(
  input: EditRenderInput,
): Promise<{ videoPath: string; mode: string; outputFrames: number }> {
  const { outDir } = jobDirs(input.workflowId);
  const videoPath = path.join(outDir, "video.mp4");
  await setStage(input.workflowId, "rendering");
  if (existsSync(videoPath)) return { videoPath, mode: "reused", outputFrames: 0 };
  await mkdir(outDir, { recursive: true });
  const sources: Record<string, EditSource> = {};
  for (const [draftId, rel] of Object.entries(input.sources)) {
    const file = path.join(dataDir(), rel);
    if (!existsSync(file)) {
      throw new GenerationError(
        "source_missing",
        `The video of draft ${draftId} is missing.`,
        false,
      );
    }
    sources[draftId] = await probeSource(draftId, file);
  }
  const plan = await renderEdit(input.edl, {
    sources,
    output: videoPath,
    lutPath: input.lutPath ? path.join(dataDir(), input.lutPath) : undefined,
    signal: stepSignal(),
    onProgress: progressWriter(input.workflowId, "rendering", 5, 80),
  }).catch((err: unknown) => {
    // An edit that cannot be compiled will not compile on a retry either.
    if (err instanceof EditCompileError)
      throw new GenerationError(`edit_${err.code}`, err.message, false);
    throw err;
  });
  return { videoPath, mode: plan.mode, outputFrames: plan.outputFrames };
}
