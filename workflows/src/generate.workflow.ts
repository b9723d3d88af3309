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
import { finishRenderStep } from "./steps/finish-render.ts";
import { markFailed } from "./steps/jobs.ts";
import { renderStep } from "./steps/render.ts";
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
    // validating → safety → rendering, one checkpoint: the checks (a refusal is permanent:
    // GenerationError retryable:false) run again with a retried or recovered render, which reuses a
    // finished video; the checkpoint keeps what the render returned (its metadata, its thumbnails).
    const rendered = await runTimedStep(
      id,
      "render",
      async () => {
        await prepareStep(job, [input.request]);
        return renderStep(input);
      },
      mediaRetry,
    );

    // probing ‖ thumbnails → storing → succeeded, one idempotent step (steps/finish-render.ts).
    const { width, height } = parseSize(input.request.size);
    const finished = await runTimedStep(
      id,
      "finish",
      () =>
        finishRenderStep({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          prompt: promptText(input.request),
          shotId: input.shotId,
          videoPath: rendered.videoPath,
          expected: { durationSeconds: input.request.durationSeconds, width, height },
          provided: rendered.thumbnails,
          metadata: { ...rendered.metadata, renderMs: rendered.renderMs, seed: input.request.seed },
          notify: input.notify,
        }),
      dbRetry,
    );
    const { draftId } = finished;
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
      durationSeconds: finished.durationSeconds,
      width: finished.width,
      height: finished.height,
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
