import { DBOS } from "@dbos-inc/dbos-sdk";
import { WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { dbRetry, describeFailure, isCancellation, mediaRetry } from "./retry.ts";
import {
  analyzeCameoStep,
  type CameoInput,
  failCameo,
  finishCameoStep,
  setCameoStage,
} from "./steps/cameo.ts";

/**
 * `cameo`: processes an uploaded, already validated recording. Orchestration only: analyse (face
 * model per sampled frame, liveness, kit, voice, embedding; the kit is renamed into place) →
 * finish (likeness guard, then the row becomes ready or refused with its reason). Progress is the
 * row's stage/progress, which the cameo page polls. The workflow id is `cameo:<id>:<upload n>`.
 */
async function cameo(input: CameoInput): Promise<{ status: string; reason?: string }> {
  try {
    await DBOS.runStep(() => setCameoStage(input, "analyzing", 5), {
      name: "stage:analyzing",
      ...dbRetry,
    });
    const analysis = await DBOS.runStep(() => analyzeCameoStep(input), {
      name: "analyze",
      ...mediaRetry,
    });
    await DBOS.runStep(() => setCameoStage(input, "finishing", 92), {
      name: "stage:finishing",
      ...dbRetry,
    });
    return await DBOS.runStep(() => finishCameoStep(input, analysis), {
      name: "finish",
      ...dbRetry,
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    const { message } = describeFailure(err);
    await DBOS.runStep(() => failCameo(input, message), { name: "markFailed", ...dbRetry });
    throw err;
  }
}

export const cameoWorkflow = DBOS.registerWorkflow(cameo, {
  name: WORKFLOWS.cameo,
  inputSchema: z.tuple([z.object({ workflowId: z.string().min(1), cameoId: z.string().uuid() })]),
  maxRecoveryAttempts: 10,
});
