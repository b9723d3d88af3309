/**
 * Coded refusals of the cameo domain. `status` is the HTTP status a route answers with; a refusal
 * never writes anything. Workflow steps turn them into non-retryable GenerationErrors.
 */
export class CameoError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 403,
  ) {
    super(message);
    this.name = "CameoError";
  }
}

export const cameoNotFound = () => new CameoError("cameo_not_found", "No such cameo.", 404);
