import { DBOS } from "@dbos-inc/dbos-sdk";
import { WORKFLOWS } from "@reelhouse/shared/names";
import {
  type ReviewUploadInput,
  reviewUploadInputSchema,
  type UploadDraftMetadata,
} from "@reelhouse/shared/review/upload";
import { z } from "zod";
import { failJob, type ProgressEvent, publish } from "./generate.workflow.ts";
import { dbRetry, mediaRetry } from "./retry.ts";
import { probeStep, spriteInfo, thumbnailsStep } from "./steps/media.ts";
import { finishStep } from "./steps/store.ts";
import { transcodeUploadStep } from "./steps/upload.ts";

/**
 * `reviewUpload` (queue `media`, id `upload:<version>:<request id>`): a video file, already judged
 * by content in the web tier (shared/src/review/upload.server.ts), → the next version of the stack
 * it was uploaded to. Orchestration only: transcode to the playback format → probe → poster and
 * spritesheet → store the draft (kind clip, backend upload, metadata.upload = {stackDraftId, …}),
 * which stackDraft numbers vN with status needs review and announces to the owners and editors.
 * Every step is idempotent, so a worker killed at any point resumes without duplicates.
 */

export interface ReviewUploadResult {
  draftId: string;
  durationSeconds: number;
}

async function reviewUpload(input: ReviewUploadInput): Promise<ReviewUploadResult> {
  const id = input.workflowId;
  try {
    await publish("transcoding");
    const { videoPath } = await DBOS.runStep(() => transcodeUploadStep(input), {
      name: "transcode",
      ...mediaRetry,
    });
    await publish("probing");
    const probed = await DBOS.runStep(() => probeStep(id, videoPath), {
      name: "probe",
      ...mediaRetry,
    });
    const width = probed.video?.width ?? 0;
    const height = probed.video?.height ?? 0;
    const thumbs = await DBOS.runStep(
      () =>
        thumbnailsStep(id, videoPath, { durationSeconds: probed.durationSeconds, width, height }),
      { name: "thumbnails", ...mediaRetry },
    );
    const metadata: { upload: UploadDraftMetadata } = {
      upload: {
        stackDraftId: input.stackDraftId,
        fileName: input.fileName,
        originalPath: input.sourcePath,
      },
    };
    const draftId = await DBOS.runStep(
      () =>
        finishStep({
          workflowId: id,
          kind: "clip",
          projectId: input.projectId,
          userId: input.userId,
          backend: "upload",
          prompt: `Uploaded ${input.fileName}`,
          videoPath,
          posterPath: thumbs.posterPath,
          spritePath: thumbs.spritePath,
          sprite: spriteInfo(width, height, probed.durationSeconds),
          probe: probed,
          metadata,
          // The version announces itself to the team (stackDraft); the uploader watches the bar.
          notify: false,
        }),
      { name: "finish", ...dbRetry },
    );
    await DBOS.setEvent<ProgressEvent>("progress", {
      status: "succeeded",
      stage: "done",
      progress: 100,
      draftId,
    });
    return { draftId, durationSeconds: probed.durationSeconds };
  } catch (err) {
    return failJob(id, err);
  }
}

export const reviewUploadWorkflow = DBOS.registerWorkflow(reviewUpload, {
  name: WORKFLOWS.reviewUpload,
  inputSchema: z.tuple([reviewUploadInputSchema]),
  maxRecoveryAttempts: 10,
});
