import type { z } from "zod";
import { projectDocNames } from "../../collab/docs.ts";
import { COLLAB_TOKEN_TTL_SECONDS, signCollabToken } from "../../collab/token.server.ts";
import type { Pool } from "../../db/pool.server.ts";
import { requireProjectRole } from "../../workspaces/projects.server.ts";
import { type ApiPrincipal, requireScope } from "../keys.server.ts";
import { domain, requireOwnProject } from "./access.server.ts";
import type { collabTokenSchema } from "./schemas.ts";

/**
 * A collab token for a project's documents: the very token the project page fetches
 * (web/app/routes/projects.$projectId.collab-token.ts → memberCollabToken: the member's id and
 * display name, signed with AUTH_SECRET, ten minutes). The role is not in it: the collab server
 * looks it up on every connection, so a viewer's token opens the documents read-only. It needs
 * the workspace:write scope, since with it a program edits the documents as the key's owner.
 */

export function createCollabApi(opts: { pool: Pool; authSecret: string }) {
  const { pool } = opts;
  return {
    async token(
      p: ApiPrincipal,
      projectId: string,
      url: string,
    ): Promise<z.infer<typeof collabTokenSchema>> {
      requireScope(p, "workspace:write");
      await requireOwnProject(pool, p, projectId);
      await domain(() => requireProjectRole(pool, p.userId, projectId, "viewer"));
      const u = await pool.query<{ username: string; display_name: string | null }>(
        "SELECT username, display_name FROM users WHERE id = $1",
        [p.userId],
      );
      const user = u.rows[0]!;
      const now = Math.floor(Date.now() / 1000);
      const docs = projectDocNames(projectId);
      return {
        object: "collab_token",
        token: signCollabToken(opts.authSecret, {
          sub: p.userId,
          name: user.display_name || user.username,
        }),
        expires_at: now + COLLAB_TOKEN_TTL_SECONDS,
        url,
        documents: {
          prompt: docs.prompt,
          storyboard: docs.storyboard,
          casting: docs.casting,
          comments: docs.comments,
        },
      };
    },
  };
}
export type CollabApi = ReturnType<typeof createCollabApi>;
