import { randomBytes } from "node:crypto";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import { env } from "@reelhouse/shared/env.server";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { type AppLoadContext, data } from "react-router";

/**
 * Glue between the web tier and the collab server for the workspace/project pages: where the
 * browser connects, and the short-lived tokens it connects with (shared/src/collab/token.server.ts;
 * the collab server re-checks the role or the share link on every connection).
 */

/** The browser-facing WebSocket URL: PUBLIC_COLLAB_URL, else this host on COLLAB_PORT. */
export function collabUrl(request: Request): string {
  const e = env();
  if (e.PUBLIC_COLLAB_URL) return e.PUBLIC_COLLAB_URL;
  const url = new URL(request.url);
  const proto = url.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${url.hostname}:${e.COLLAB_PORT}`;
}

export function memberCollabToken(
  context: AppLoadContext,
  user: { id: string; displayName?: string | null; username: string },
) {
  return signCollabToken(context.services.authSecret, {
    sub: user.id,
    name: user.displayName || user.username,
  });
}

export function guestCollabToken(context: AppLoadContext, linkId: string, displayName: string) {
  return signCollabToken(context.services.authSecret, {
    sub: `guest:${linkId}:${randomBytes(6).toString("base64url")}`,
    name: displayName,
    shareLinkId: linkId,
  });
}

/**
 * Runs a workspace-domain call and turns its typed errors into HTTP responses: NotFound → 404
 * (also for things the user may not see), Forbidden → 403, Invalid → 400, Conflict → 409.
 */
export async function orRespond<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkspaceError) throw data(friendly(err), { status: err.status });
    throw err;
  }
}

/** The message a person sees for a domain refusal. */
export function friendly(err: WorkspaceError): string {
  switch (err.code) {
    case "not_found":
      return `Not found: ${err.message.replace(/ not found$/, "")} does not exist, or you don't have access to it.`;
    case "forbidden":
      return `Your role doesn't allow this (${err.message}).`;
    default:
      return err.message.charAt(0).toUpperCase() + err.message.slice(1);
  }
}

/** For actions: a domain refusal becomes `{ ok: false, error }` with its status, for the form. */
export async function actionResult<T>(fn: () => Promise<T>) {
  try {
    return { ok: true as const, value: await fn() };
  } catch (err) {
    if (err instanceof WorkspaceError)
      return data({ ok: false as const, error: friendly(err) }, { status: err.status });
    throw err;
  }
}
