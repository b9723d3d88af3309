import { DBOS } from "@dbos-inc/dbos-sdk";
import { QUEUES, WORKFLOWS } from "@reelhouse/shared/names";
import { z } from "zod";
import { mediaRetry } from "./retry.ts";
import { draftsWithoutExport, exportDraftStep } from "./steps/draft-export.ts";

/**
 * `draftExport` (queue `media`, id `export:<draft id>`): writes the marked, signed export of a
 * draft that has none: drafts made before exports existed (since then, a draft names its export
 * when it is stored and its finish step writes it). One step, idempotent (steps/draft-export.ts).
 */
async function draftExport(draftId: string): Promise<string | null> {
  return DBOS.runStep(() => exportDraftStep(draftId), { name: "export", ...mediaRetry });
}

export const draftExportWorkflow = DBOS.registerWorkflow(draftExport, {
  name: WORKFLOWS.draftExport,
  inputSchema: z.tuple([z.string().min(1)]),
  maxRecoveryAttempts: 10,
});

/**
 * The backfill, at every worker start: one `draftExport` per draft without an export. The
 * workflow id makes it once per draft, however many workers start.
 */
export async function enqueueExportBackfill(): Promise<number> {
  const ids = await draftsWithoutExport();
  for (const id of ids)
    await DBOS.startWorkflow(draftExportWorkflow, {
      workflowID: `export:${id}`,
      queueName: QUEUES.media,
    })(id);
  return ids.length;
}
