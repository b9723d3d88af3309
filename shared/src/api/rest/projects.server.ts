import type { z } from "zod";
import type { Pool } from "../../db/pool.server.ts";
import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  type Project,
  renameProject,
} from "../../workspaces/projects.server.ts";
import { type ApiPrincipal, requireScope } from "../keys.server.ts";
import { parse } from "../videos.server.ts";
import { domain, requireOwnProject } from "./access.server.ts";
import {
  createProjectSchema,
  type deletedSchema,
  type projectListSchema,
  type projectSchema,
  updateProjectSchema,
} from "./schemas.ts";

/**
 * Projects of the key's workspace over REST, through the app's own project functions (viewers
 * read; editors and owners create, rename and delete, as on the workspace page). Deleting a
 * project removes its documents, drafts and share links, as in the app.
 */

type ProjectObject = z.infer<typeof projectSchema>;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export const toProjectObject = (pr: Project): ProjectObject => ({
  id: pr.id,
  object: "project",
  workspace_id: pr.workspaceId,
  title: pr.title,
  role: pr.role,
  created_at: unix(pr.createdAt),
  updated_at: unix(pr.updatedAt),
});

export function createProjectsApi(pool: Pool) {
  return {
    async list(p: ApiPrincipal): Promise<z.infer<typeof projectListSchema>> {
      requireScope(p, "workspace:read");
      const projects = await domain(() => listProjects(pool, p.userId, p.workspaceId));
      return { object: "list", data: projects.map(toProjectObject), has_more: false };
    },
    async create(p: ApiPrincipal, raw: unknown): Promise<ProjectObject> {
      requireScope(p, "workspace:write");
      const body = parse(createProjectSchema, raw);
      return toProjectObject(
        await domain(() => createProject(pool, p.userId, p.workspaceId, body.title)),
      );
    },
    async retrieve(p: ApiPrincipal, projectId: string): Promise<ProjectObject> {
      requireScope(p, "workspace:read");
      await requireOwnProject(pool, p, projectId);
      return toProjectObject(await domain(() => getProject(pool, p.userId, projectId)));
    },
    async update(p: ApiPrincipal, projectId: string, raw: unknown): Promise<ProjectObject> {
      requireScope(p, "workspace:write");
      const body = parse(updateProjectSchema, raw);
      await requireOwnProject(pool, p, projectId);
      await domain(() => renameProject(pool, p.userId, projectId, body.title));
      return toProjectObject(await domain(() => getProject(pool, p.userId, projectId)));
    },
    async remove(
      p: ApiPrincipal,
      projectId: string,
    ): Promise<z.infer<ReturnType<typeof deletedSchema>>> {
      requireScope(p, "workspace:write");
      await requireOwnProject(pool, p, projectId);
      await domain(() => deleteProject(pool, p.userId, projectId));
      return { id: projectId, object: "project.deleted", deleted: true };
    },
  };
}
export type ProjectsApi = ReturnType<typeof createProjectsApi>;
