import { DBOS } from "@dbos-inc/dbos-sdk";
import {
  type SequenceInput,
  sequenceInputSchema,
  shotWorkflowId,
} from "@reelhouse/shared/generation/jobs";
import { parseSize } from "@reelhouse/shared/generation/request";
import { stitchedDuration } from "@reelhouse/shared/media/ffmpeg-args";
import { QUEUES, WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import {
  failJob,
  type GenerateResult,
  generateWorkflow,
  type ProgressEvent,
  publish,
} from "./generate.workflow.ts";
import { dbRetry, isCancellation, mediaRetry } from "./retry.ts";
import { prepareStep } from "./steps/checks.ts";
import { cancelShots, setStage } from "./steps/jobs.ts";
import { probeStep, spriteInfo, stitchStep, thumbnailsStep } from "./steps/media.ts";
import { finishStep } from "./steps/store.ts";
import { notifyWebhooks } from "./webhooks.workflow.ts";

/**
 * `renderStoryboard`: every shot is its own `generate` child workflow on the render queue (so they
 * run in parallel within the queue's per-worker limit, and each leaves a draft that becomes the
 * shot's thumbnail), then the shots are stitched with their transitions into one MP4 with one
 * continuous audio track. No length cap: 40 shots × 20 s is over ten minutes. This parent runs on
 * the media queue so that it never holds a render slot its own children need.
 */

async function renderStoryboard(input: SequenceInput): Promise<GenerateResult> {
  const id = input.workflowId;
  const childIds: string[] = [];
  try {
    const job = {
      workflowId: id,
      kind: "sequence" as const,
      projectId: input.projectId,
      userId: input.userId,
      backend: input.backend,
      request: { shots: input.shots },
    };
    await DBOS.runStep(
      () =>
        prepareStep(
          job,
          input.shots.map((s) => s.request),
        ),
      { name: "prepare", ...dbRetry },
    );

    await publish("rendering");
    const handles = [];
    for (const [i, shot] of input.shots.entries()) {
      const childId = shotWorkflowId(id, i);
      childIds.push(childId);
      handles.push(
        await DBOS.startWorkflow(generateWorkflow, {
          workflowID: childId,
          queueName: QUEUES.render,
        })({
          workflowId: childId,
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          request: shot.request,
          shotId: shot.shotId,
          parentWorkflowId: id,
          notify: false,
        }),
      );
    }
    const shots: GenerateResult[] = [];
    for (const handle of handles) {
      shots.push(await handle.getResult());
      const progress = 5 + Math.round((75 * shots.length) / handles.length);
      await DBOS.runStep(() => setStage(id, "rendering", progress), {
        name: `shotDone:${shots.length}`,
        ...dbRetry,
      });
      await DBOS.setEvent<ProgressEvent>("progress", {
        status: "running",
        stage: "rendering",
        progress,
      });
    }

    await publish("stitching");
    const first = input.shots[0]!.request;
    const { width, height } = parseSize(first.size);
    const clips = shots.map((s, i) => ({
      path: s.videoPath,
      durationSeconds: s.durationSeconds,
      transition: i === 0 ? undefined : input.shots[i]!.transition,
    }));
    const videoPath = await DBOS.runStep(
      () => stitchStep(id, clips, { width, height, fps: first.fps }),
      {
        name: "stitch",
        ...mediaRetry,
      },
    );
    await publish("probing");
    const expected = { durationSeconds: stitchedDuration(clips), width, height };
    const [probed, thumbs] = await Promise.all([
      DBOS.runStep(() => probeStep(id, videoPath), { name: "probe", ...mediaRetry }),
      DBOS.runStep(() => thumbnailsStep(id, videoPath, expected), {
        name: "thumbnails",
        ...mediaRetry,
      }),
    ]);
    const sprite = spriteInfo(
      probed.video?.width ?? width,
      probed.video?.height ?? height,
      expected.durationSeconds,
    );
    const draftId = await DBOS.runStep(
      () =>
        finishStep({
          workflowId: id,
          kind: "sequence",
          projectId: input.projectId,
          userId: input.userId,
          backend: input.backend,
          prompt: `Sequence of ${input.shots.length} shots`,
          videoPath,
          posterPath: thumbs.posterPath,
          spritePath: thumbs.spritePath,
          sprite,
          probe: probed,
          metadata: {
            shots: shots.map((s, i) => ({ shotId: input.shots[i]!.shotId, draftId: s.draftId })),
          },
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
    await notifyWebhooks(id);
    return {
      draftId,
      videoPath,
      durationSeconds: probed.durationSeconds,
      width: probed.video?.width ?? 0,
      height: probed.video?.height ?? 0,
    };
  } catch (err) {
    // One shot failed for good: stop the others rather than render shots nobody will stitch.
    if (!isCancellation(err) && childIds.length > 0) {
      await DBOS.runStep(() => cancelShots(childIds), { name: "cancelShots", ...dbRetry });
    }
    return failJob(id, err);
  }
}

export const renderStoryboardWorkflow = DBOS.registerWorkflow(renderStoryboard, {
  name: WORKFLOWS.renderStoryboard,
  inputSchema: z.tuple([sequenceInputSchema]),
  maxRecoveryAttempts: 10,
});
