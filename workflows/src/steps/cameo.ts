import { rm } from "node:fs/promises";
import path from "node:path";
import { type CameoAnalysis, cameoAnalyzer } from "@reelhouse/shared/cameos/analyzer.server";
import { CameoError } from "@reelhouse/shared/cameos/errors";
import { requireLikenessConsent } from "@reelhouse/shared/cameos/likeness.server";
import type { LivenessPlan } from "@reelhouse/shared/cameos/liveness";
import { safeInputArgs } from "@reelhouse/shared/cameos/recording";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { stepPool } from "./context.ts";

/** Steps of the `cameo` workflow: analyse the recording, then record the outcome. */

export interface CameoInput {
  workflowId: string;
  cameoId: string;
}

type Row = {
  owner_id: string;
  kind: "person" | "pet" | "object";
  dir: string;
  recording_path: string | null;
  liveness: { plan?: LivenessPlan } | null;
};

async function row(cameoId: string): Promise<Row | undefined> {
  const r = await stepPool().query<Row>(
    "SELECT owner_id, kind, dir, recording_path, liveness FROM cameos WHERE id = $1",
    [cameoId],
  );
  return r.rows[0];
}

export async function setCameoStage(
  input: CameoInput,
  stage: string,
  progress: number,
): Promise<void> {
  await stepPool().query(
    "UPDATE cameos SET stage = $3, progress = greatest(progress, $4) WHERE id = $1 AND workflow_id = $2",
    [input.cameoId, input.workflowId, stage, Math.round(progress)],
  );
}

/** Runs the face analysis the worker registered; writes the kit folder (temp name + rename). */
export async function analyzeCameoStep(input: CameoInput): Promise<CameoAnalysis | null> {
  const c = await row(input.cameoId);
  if (!c?.recording_path) return null; // deleted meanwhile: nothing to do
  const file = path.join(dataDir(), c.recording_path);
  const container = file.endsWith(".mp4") ? "mp4" : "webm";
  const p = await probe(file, { inputArgs: safeInputArgs(container) });
  let last = 0;
  return cameoAnalyzer()({
    recording: file,
    container,
    kind: c.kind,
    width: p.video?.width ?? 640,
    height: p.video?.height ?? 480,
    plan: c.kind === "person" ? (c.liveness?.plan ?? null) : null,
    kitDir: path.join(dataDir(), c.dir, "kit"),
    onProgress: (f) => {
      const pct = 5 + f * 85;
      if (pct - last >= 5) {
        last = pct;
        void setCameoStage(input, "analyzing", pct).catch(() => {});
      }
    },
  });
}

/**
 * Records the outcome: refused (with the liveness or likeness reason) or ready with its voice,
 * embedding and kit. A cameo deleted while it was analysed has its folder removed again.
 */
export async function finishCameoStep(
  input: CameoInput,
  a: CameoAnalysis | null,
): Promise<{ status: string; reason?: string }> {
  const pool = stepPool();
  const c = await row(input.cameoId);
  if (!c || !a) {
    if (c === undefined) {
      const dir = path.join(dataDir(), "cameos", input.cameoId);
      await rm(dir, { recursive: true, force: true });
    }
    return { status: "deleted" };
  }
  let reason: string | null = a.liveness.ok ? null : a.liveness.reason;
  if (!reason && c.kind === "person" && !a.kit)
    reason = "We could not see your face clearly enough to make a cameo. Try again in good light.";
  if (!reason && c.kind === "person") {
    try {
      await requireLikenessConsent(pool, c.owner_id, a.embedding, { exceptCameoId: input.cameoId });
    } catch (err) {
      if (!(err instanceof CameoError)) throw err;
      reason = err.message;
    }
  }
  const plan = c.liveness?.plan ?? null;
  if (reason) {
    // The kit goes first, so a refused cameo is never seen with one.
    await rm(path.join(dataDir(), c.dir, "kit"), { recursive: true, force: true });
    await pool.query(
      `UPDATE cameos SET status = 'refused', status_reason = $3, stage = 'refused', progress = 100,
              liveness = $4, embedding = NULL, voice = NULL, kit = NULL
        WHERE id = $1 AND workflow_id = $2`,
      [input.cameoId, input.workflowId, reason, JSON.stringify({ plan, verdict: a.liveness })],
    );
    return { status: "refused", reason };
  }
  await pool.query(
    `UPDATE cameos SET status = 'ready', status_reason = NULL, stage = 'ready', progress = 100,
            liveness = $3, voice = $4, embedding = $5, kit = $6
      WHERE id = $1 AND workflow_id = $2`,
    [
      input.cameoId,
      input.workflowId,
      JSON.stringify({ plan, verdict: a.liveness }),
      JSON.stringify(a.voice),
      c.kind === "person" ? a.embedding : null,
      JSON.stringify(a.kit),
    ],
  );
  return { status: "ready" };
}

export function failCameo(input: CameoInput, message: string) {
  return stepPool().query(
    `UPDATE cameos SET status = 'failed', status_reason = $3, stage = 'failed' WHERE id = $1 AND workflow_id = $2`,
    [input.cameoId, input.workflowId, message],
  );
}

export const notRetryable = (code: string, msg: string) => new GenerationError(code, msg, false);
