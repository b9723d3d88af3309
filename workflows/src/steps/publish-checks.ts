import { GenerationError } from "@reelhouse/shared/generation/backend";
import { checkPromptSafety } from "@reelhouse/shared/safety/prompt-rules";
import { SocialError } from "@reelhouse/shared/social/errors";
import { checkPublish, type PublishSource } from "@reelhouse/shared/social/posts.server";
import type { PublishInput } from "@reelhouse/shared/social/publish.server";
import { stepPool } from "./context.ts";

/**
 * Publish pre-checks, re-run inside the workflow (the web tier checked too, but the draft or the
 * remix original may have changed since): the user may still publish the draft, and the caption
 * passes the rules-based safety check. Failures are answers, not accidents: never retried.
 */
export async function publishChecksStep(input: PublishInput): Promise<PublishSource> {
  let source: PublishSource;
  try {
    ({ source } = await checkPublish(stepPool(), input.userId, input.req));
  } catch (err) {
    if (err instanceof SocialError)
      throw new GenerationError(`publish_${err.code}`, err.message, false);
    throw err;
  }
  const verdict = checkPromptSafety(input.req.caption);
  if (!verdict.ok)
    throw new GenerationError(
      "unsafe_caption",
      `The caption was refused: ${verdict.reason}`,
      false,
    );
  return source;
}
