/**
 * Typed, coded errors of the social domain. Routes map `status` to the HTTP response; a refusal
 * never writes anything. Invisible things are "not_found", never "forbidden", so guessing an id
 * reveals nothing.
 */
export type SocialErrorCode =
  | "unauthenticated"
  | "not_found"
  | "forbidden"
  | "invalid"
  | "conflict";

const STATUS: Record<SocialErrorCode, number> = {
  unauthenticated: 401,
  not_found: 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
};

export class SocialError extends Error {
  readonly status: number;
  constructor(
    readonly code: SocialErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SocialError";
    this.status = STATUS[code];
  }
}

export const notFound = (what: string) => new SocialError("not_found", `${what} not found`);
export const forbidden = (why: string) => new SocialError("forbidden", why);
export const invalid = (why: string) => new SocialError("invalid", why);
