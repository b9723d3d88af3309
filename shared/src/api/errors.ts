/**
 * Errors of the public API, in OpenAI's shape so the official SDKs raise their typed errors:
 * `{ "error": { "message", "type", "param", "code" } }` with the HTTP status that says what went
 * wrong (400 bad input, 401 no or wrong key, 403 scope, 404 unknown id, 409 wrong state, 413 too
 * large, 429 rate limit with Retry-After, 501 not offered here).
 */

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 501;

const TYPES: Record<ApiErrorStatus, string> = {
  400: "invalid_request_error",
  401: "invalid_request_error",
  403: "permission_error",
  404: "invalid_request_error",
  409: "invalid_request_error",
  413: "invalid_request_error",
  429: "requests",
  501: "not_implemented",
};

export class ApiError extends Error {
  constructor(
    readonly status: ApiErrorStatus,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    /** Seconds, for 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get type(): string {
    return TYPES[this.status];
  }

  toJSON(): ApiErrorBody {
    return {
      error: { message: this.message, type: this.type, param: this.param, code: this.code },
    };
  }
}

export interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export const notFound = (what: string, id: string, param: string | null = null) =>
  new ApiError(404, "not_found", `No ${what} with id '${id}' in this workspace.`, param);

/** A draft's marked download is still being written (a few seconds after it appears): retry. */
export const exportPending = () =>
  new ApiError(
    409,
    "export_pending",
    "The marked, signed download of this video is still being prepared; retry in a few seconds.",
    null,
    2,
  );
