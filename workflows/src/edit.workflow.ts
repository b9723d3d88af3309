import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type EditDraftMetadata,
  type EditRenderInput,
  editRenderInputSchema,
} from "@reelhouse/shared/edit/jobs";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { deliverDraft } from "./deliver.ts";
import { failJob, publish } from "./generate.workflow.ts";
import { mediaRetry } from "./retry.ts";
import { renderEditStep } from "./steps/edit.ts";

/**
 * `edit` (queue `media`, id `edit:<edit id>:<request id>`): one edit decision list → one NEW draft.
 * Orchestration only: render (compile + ffmpeg, cancellable) → probe → poster and spritesheet →
 * store the draft (kind clip, backend edit, metadata.edit = {editId, sourceDraftIds}) and notify.
 * The source drafts are only read. Progress and cancel go through the job row like `generate`.
 * The tail from the probe on is `deliverDraft` (./deliver.ts), shared with `extend`.
 */

export interface EditResult {
  draftId: string;
  videoPath: string;
  durationSeconds: number;
}

async function edit(input: EditRenderInput): Promise<EditResult> {
  const id = input.workflowId;
  try {
    await publish("rendering");
    const rendered = await DBOS.runStep(() => renderEditStep(input), {
      name: "renderEdit",
      ...mediaRetry,
    });

    const metadata: { edit: EditDraftMetadata; renderMode: string } = {
      edit: {
        editId: input.editId,
        sourceDraftIds: [...new Set(input.edl.clips.map((c) => c.draftId))],
      },
      renderMode: rendered.mode,
    };
    const { draftId, probed } = await deliverDraft({
      workflowId: id,
      videoPath: rendered.videoPath,
      expected: { width: input.edl.width, height: input.edl.height },
      draft: {
        kind: "clip",
        projectId: input.projectId,
        userId: input.userId,
        backend: "edit",
        prompt: input.title || "Edit",
        metadata,
      },
    });
    return { draftId, videoPath: rendered.videoPath, durationSeconds: probed.durationSeconds };
  } catch (err) {
    return failJob(id, err);
  }
}

export const editWorkflow = DBOS.registerWorkflow(edit, {
  name: WORKFLOWS.edit,
  inputSchema: z.tuple([editRenderInputSchema]),
  maxRecoveryAttempts: 10,
});
