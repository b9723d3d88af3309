import type { z } from "zod";
import type { Pool } from "../../db/pool.server.ts";
import { getWorkspace, listMembers } from "../../workspaces/workspaces.server.ts";
import { type ApiPrincipal, requireScope } from "../keys.server.ts";
import { domain, requireOwnWorkspace } from "./access.server.ts";
import type { memberListSchema, workspaceListSchema, workspaceSchema } from "./schemas.ts";

/**
 * Workspaces over REST. A key belongs to one workspace, so the list has exactly that one; any
 * other workspace id is 404, even one its owner is a member of through another key.
 */

type WorkspaceObject = z.infer<typeof workspaceSchema>;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function createWorkspacesApi(pool: Pool) {
  const own = async (p: ApiPrincipal): Promise<WorkspaceObject> => {
    const w = await domain(() => getWorkspace(pool, p.userId, p.workspaceId));
    return {
      id: w.id,
      object: "workspace",
      name: w.name,
      role: w.role,
      created_at: unix(w.createdAt),
    };
  };
  return {
    async list(p: ApiPrincipal): Promise<z.infer<typeof workspaceListSchema>> {
      requireScope(p, "workspace:read");
      return { object: "list", data: [await own(p)], has_more: false };
    },
    async retrieve(p: ApiPrincipal, workspaceId: string): Promise<WorkspaceObject> {
      requireScope(p, "workspace:read");
      requireOwnWorkspace(p, workspaceId);
      return own(p);
    },
    async members(p: ApiPrincipal, workspaceId: string): Promise<z.infer<typeof memberListSchema>> {
      requireScope(p, "workspace:read");
      requireOwnWorkspace(p, workspaceId);
      const members = await domain(() => listMembers(pool, p.userId, workspaceId));
      return {
        object: "list",
        data: members.map((m) => ({
          object: "workspace.member" as const,
          user_id: m.userId,
          username: m.username,
          display_name: m.displayName,
          role: m.role,
        })),
        has_more: false,
      };
    },
  };
}
export type WorkspacesApi = ReturnType<typeof createWorkspacesApi>;
