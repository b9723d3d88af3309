import { access } from "node:fs/promises";
import { faceEmbedder } from "@reelhouse/shared/cameos/analyzer.server";
import { requireMayCast } from "@reelhouse/shared/cameos/consent.server";
import { requireLikenessConsent } from "@reelhouse/shared/cameos/likeness.server";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import type { GenerationRequest } from "@reelhouse/shared/generation/request";
import { checkPromptSafety } from "@reelhouse/shared/safety/prompt-rules";
import { stepPool } from "./context.ts";
import { ensureJobRow, setStage } from "./jobs.ts";
import { asWorkflowError } from "./publish-cameos.ts";
import { span } from "./timing.ts";

/** Input checks that need the file system (the schema itself is enforced by DBOS inputSchema). */
export async function validateRequest(request: GenerationRequest): Promise<void> {
  if (request.inputImagePath) {
    await access(request.inputImagePath).catch(() => {
      throw new GenerationError(
        "input_image_missing",
        "The input image of this job is gone.",
        false,
      );
    });
  }
}

/** The rules-based safety pre-check; a refusal is permanent (never retried). */
export async function safetyCheck(requests: GenerationRequest[]): Promise<void> {
  for (const request of requests) {
    const verdict = checkPromptSafety(promptText(request));
    if (!verdict.ok) throw new GenerationError(`safety_${verdict.code}`, verdict.reason, false);
  }
}

/**
 * The likeness guard on an image-to-video input: a face in it that matches someone else's cameo
 * is refused unless that person's consent covers the requester. Runs where the face model is (the
 * worker); a process without one skips it.
 */
export async function likenessCheck(userId: string, requests: GenerationRequest[]): Promise<void> {
  const embed = faceEmbedder();
  if (!embed) return;
  for (const r of requests) {
    if (!r.inputImagePath) continue;
    const embedding = await embed(r.inputImagePath);
    if (!embedding) continue;
    await requireLikenessConsent(stepPool(), userId, embedding).catch((err: unknown) => {
      throw asWorkflowError(err);
    });
  }
}

/**
 * Cameo consent again when the render starts on a worker (it was checked when submitted): a
 * revocation, a lost mutual follow or a deleted cameo in between refuses the render, permanently.
 */
export async function cameoConsentCheck(
  userId: string,
  requests: GenerationRequest[],
): Promise<void> {
  for (const request of requests) {
    for (const m of request.cast) {
      if (!m.cameoId) continue;
      await requireMayCast(stepPool(), userId, m.cameoId, { prompt: promptText(request) }).catch(
        (err: unknown) => {
          throw asWorkflowError(err);
        },
      );
    }
  }
}

/**
 * The first step of a job: make sure its row exists (a shot's row is created here), then validate
 * and safety-check. One checkpoint instead of four; every part is idempotent.
 */
export async function prepareStep(
  job: Parameters<typeof ensureJobRow>[0],
  requests: GenerationRequest[],
): Promise<void> {
  await span("ensureJobRow", () => ensureJobRow(job, "validating"));
  await span("validate", async () => {
    for (const r of requests) await validateRequest(r);
  });
  await span("setStage", () => setStage(job.workflowId, "safety"));
  await span("safety", () => safetyCheck(requests));
  await span("cameoConsent", () => cameoConsentCheck(job.userId, requests));
  await span("likeness", () => likenessCheck(job.userId, requests));
}
