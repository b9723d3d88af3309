import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type GenerateInput,
  generateInputSchema,
  promptText,
  STAGES,
  type Stage,
} from "@reelhouse/shared/generation/jobs";
import { parseSize } from "@reelhouse/shared/generation/request";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { dbRetry, describeFailure, isCancellation, mediaRetry } from "./retry.ts";
import { prepareStep } from "./steps/checks.ts";
import { markFailed } from "./steps/jobs.ts";
import { probeStep, spriteInfo, thumbnailsStep } from "./steps/media.ts";
import { renderStep } from "./steps/render.ts";
import { finishStep } from "./steps/store.ts";
import { runTimedStep } from "./steps/timing.ts";
import { notifyWebhooks } from "./webhooks.workflow.ts";

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

/** Publishes the DBOS event "progress" (the job row, written by the steps, has the same data). */
export async function publish(stage: Stage): Promise<void> {
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
  await notifyWebhooks(workflowId);
  throw err;
}

async function generate(input: GenerateInput): Promise<GenerateResult> {
  const id = input.workflowId;
  try {
    const job = {
      workflowId: id,
      kind: "clip" as const,
      projectId: input.projectId,
      userId: input.userId,
      backend: input.backend,
      request: input.request,
      parentWorkflowId: input.parentWorkflowId,
      shotId: input.shotId,
    };
    // validating → safety (a refusal is permanent: GenerationError retryable:false).
    await runTimedStep(id, "prepare", () => prepareStep(job, [input.request]), dbRetry);

    await publish("rendering");
    const rendered = await runTimedStep(id, "render", () => renderStep(input), mediaRetry);

    await publish("probing");
    // The probe checks the result while the poster and the spritesheet are made: moved into place
    // if the backend drew them (previz), else by one ffmpeg pass.
    const { width, height } = parseSize(input.request.size);
    const expected = { durationSeconds: input.request.durationSeconds, width, height };
    const [probed, thumbs] = await Promise.all([
      runTimedStep(id, "probe", () => probeStep(id, rendered.videoPath), mediaRetry),
      runTimedStep(
        id,
        "thumbnails",
        () => thumbnailsStep(id, rendered.videoPath, expected, rendered.thumbnails),
        mediaRetry,
      ),
    ]);
    const sprite = spriteInfo(
      probed.video?.width ?? width,
      probed.video?.height ?? height,
      expected.durationSeconds,
    );

    // storing → cleanup → notifying → succeeded, in one idempotent step.
    const draftId = await runTimedStep(
      id,
      "finish",
      () =>
        finishStep({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          prompt: promptText(input.request),
          shotId: input.shotId,
          videoPath: rendered.videoPath,
          posterPath: thumbs.posterPath,
          spritePath: thumbs.spritePath,
          sprite,
          probe: probed,
          metadata: { ...rendered.metadata, renderMs: rendered.renderMs, seed: input.request.seed },
          notify: input.notify,
        }),
      dbRetry,
    );
    await DBOS.setEvent<ProgressEvent>("progress", {
      status: "succeeded",
      stage: "done",
      progress: 100,
      draftId,
    });
    await notifyWebhooks(id);
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
