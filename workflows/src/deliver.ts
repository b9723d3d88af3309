import { DBOS } from "@dbos-inc/dbos-sdk";
import type { ProbeResult } from "@reelhouse/shared/media/ffprobe.server";
import { type ProgressEvent, publish } from "./generate.workflow.ts";
import { dbRetry, mediaRetry } from "./retry.ts";
import { probeStep, spriteInfo, thumbnailsStep } from "./steps/media.ts";
import { finishStep, type StoreDraftInput } from "./steps/store.ts";

/**
 * The tail the `edit` and `extend` workflows end with, written once: probe ‖ poster and
 * spritesheet → finish (the NEW draft and its media rows, the work dir removed, the notification,
 * the job succeeded) → the `progress` event `done`. Orchestration only (called from inside a
 * workflow): each side effect stays its own checkpointed step, named `probe`, `thumbnails` and
 * `finish` and started in that order wherever this runs, so a workflow recovered after its worker
 * was killed replays the steps it already ran from their recorded outputs and runs only the rest.
 *
 * `expected.durationSeconds` known in advance (extend: the request's D + N): the thumbnails pass
 * runs beside the probe. Left out (edit: the result's length is the render's), the probe runs
 * first and the thumbnails take its duration.
 */
export async function deliverDraft(o: {
  workflowId: string;
  videoPath: string;
  expected: { durationSeconds?: number; width: number; height: number };
  draft: Omit<
    StoreDraftInput,
    "workflowId" | "videoPath" | "posterPath" | "spritePath" | "sprite" | "probe"
  >;
}): Promise<{ draftId: string; probed: ProbeResult }> {
  const { workflowId: id, videoPath, expected } = o;
  await publish("probing");
  const probe = () =>
    DBOS.runStep(() => probeStep(id, videoPath), { name: "probe", ...mediaRetry });
  const thumbnails = (durationSeconds: number) =>
    DBOS.runStep(
      () =>
        thumbnailsStep(id, videoPath, {
          durationSeconds,
          width: expected.width,
          height: expected.height,
        }),
      { name: "thumbnails", ...mediaRetry },
    );
  let probed: ProbeResult;
  let thumbs: { posterPath: string; spritePath: string };
  if (expected.durationSeconds !== undefined) {
    [probed, thumbs] = await Promise.all([probe(), thumbnails(expected.durationSeconds)]);
  } else {
    probed = await probe();
    thumbs = await thumbnails(probed.durationSeconds);
  }
  const sprite = spriteInfo(
    probed.video?.width ?? expected.width,
    probed.video?.height ?? expected.height,
    probed.durationSeconds,
  );
  const draftId = await DBOS.runStep(
    () =>
      finishStep({
        ...o.draft,
        workflowId: id,
        videoPath,
        posterPath: thumbs.posterPath,
        spritePath: thumbs.spritePath,
        sprite,
        probe: probed,
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
  return { draftId, probed };
}
