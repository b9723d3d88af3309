import { DBOS } from "@dbos-inc/dbos-sdk";
import { STAGES, type Stage } from "@reelhouse/shared/generation/jobs";
import type { Queryable } from "@reelhouse/shared/workspaces/db.server";
import { stepPool } from "./context.ts";

/** The generation_jobs row: what the web tier reads for status, stage and progress. */

/**
 * Makes sure the job's row exists (a sequence's shot gets its row here; a job the web tier
 * enqueued has one already). With `stage`, the live row is moved to it in the same statement.
 */
export async function ensureJobRow(
  job: {
    workflowId: string;
    kind: "clip" | "sequence";
    projectId: string;
    userId: string;
    backend: string;
    request: unknown;
    parentWorkflowId?: string;
    shotId?: string;
  },
  stage?: Stage,
): Promise<void> {
  // With a stage, the row is also moved to it (as setStage would), in the same statement.
  const move = stage !== undefined;
  await stepPool().query(
    `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, parent_workflow_id, shot_id, status, stage, progress)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9 THEN 'running' ELSE 'queued' END, COALESCE($10, 'queued'), $11)
     ON CONFLICT (workflow_id) DO UPDATE
       SET status = 'running', stage = EXCLUDED.stage,
           progress = GREATEST(generation_jobs.progress, EXCLUDED.progress)
       WHERE $9 AND generation_jobs.status IN ('queued', 'running')`,
    [
      job.workflowId,
      job.kind,
      job.projectId,
      job.userId,
      job.backend,
      JSON.stringify(job.request),
      job.parentWorkflowId ?? null,
      job.shotId ?? null,
      move,
      stage ?? null,
      stage !== undefined ? STAGES[stage] : 0,
    ],
  );
}

/** Moves a live job to `stage`; progress never goes backwards, finished jobs are left alone. */
export async function setStage(
  workflowId: string,
  stage: Stage,
  progress: number = STAGES[stage],
): Promise<void> {
  await stepPool().query(
    `UPDATE generation_jobs SET status = 'running', stage = $2, progress = GREATEST(progress, $3)
     WHERE workflow_id = $1 AND status IN ('queued', 'running')`,
    [workflowId, stage, Math.round(progress)],
  );
}

/** A progress callback for a long step: maps 0..1 onto [from, to] and writes at most every 250 ms. */
export function progressWriter(workflowId: string, stage: Stage, from: number, to: number) {
  let last = 0;
  let lastValue = -1;
  let inflight: Promise<unknown> = Promise.resolve();
  return (fraction: number) => {
    const value = Math.round(from + (to - from) * Math.min(1, Math.max(0, fraction)));
    const now = Date.now();
    if (value === lastValue || now - last < 250) return;
    last = now;
    lastValue = value;
    inflight = inflight.then(() => setStage(workflowId, stage, value)).catch(() => {});
  };
}

export async function markSucceeded(
  workflowId: string,
  draftId: string,
  q: Queryable = stepPool(),
): Promise<void> {
  // The draft is linked whatever the row's state; only a live job becomes succeeded.
  await q.query(
    `UPDATE generation_jobs SET draft_id = $2,
       status = CASE WHEN status IN ('queued', 'running') THEN 'succeeded' ELSE status END,
       stage = CASE WHEN status IN ('queued', 'running') THEN 'done' ELSE stage END,
       progress = CASE WHEN status IN ('queued', 'running') THEN 100 ELSE progress END,
       finished_at = CASE WHEN status IN ('queued', 'running') THEN now() ELSE finished_at END
     WHERE workflow_id = $1`,
    [workflowId, draftId],
  );
}

export async function markFailed(workflowId: string, code: string, message: string): Promise<void> {
  await stepPool().query(
    `UPDATE generation_jobs SET status = 'failed', error_code = $2, error = $3, finished_at = now()
     WHERE workflow_id = $1 AND status IN ('queued', 'running')`,
    [workflowId, code, message.slice(0, 2000)],
  );
}

/** Cancels a sequence's unfinished shots (their running ffmpeg is killed) and marks their rows. */
export async function cancelShots(workflowIds: string[]): Promise<void> {
  const open = await stepPool().query<{ workflow_id: string }>(
    "SELECT workflow_id FROM generation_jobs WHERE workflow_id = ANY($1) AND status IN ('queued', 'running')",
    [workflowIds],
  );
  const ids = open.rows.map((r) => r.workflow_id);
  if (ids.length === 0) return;
  await DBOS.cancelWorkflows(ids);
  await stepPool().query(
    `UPDATE generation_jobs SET status = 'cancelled', stage = 'cancelled', finished_at = now()
      WHERE workflow_id = ANY($1) AND status IN ('queued', 'running')`,
    [ids],
  );
}
