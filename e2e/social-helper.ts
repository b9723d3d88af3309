/**
 * Command-line helper for tests/social.spec.ts, run with `node --import tsx` against the launcher
 * that Playwright started (DATA_DIR → its run state → its database). The web UI for generating a
 * draft belongs to another part of the product; until it lands, the spec makes drafts here through
 * the real generation service and worker (previz backend), exactly as that UI will.
 *
 *   draft <username> [projectId]   → {"draftId","projectId"} once the worker stored the draft
 *   remix-project <username>       → {"projectId"} of the user's latest remix project
 *   moderator <username>           → makes the user a moderator
 */
import { randomUUID } from "node:crypto";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { createGenerationService } from "@reelhouse/shared/generation/service.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace, listWorkspaces } from "@reelhouse/shared/workspaces/workspaces.server";

const [cmd, username, arg] = process.argv.slice(2);

await withDatabase(async (url) => {
  const pool = createPool(url, 2);
  try {
    const u = await pool.query<{ id: string }>(
      "SELECT id FROM users WHERE lower(username) = lower($1)",
      [username],
    );
    const userId = u.rows[0]?.id;
    if (!userId) throw new Error(`no user ${username}`);
    if (cmd === "moderator") {
      await pool.query("UPDATE users SET is_moderator = true WHERE id = $1", [userId]);
      console.log(JSON.stringify({ ok: true }));
    } else if (cmd === "remix-project") {
      const r = await pool.query<{ project_id: string }>(
        "SELECT project_id FROM project_remixes WHERE created_by = $1 ORDER BY created_at DESC LIMIT 1",
        [userId],
      );
      console.log(JSON.stringify({ projectId: r.rows[0]?.project_id ?? null }));
    } else if (cmd === "draft") {
      let projectId = arg;
      if (!projectId) {
        const ws =
          (await listWorkspaces(pool, userId))[0] ??
          (await createWorkspace(pool, userId, "Studio"));
        projectId = (await createProject(pool, userId, ws.id, "Fox at dawn")).id;
      }
      const service = await createGenerationService({ pool, databaseUrl: url });
      try {
        const { job } = await service.submitGeneration(userId, {
          projectId,
          requestId: `r${randomUUID().replaceAll("-", "").slice(0, 20)}`,
          request: {
            prompt: {
              text: "A red fox trots through fresh snow at dawn, slow dolly in, soft piano",
            },
            durationSeconds: 4,
          },
        });
        const deadline = Date.now() + 240_000;
        for (;;) {
          const j = await service.getJob(userId, job.workflowId);
          if (j?.status === "succeeded" && j.draft) {
            console.log(JSON.stringify({ draftId: j.draft.id, projectId }));
            break;
          }
          if (j && (j.status === "failed" || j.status === "cancelled"))
            throw new Error(`generation ${j.status}: ${j.error}`);
          if (Date.now() > deadline) throw new Error("generation did not finish in 240 s");
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        await service.close();
      }
    } else throw new Error(`unknown command ${cmd}`);
  } finally {
    await pool.end();
  }
});
