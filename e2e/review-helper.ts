/**
 * Command-line helper for tests/review.spec.ts, run with `node --import tsx` against the launcher
 * Playwright started (like social-helper.ts). Drafts come from the real generation service and
 * worker (previz), so each one is stacked by the real store step.
 *
 *   user <username>                → {"userId"}: a member with the e2e password (no invite used)
 *   draft <username> [projectId]   → {"draftId","projectId"} once the worker stored the draft
 */
import { randomUUID } from "node:crypto";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { createGenerationService } from "@reelhouse/shared/generation/service.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace } from "@reelhouse/shared/workspaces/workspaces.server";

const [cmd, username, arg] = process.argv.slice(2);
const PASSWORD = "e2e-quiet-meadow-signal-7";

await withDatabase(async (url) => {
  const pool = createPool(url, 2);
  try {
    if (cmd === "user") {
      const { user } = await createAccount(
        pool,
        {
          email: `${username}@reelhouse.test`,
          username,
          password: PASSWORD,
          birthdate: "1994-03-21",
        },
        { inviteRequired: false },
      );
      console.log(JSON.stringify({ userId: user.id }));
      return;
    }
    const u = await pool.query<{ id: string }>(
      "SELECT id FROM users WHERE lower(username) = lower($1)",
      [username],
    );
    const userId = u.rows[0]?.id;
    if (!userId) throw new Error(`no user ${username}`);
    if (cmd !== "draft") throw new Error(`unknown command ${cmd}`);
    let projectId = arg;
    if (!projectId) {
      const ws = await createWorkspace(pool, userId, "Agency");
      projectId = (await createProject(pool, userId, ws.id, "Fox campaign")).id;
    }
    const service = await createGenerationService({ pool, databaseUrl: url });
    try {
      const { job } = await service.submitGeneration(userId, {
        projectId,
        requestId: `r${randomUUID().replaceAll("-", "").slice(0, 20)}`,
        request: {
          prompt: { text: "A red fox trots through fresh snow at dawn, slow dolly in, soft piano" },
          durationSeconds: 4,
          seed: Math.floor(Math.random() * 1000),
        },
      });
      const deadline = Date.now() + 240_000;
      for (;;) {
        const j = await service.getJob(userId, job.workflowId);
        if (j && (j.status === "failed" || j.status === "cancelled"))
          throw new Error(`generation ${j.status}: ${j.error}`);
        if (j?.status === "succeeded" && j.draft) {
          console.log(JSON.stringify({ draftId: j.draft.id, projectId }));
          return;
        }
        if (Date.now() > deadline) throw new Error("generation did not finish");
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await service.close();
    }
  } finally {
    await pool.end();
  }
});
