import { GenerationError } from "@reelhouse/shared/generation/backend";
import { stepPool } from "./context.ts";

/**
 * Cameo approvals (filled in by a later issue): finds the people whose cameo appears in the video —
 * cast members assigned to a real username in the generation request of the draft. Today nobody can
 * approve, so a video with cameos is refused with a clear message; one without says so in the log.
 */
export async function cameoApprovalStep(
  draftId: string,
): Promise<{ cameos: string[]; log: string }> {
  const r = await stepPool().query<{ cast: { username?: string }[] | null }>(
    `SELECT j.request->'cast' AS cast FROM drafts d LEFT JOIN generation_jobs j ON j.workflow_id = d.workflow_id
      WHERE d.id = $1`,
    [draftId],
  );
  const cameos = [
    ...new Set((r.rows[0]?.cast ?? []).map((c) => c.username).filter((u): u is string => !!u)),
  ];
  if (cameos.length === 0) {
    const log = `cameo approvals: no cameos in draft ${draftId}; no approvals needed`;
    console.log(
      JSON.stringify({
        at: new Date().toISOString(),
        event: "publish.cameos",
        draftId,
        cameos: 0,
        log,
      }),
    );
    return { cameos, log };
  }
  throw new GenerationError(
    "cameo_approval_unavailable",
    `This video casts ${cameos.map((c) => `@${c}`).join(", ")}; publishing videos with cameos needs their approval, which is not available yet.`,
    false,
  );
}
