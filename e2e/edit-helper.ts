/**
 * Command-line helper for tests/edit.spec.ts (run with `node --import tsx`, like social-helper.ts,
 * whose `user` and `draft` commands make the people and the draft):
 *
 *   join <owner> <projectId> <member> <role>   → {"role"}: the owner invites the member to the
 *                                               project's workspace and the member accepts
 */
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { acceptInvite, inviteByUsername } from "@reelhouse/shared/workspaces/workspaces.server";

const [cmd, owner, projectId, member, role] = process.argv.slice(2);

await withDatabase(async (url) => {
  const pool = createPool(url, 2);
  try {
    if (cmd !== "join") throw new Error(`unknown command ${cmd}`);
    const ids = await pool.query<{ username: string; id: string }>(
      "SELECT lower(username) AS username, id FROM users WHERE lower(username) = ANY($1)",
      [[owner!.toLowerCase(), member!.toLowerCase()]],
    );
    const id = (u: string) => ids.rows.find((r) => r.username === u.toLowerCase())?.id;
    const ownerId = id(owner!);
    const memberId = id(member!);
    if (!ownerId || !memberId) throw new Error("unknown user");
    const p = await pool.query<{ workspace_id: string }>(
      "SELECT workspace_id FROM projects WHERE id = $1",
      [projectId],
    );
    const workspaceId = p.rows[0]?.workspace_id;
    if (!workspaceId) throw new Error("unknown project");
    const invite = await inviteByUsername(pool, ownerId, workspaceId, member!, role as "editor");
    console.log(JSON.stringify({ role: await acceptInvite(pool, memberId, invite.id) }));
  } finally {
    await pool.end();
  }
});
