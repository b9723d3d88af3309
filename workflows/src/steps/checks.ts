import { access } from "node:fs/promises";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { promptText } from "@reelhouse/shared/generation/jobs";
import type { GenerationRequest } from "@reelhouse/shared/generation/request";
import { checkPromptSafety } from "@reelhouse/shared/safety/prompt-rules";

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
