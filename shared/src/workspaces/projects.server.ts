import { z } from "zod";
import type { Pool } from "../db/pool.server.ts";
import { isUuid, projectRole } from "./db.server.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "./errors.ts";
import { atLeast, type Role } from "./roles.ts";
import { requireRole } from "./workspaces.server.ts";

/** Projects live in a workspace; viewers read, editors and owners create, rename and delete. */

export type Project = {
  id: string;
  workspaceId: string;
  title: string;
  role: Role;
  createdAt: Date;
  updatedAt: Date;
};

const titleSchema = z.string().trim().min(1).max(120);
function title(t: unknown): string {
  const r = titleSchema.safeParse(t);
  if (!r.success) throw new InvalidError(`title: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

type Row = { id: string; workspace_id: string; title: string; created_at: Date; updated_at: Date };
const toProject = (r: Row, role: Role): Project => ({
  id: r.id,
  workspaceId: r.workspace_id,
  title: r.title,
  role,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The actor's role on a project: NotFound if invisible, Forbidden if weaker than `min`. */
export async function requireProjectRole(
  pool: Pool,
  actorId: string,
  projectId: string,
  min: Role,
) {
  const access = await projectRole(pool, actorId, projectId);
  if (!access) throw new NotFoundError("project not found");
  if (!atLeast(access.role, min)) throw new ForbiddenError(`requires ${min}`);
  return access;
}

export async function createProject(pool: Pool, actorId: string, workspaceId: string, t: string) {
  const clean = title(t);
  const role = await requireRole(pool, actorId, workspaceId, "editor");
  const r = await pool.query<Row>(
    "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, $2, $3) RETURNING *",
    [workspaceId, clean, actorId],
  );
  return toProject(r.rows[0]!, role);
}

export async function listProjects(pool: Pool, actorId: string, workspaceId: string) {
  const role = await requireRole(pool, actorId, workspaceId, "viewer");
  const r = await pool.query<Row>(
    "SELECT * FROM projects WHERE workspace_id = $1 ORDER BY updated_at DESC",
    [workspaceId],
  );
  return r.rows.map((p) => toProject(p, role));
}

export async function getProject(pool: Pool, actorId: string, projectId: string): Promise<Project> {
  const { role } = await requireProjectRole(pool, actorId, projectId, "viewer");
  const r = await pool.query<Row>("SELECT * FROM projects WHERE id = $1", [projectId]);
  if (!r.rows[0]) throw new NotFoundError("project not found");
  return toProject(r.rows[0], role);
}

export async function renameProject(pool: Pool, actorId: string, projectId: string, t: string) {
  const clean = title(t);
  await requireProjectRole(pool, actorId, projectId, "editor");
  await pool.query("UPDATE projects SET title = $2 WHERE id = $1", [projectId, clean]);
}

/** Deletes a project and its share links, snapshots and documents. */
export async function deleteProject(pool: Pool, actorId: string, projectId: string) {
  await requireProjectRole(pool, actorId, projectId, "editor");
  if (!isUuid(projectId)) throw new NotFoundError("project not found");
  const prefix = `project.${projectId}.%`;
  await pool.query("DELETE FROM projects WHERE id = $1", [projectId]);
  await pool.query("DELETE FROM yjs_updates WHERE name LIKE $1", [prefix]);
  await pool.query("DELETE FROM yjs_documents WHERE name LIKE $1", [prefix]);
}
