import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { DBOS } from "@dbos-inc/dbos-sdk";
import { castCameos } from "@reelhouse/shared/cameos/kits.server";
import type { ProvidedThumbnails } from "@reelhouse/shared/generation/backend";
import {
  loadBackendSecrets,
  projectWorkspace,
} from "@reelhouse/shared/generation/backend-settings.server";
import type { GenerateInput } from "@reelhouse/shared/generation/jobs";
import { resolveBackend } from "@reelhouse/shared/generation/registry.server";
import { tempPathFor } from "@reelhouse/shared/media/ffmpeg.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs, stepPool } from "./context.ts";
import { progressWriter, setStage } from "./jobs.ts";
import { span } from "./timing.ts";

export interface RenderOutput {
  /** Absolute path of the finished MP4: `<outDir>/video.mp4`. */
  videoPath: string;
  metadata: Record<string, unknown>;
  renderMs: number;
  /**
   * The backend's own poster and spritesheet (still in the work directory), if it made them: the
   * thumbnails step checks them and moves them into place instead of decoding the video.
   */
  thumbnails?: ProvidedThumbnails;
}

/**
 * Renders with the job's backend in its stable work directory, then renames the result to
 * `<outDir>/video.mp4`. Idempotent: if a previous attempt got as far as the rename (and the worker
 * died before DBOS checkpointed the step), the finished file is reused rather than rendered again,
 * and so are the backend's thumbnails: their description is written to the work directory (under a
 * temporary name, renamed) before the video is renamed, so a reused video always finds it.
 */
export async function renderStep(input: GenerateInput): Promise<RenderOutput> {
  // Written while the directories and the backend are made ready; awaited before the render.
  const staged = span("setStage", () => setStage(input.workflowId, "rendering"));
  staged.catch(() => {}); // a failure is rethrown where it is awaited, not left unhandled
  const { outDir, workDir } = jobDirs(input.workflowId);
  const videoPath = path.join(outDir, "video.mp4");
  const renderDir = path.join(workDir, "render");
  const manifest = path.join(renderDir, "thumbnails.json");
  if (await exists(videoPath)) {
    await staged;
    const thumbnails = await readThumbnails(manifest);
    return { videoPath, metadata: { reused: true }, renderMs: 0, thumbnails };
  }
  await span("mkdir", async () => {
    await mkdir(renderDir, { recursive: true });
    await mkdir(outDir, { recursive: true });
  });
  // The job's workspace decides the key, URL and model (Settings → Model backends).
  const backend = await span("resolveBackend", async () => {
    const workspaceId = await projectWorkspace(stepPool(), input.projectId);
    const settings = workspaceId
      ? await loadBackendSecrets(stepPool(), workspaceId, input.backend)
      : undefined;
    return resolveBackend(input.backend, { workspaceId, settings });
  });
  // The cast cameos' kits and voices (their consent was checked by the step before this one).
  const cameos = input.request.cast.some((m) => m.cameoId)
    ? await span("castCameos", () => castCameos(stepPool(), input.request))
    : [];
  await staged;
  const started = performance.now();
  const cancelled = DBOS.stepStatus?.cancelSignal;
  const result = await span("backend.render", () =>
    backend.render(input.request, {
      workDir: renderDir,
      cameos,
      signal: stepSignal(),
      onProgress: progressWriter(input.workflowId, "rendering", 5, 80),
    }),
  ).catch(async (err: unknown) => {
    // A cancelled job leaves no scratch files (a partial sound track, frames, a remote id). A
    // timed-out or failed attempt keeps them: its retry may reuse what they hold.
    if (cancelled?.aborted) await rm(workDir, { recursive: true, force: true });
    throw err;
  });
  const renderMs = Math.round(performance.now() - started);
  await span("moveIntoPlace", async () => {
    if (result.thumbnails) await writeAtomically(manifest, JSON.stringify(result.thumbnails));
    else await rm(manifest, { force: true });
    await rename(result.videoPath, videoPath);
  });
  return { videoPath, metadata: result.metadata, renderMs, thumbnails: result.thumbnails };
}

async function readThumbnails(manifest: string): Promise<ProvidedThumbnails | undefined> {
  try {
    return JSON.parse(await readFile(manifest, "utf8")) as ProvidedThumbnails;
  } catch {
    return undefined; // none, or a backend without thumbnails: the ffmpeg pass makes them
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile() && s.size > 0,
    () => false,
  );
}
