import { createSession } from "@reelhouse/shared/accounts/sessions.server";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";

/**
 * The login fixture of the studio specs (generate, checker-plan, model-backends): a new account
 * made with the domain functions against the launcher's database, its workspace and projects, and
 * a real session token for the browser's cookie.
 */
export async function makeStudioOwner<const N extends readonly string[]>(
  prefix: string,
  workspaceName: string,
  projectNames: N,
): Promise<{ token: string; workspaceId: string; projectIds: { [K in keyof N]: string } }> {
  const suffix = Date.now().toString(36).slice(-5) + Math.random().toString(36).slice(2, 5);
  return withDatabase(async (url) => {
    const pool = createPool(url, 2);
    try {
      const username = `${prefix}_${suffix}`;
      const { user } = await createAccount(
        pool,
        {
          email: `${username}@example.test`,
          password: `Sturdy-${suffix}-Passphrase!`,
          birthdate: "1990-04-12",
          username,
        },
        { inviteRequired: false },
      );
      const token = (await createSession(pool, user.id, "playwright")).token;
      const ws = await createWorkspace(pool, user.id, `${workspaceName} ${suffix}`);
      const projectIds: string[] = [];
      for (const name of projectNames)
        projectIds.push((await createProject(pool, user.id, ws.id, name)).id);
      // One id per name, in order: the tuple type says so.
      return { token, workspaceId: ws.id, projectIds: projectIds as { [K in keyof N]: string } };
    } finally {
      await pool.end();
    }
  });
}
