import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type GenerateInput,
  generateInputSchema,
  promptText,
  STAGES,
  type Stage,
} from "@reelhouse/shared/generation/jobs";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { dbRetry, describeFailure, isCancellation, mediaRetry, noRetry } from "./retry.ts";
import { safetyCheck, validateRequest } from "./steps/checks.ts";
import { ensureJobRow, markFailed, markSucceeded, setStage } from "./steps/jobs.ts";
import { posterStep, probeStep, spriteStep } from "./steps/media.ts";
import { renderStep } from "./steps/render.ts";
import { cleanupStep, notifyStep, storeDraftStep } from "./steps/store.ts";

/**
 * `generate`: one prompt → one draft. Orchestration only; every side effect is a named step in
 * ./steps with an explicit retry policy. The workflow id (gen:<project>:<request>) is the
 * idempotency key. Progress is written to the generation_jobs row (which the web tier reads) and
 * published as the DBOS event "progress" at every stage.
 */

export interface GenerateResult {
  draftId: string;
  videoPath: string;
  durationSeconds: number;
  width: number;
  height: number;
}

export interface ProgressEvent {
  status: "running" | "succeeded" | "failed";
  stage: Stage | "failed";
  progress: number;
  draftId?: string;
  error?: string;
}

export async function enterStage(workflowId: string, stage: Stage): Promise<void> {
  await DBOS.runStep(() => setStage(workflowId, stage), { name: `stage:${stage}`, ...dbRetry });
  await DBOS.setEvent<ProgressEvent>("progress", {
    status: "running",
    stage,
    progress: STAGES[stage],
  });
}

export async function failJob(workflowId: string, err: unknown): Promise<never> {
  if (isCancellation(err)) throw err;
  const { code, message } = describeFailure(err);
  await DBOS.runStep(() => markFailed(workflowId, code, message), {
    name: "markFailed",
    ...dbRetry,
  });
  await DBOS.setEvent<ProgressEvent>("progress", {
    status: "failed",
    stage: "failed",
    progress: 0,
    error: message,
  });
  throw err;
}

async function generate(input: GenerateInput): Promise<GenerateResult> {
  const id = input.workflowId;
  try {
    await DBOS.runStep(
      () =>
        ensureJobRow({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          request: input.request,
          parentWorkflowId: input.parentWorkflowId,
          shotId: input.shotId,
        }),
      { name: "ensureJobRow", ...dbRetry },
    );
    await enterStage(id, "validating");
    await DBOS.runStep(() => validateRequest(input.request), { name: "validate", ...noRetry });
    await enterStage(id, "safety");
    await DBOS.runStep(() => safetyCheck([input.request]), { name: "safety", ...noRetry });

    await enterStage(id, "rendering");
    const rendered = await DBOS.runStep(() => renderStep(input), { name: "render", ...mediaRetry });

    await enterStage(id, "probing");
    const probed = await DBOS.runStep(() => probeStep(rendered.videoPath), {
      name: "probe",
      ...mediaRetry,
    });
    await enterStage(id, "poster");
    const poster = await DBOS.runStep(() => posterStep(id, rendered.videoPath, probed), {
      name: "poster",
      ...mediaRetry,
    });
    await enterStage(id, "spritesheet");
    const sprite = await DBOS.runStep(() => spriteStep(id, rendered.videoPath, probed), {
      name: "spritesheet",
      ...mediaRetry,
    });

    await enterStage(id, "storing");
    const draftId = await DBOS.runStep(
      () =>
        storeDraftStep({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          prompt: promptText(input.request),
          shotId: input.shotId,
          videoPath: rendered.videoPath,
          posterPath: poster,
          spritePath: sprite.path,
          sprite: sprite.sprite,
          probe: probed,
          metadata: { ...rendered.metadata, renderMs: rendered.renderMs, seed: input.request.seed },
        }),
      { name: "storeDraft", ...dbRetry },
    );
    await DBOS.runStep(() => cleanupStep(id), { name: "cleanup", ...dbRetry });
    if (input.notify) {
      await enterStage(id, "notifying");
      await DBOS.runStep(
        () =>
          notifyStep({
            userId: input.userId,
            workflowId: id,
            projectId: input.projectId,
            draftId,
            kind: "clip",
          }),
        { name: "notify", ...dbRetry },
      );
    }
    await DBOS.runStep(() => markSucceeded(id, draftId), { name: "markSucceeded", ...dbRetry });
    await DBOS.setEvent<ProgressEvent>("progress", {
      status: "succeeded",
      stage: "done",
      progress: 100,
      draftId,
    });
    return {
      draftId,
      videoPath: rendered.videoPath,
      durationSeconds: probed.durationSeconds,
      width: probed.video?.width ?? 0,
      height: probed.video?.height ?? 0,
    };
  } catch (err) {
    return failJob(id, err);
  }
}

export const generateWorkflow = DBOS.registerWorkflow(generate, {
  name: WORKFLOWS.generate,
  inputSchema: z.tuple([generateInputSchema]),
  maxRecoveryAttempts: 10,
});
