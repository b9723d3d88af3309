import {
  createEditService,
  EditRefusal,
  type EditService,
} from "@reelhouse/shared/edit/service.server";
import { env } from "@reelhouse/shared/env.server";
import { type AppLoadContext, data } from "react-router";

/** The edit API (shared/src/edit/service.server.ts), one per process. */
let service: Promise<EditService> | undefined;

export function editServiceFor(context: AppLoadContext): Promise<EditService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to edit");
  service ??= createEditService({ pool: context.services.pool, databaseUrl: url }).catch(
    (err: unknown) => {
      service = undefined;
      throw err;
    },
  );
  return service;
}

/** An edit refusal as `{ ok: false, error, code, field }` with its HTTP status; anything else rethrown. */
export function editRefusalResponse(err: unknown) {
  if (err instanceof EditRefusal) {
    return data(
      {
        ok: false as const,
        error: err.message,
        code: err.code,
        ...(err.field ? { field: err.field } : {}),
      },
      { status: err.status },
    );
  }
  throw err;
}
