import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type ExtendDraftMetadata,
  type ExtendInput,
  extendInputSchema,
} from "@reelhouse/shared/edit/extend";
import type { GenerateInput } from "@reelhouse/shared/generation/jobs";
import { parseSize } from "@reelhouse/shared/generation/request";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { deliverDraft } from "./deliver.ts";
import { failJob, publish } from "./generate.workflow.ts";
import { mediaRetry } from "./retry.ts";
import { joinExtendStep } from "./steps/extend.ts";
import { renderStep } from "./steps/render.ts";

/**
 * `extend` (queue `render`, id `extend:<draft id>:<request id>`): a previz draft of D seconds → a
 * NEW draft of D + N. Orchestration only: re-render with the source's request and seed for D + N
 * (the generate workflow's render step) → join (the source's packets copied for [0, D), the
 * re-render's [D, D + N) encoded after them, the sound crossfaded at D) → probe ‖ poster and
 * spritesheet → store (backend previz, metadata.extend, metadata.edit.sourceDraftIds so the
 * review stacks it as a version) and notify — that tail is `deliverDraft` (./deliver.ts), shared
 * with `edit`. The source is only read. Progress and cancel go through the job row like `generate`.
 */

export interface ExtendResult {
  draftId: string;
  videoPath: string;
  durationSeconds: number;
}

async function extend(input: ExtendInput): Promise<ExtendResult> {
  const id = input.workflowId;
  try {
    await publish("rendering");
    const generate: GenerateInput = {
      workflowId: id,
      projectId: input.projectId,
      userId: input.userId,
      backend: input.backend,
      request: input.request,
      notify: false,
    };
    const rendered = await DBOS.runStep(() => renderStep(generate), {
      name: "render",
      ...mediaRetry,
    });

    await publish("stitching");
    const joined = await DBOS.runStep(() => joinExtendStep(input, rendered.videoPath), {
      name: "join",
      ...mediaRetry,
    });

    const { width, height } = parseSize(input.request.size);
    const metadata: ExtendDraftMetadata & Record<string, unknown> = {
      ...rendered.metadata,
      seed: input.request.seed,
      edit: { sourceDraftIds: [input.sourceDraftId] },
      extend: {
        sourceDraftId: input.sourceDraftId,
        fromSeconds: input.sourceSeconds,
        seconds: input.seconds,
      },
    };
    const { draftId, probed } = await deliverDraft({
      workflowId: id,
      videoPath: joined.videoPath,
      expected: { durationSeconds: input.request.durationSeconds, width, height },
      draft: {
        kind: "clip",
        projectId: input.projectId,
        userId: input.userId,
        backend: input.backend,
        prompt: input.title || "Extended clip",
        metadata,
      },
    });
    return { draftId, videoPath: joined.videoPath, durationSeconds: probed.durationSeconds };
  } catch (err) {
    return failJob(id, err);
  }
}

export const extendWorkflow = DBOS.registerWorkflow(extend, {
  name: WORKFLOWS.extend,
  inputSchema: z.tuple([extendInputSchema]),
  maxRecoveryAttempts: 10,
});
