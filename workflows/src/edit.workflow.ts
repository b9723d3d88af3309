import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type EditDraftMetadata,
  type EditRenderInput,
  editRenderInputSchema,
} from "@reelhouse/shared/edit/jobs";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { failJob, type ProgressEvent, publish } from "./generate.workflow.ts";
import { dbRetry, mediaRetry } from "./retry.ts";
import { renderEditStep } from "./steps/edit.ts";
import { probeStep, spriteInfo, thumbnailsStep } from "./steps/media.ts";
import { finishStep } from "./steps/store.ts";

/**
 * `edit` (queue `media`, id `edit:<edit id>:<request id>`): one edit decision list → one NEW draft.
 * Orchestration only: render (compile + ffmpeg, cancellable) → probe ‖ poster and spritesheet →
 * store the draft (kind clip, backend edit, metadata.edit = {editId, sourceDraftIds}) and notify.
 * The source drafts are only read. Progress and cancel go through the job row like `generate`.
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

    await publish("probing");
    const expected = {
      durationSeconds: 0,
      width: input.edl.width,
      height: input.edl.height,
    };
    const probed = await DBOS.runStep(() => probeStep(id, rendered.videoPath), {
      name: "probe",
      ...mediaRetry,
    });
    expected.durationSeconds = probed.durationSeconds;
    const thumbs = await DBOS.runStep(() => thumbnailsStep(id, rendered.videoPath, expected), {
      name: "thumbnails",
      ...mediaRetry,
    });
    const sprite = spriteInfo(
      probed.video?.width ?? expected.width,
      probed.video?.height ?? expected.height,
      probed.durationSeconds,
    );
    const metadata: { edit: EditDraftMetadata; renderMode: string } = {
      edit: {
        editId: input.editId,
        sourceDraftIds: [...new Set(input.edl.clips.map((c) => c.draftId))],
      },
      renderMode: rendered.mode,
    };
    const draftId = await DBOS.runStep(
      () =>
        finishStep({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: "edit",
          prompt: input.title || "Edit",
          videoPath: rendered.videoPath,
          posterPath: thumbs.posterPath,
          spritePath: thumbs.spritePath,
          sprite,
          probe: probed,
          metadata,
          notify: true,
        }),
      { name: "finish", ...dbRetry },
    );
    await DBOS.setEvent<ProgressEvent>("progress", {
      status: "succeeded",
      stage: "done",
      progress: 100,
      draftId,
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
