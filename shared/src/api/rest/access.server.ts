import type { Pool } from "../../db/pool.server.ts";
import { GenerationRefusal } from "../../generation/service.server.ts";
import { SocialError } from "../../social/errors.ts";
import { isUuid } from "../../workspaces/db.server.ts";
import { WorkspaceError } from "../../workspaces/errors.ts";
import { ApiError, type ApiErrorStatus, notFound } from "../errors.ts";
import type { ApiPrincipal } from "../keys.server.ts";

/**
 * The REST API's access rule, in one place: a key acts as its user within its own workspace. Every
 * id in a path is first resolved to its workspace, and anything outside the key's workspace is a
 * 404, the same answer as an id that does not exist (so ids of other workspaces cannot be probed).
 * Then the app's own domain functions run as the key's user, with their own role checks.
 */

const STATUSES = new Set<number>([400, 403, 404, 409, 413]);

/** The domain's typed refusals → OpenAI-shaped API errors (the same statuses as the app's pages). */
export function toApiError(err: unknown): never {
  if (err instanceof ApiError) throw err;
  if (err instanceof WorkspaceError || err instanceof SocialError) {
    const status = (STATUSES.has(err.status) ? err.status : 400) as ApiErrorStatus;
    const message = err.message.charAt(0).toUpperCase() + err.message.slice(1);
    throw new ApiError(status, err.code, message.endsWith(".") ? message : `${message}.`);
  }
  if (err instanceof GenerationRefusal)
    throw new ApiError(err.status, err.code, err.message, err.field ?? null);
  throw err;
}

/** Runs a domain call, answering its refusals in the API's shape. */
export async function domain<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    toApiError(err);
  }
}

/** The key's own workspace, or 404 for any other id. */
export function requireOwnWorkspace(p: ApiPrincipal, workspaceId: string): void {
  if (workspaceId !== p.workspaceId) throw notFound("workspace", workspaceId);
}

/** 404 unless the project exists in the key's workspace. */
export async function requireOwnProject(
  pool: Pool,
  p: ApiPrincipal,
  projectId: string,
): Promise<void> {
  const r = isUuid(projectId)
    ? await pool.query<{ workspace_id: string }>(
        "SELECT workspace_id FROM projects WHERE id = $1",
        [projectId],
      )
    : null;
  if (r?.rows[0]?.workspace_id !== p.workspaceId) throw notFound("project", projectId);
}

/** The draft's project, or 404 unless the draft is in a project of the key's workspace. */
export async function requireOwnDraft(
  pool: Pool,
  p: ApiPrincipal,
  draftId: string,
): Promise<{ projectId: string }> {
  const r = isUuid(draftId)
    ? await pool.query<{ project_id: string; workspace_id: string }>(
        `SELECT d.project_id, pr.workspace_id FROM drafts d JOIN projects pr ON pr.id = d.project_id
          WHERE d.id = $1`,
        [draftId],
      )
    : null;
  const row = r?.rows[0];
  if (!row || row.workspace_id !== p.workspaceId) throw notFound("draft", draftId);
  return { projectId: row.project_id };
}
