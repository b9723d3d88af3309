import { env } from "../env.server.ts";
import { attributionChain } from "../social/posts.server.ts";
import type { Queryable } from "../workspaces/db.server.ts";
import type { ProvenanceFacts } from "./manifest.ts";

/**
 * The facts a manifest claims, read from the database by the step that writes a file: the
 * project's workspace, the remix chain (a remix project's original and that post's own chain),
 * the backend and the model the render recorded.
 */
export type SourceFacts = Omit<ProvenanceFacts, "kind" | "format" | "title">;

export async function draftSourceFacts(
  q: Queryable,
  d: {
    projectId: string;
    workflowId: string;
    backend: string;
    metadata: Record<string, unknown>;
    draftId?: string | null;
    /** The post credited as the original (publishing names it); default: the remix project's. */
    remixOf?: string | null;
  },
): Promise<SourceFacts> {
  const r = await q.query<{ workspace_id: string; name: string; remix_of: string | null }>(
    `SELECT w.id AS workspace_id, w.name, pr.remix_of
       FROM projects p JOIN workspaces w ON w.id = p.workspace_id
       LEFT JOIN project_remixes pr ON pr.project_id = p.id
      WHERE p.id = $1`,
    [d.projectId],
  );
  const row = r.rows[0];
  const remixOf = await remixChain(
    q,
    d.remixOf !== undefined ? d.remixOf : (row?.remix_of ?? null),
  );
  const model = d.metadata.model;
  return {
    instance: env().PUBLIC_URL ?? null,
    backend: d.backend,
    model: typeof model === "string" ? model : null,
    workspace: row ? { id: row.workspace_id, name: row.name } : null,
    projectId: d.projectId,
    draftWorkflowId: d.workflowId,
    draftId: d.draftId ?? null,
    postId: null,
    edited: d.workflowId.startsWith("edit:") || "edit" in d.metadata,
    remixOf,
  };
}

/** A remixed post and the posts it remixes in turn, nearest first (names of published ones). */
async function remixChain(
  q: Queryable,
  postId: string | null,
): Promise<ProvenanceFacts["remixOf"]> {
  if (!postId) return [];
  const u = await q.query<{ username: string; status: string }>(
    "SELECT u.username, p.status FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1",
    [postId],
  );
  const first = u.rows[0];
  return [
    { postId, username: first?.status === "published" ? first.username : null },
    ...(await attributionChain(q, postId)).map((c) => ({ postId: c.id, username: c.username })),
  ];
}

/** The facts of a draft being published, by its id, crediting `remixOf`. */
export async function publishSourceFacts(
  q: Queryable,
  draftId: string,
  remixOf: string | null,
): Promise<SourceFacts> {
  const r = await q.query<{
    project_id: string;
    workflow_id: string;
    backend: string;
    metadata: Record<string, unknown>;
  }>("SELECT project_id, workflow_id, backend, metadata FROM drafts WHERE id = $1", [draftId]);
  const d = r.rows[0];
  if (!d) throw new Error(`draft ${draftId} not found`);
  return draftSourceFacts(q, {
    projectId: d.project_id,
    workflowId: d.workflow_id,
    backend: d.backend,
    metadata: d.metadata,
    draftId,
    remixOf,
  });
}
