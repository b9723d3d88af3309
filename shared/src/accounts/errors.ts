/**
 * Typed, coded refusals of the accounts domain. The web tier maps `status` to the HTTP status and
 * shows `message` next to `field` (or at the top of the form).
 */
export type AccountErrorCode =
  | "invalid_input"
  | "weak_password"
  | "too_young"
  | "email_taken"
  | "username_taken"
  | "invite_required"
  | "invite_unknown"
  | "invite_used"
  | "bad_credentials"
  | "rate_limited"
  | "not_found"
  | "not_an_image"
  | "image_too_large"
  | "already_onboarded"
  | "token_invalid"
  | "forbidden";

const STATUS: Record<AccountErrorCode, number> = {
  invalid_input: 400,
  weak_password: 400,
  too_young: 403,
  email_taken: 409,
  username_taken: 409,
  invite_required: 403,
  invite_unknown: 400,
  invite_used: 409,
  bad_credentials: 401,
  rate_limited: 429,
  not_found: 404,
  not_an_image: 415,
  image_too_large: 413,
  already_onboarded: 409,
  token_invalid: 410,
  forbidden: 403,
};

export class AccountError extends Error {
  readonly status: number;
  constructor(
    readonly code: AccountErrorCode,
    message: string,
    readonly field?: string,
    /** Seconds, for rate_limited. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "AccountError";
    this.status = STATUS[code];
  }
}
