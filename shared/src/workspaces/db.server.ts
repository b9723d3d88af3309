import { createHash, randomBytes } from "node:crypto";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import type { Role } from "./roles.ts";

export type Queryable = Pool | PoolClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: unknown): s is string => typeof s === "string" && UUID.test(s);

/** A random URL-safe token and the sha256 we store instead of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString("base64url");
  return { token, hash: hashToken(token) };
}
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function memberRole(
  q: Queryable,
  userId: string,
  workspaceId: string,
): Promise<Role | null> {
  if (!isUuid(userId) || !isUuid(workspaceId)) return null;
  const r = await q.query<{ role: Role }>(
    "SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2",
    [workspaceId, userId],
  );
  return r.rows[0]?.role ?? null;
}

/** The actor's role on a project's workspace, or null if the project is invisible to them. */
export async function projectRole(
  q: Queryable,
  userId: string,
  projectId: string,
): Promise<{ role: Role; workspaceId: string } | null> {
  if (!isUuid(userId) || !isUuid(projectId)) return null;
  const r = await q.query<{ role: Role; workspace_id: string }>(
    `SELECT m.role, p.workspace_id FROM projects p
       JOIN workspace_members m ON m.workspace_id = p.workspace_id AND m.user_id = $2
      WHERE p.id = $1`,
    [projectId, userId],
  );
  const row = r.rows[0];
  return row ? { role: row.role, workspaceId: row.workspace_id } : null;
}
