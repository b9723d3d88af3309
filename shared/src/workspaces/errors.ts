/**
 * Typed errors of the workspace domain. `NotFound` is also used for things the actor may not see,
 * so a refusal never reveals that something exists (docs/collab-spec.md [C3]).
 */
export type WorkspaceErrorCode = "not_found" | "forbidden" | "invalid" | "conflict";

const STATUS: Record<WorkspaceErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  invalid: 400,
  conflict: 409,
};

export class WorkspaceError extends Error {
  readonly status: number;
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "WorkspaceError";
    this.status = STATUS[code];
  }
}
export class NotFoundError extends WorkspaceError {
  constructor(what = "not found") {
    super("not_found", what);
  }
}
export class ForbiddenError extends WorkspaceError {
  constructor(what = "insufficient role") {
    super("forbidden", what);
  }
}
export class InvalidError extends WorkspaceError {
  constructor(what: string) {
    super("invalid", what);
  }
}
export class ConflictError extends WorkspaceError {
  constructor(what: string) {
    super("conflict", what);
  }
}
