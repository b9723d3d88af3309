/**
 * Command-line helper for tests/social.spec.ts, run with `node --import tsx` against the launcher
 * that Playwright started (DATA_DIR → its run state → its database). The web UI for generating a
 * draft belongs to another part of the product; until it lands, the spec makes drafts here through
 * the real generation service and worker (previz backend), exactly as that UI will.
 *
 *   user <username>                → {"userId"}: a member with the e2e password (no invite used;
 *                                    the administrator has only four and other specs take them)
 *   draft <username> [projectId]   → {"draftId","projectId"} once the worker stored the draft
 *   post <username> <caption>      → {"postId","projectId"}: a new draft published through the real publish
 *                                    service and workflow (the publish page does the same)
 *   remix-project <username>       → {"projectId"} of the user's latest remix project
 *   moderator <username>           → makes the user a moderator
 *   project <username> <name>      → {"projectId"}: a new project in the user's first workspace
 */
import { randomUUID } from "node:crypto";
import { createAccount } from "@reelhouse/shared/accounts/users.server";
import { withDatabase } from "@reelhouse/shared/db/cli-database.server";
import { createPool, type Pool } from "@reelhouse/shared/db/pool.server";
import { createGenerationService } from "@reelhouse/shared/generation/service.server";
import { createPublishService } from "@reelhouse/shared/social/publish.server";
import { createProject } from "@reelhouse/shared/workspaces/projects.server";
import { createWorkspace, listWorkspaces } from "@reelhouse/shared/workspaces/workspaces.server";

const [cmd, username, arg] = process.argv.slice(2);
/** The same password as tests/fixtures.ts PASSWORD (imported there from @playwright/test). */
const PASSWORD = "e2e-quiet-meadow-signal-7";

async function until<T>(what: string, ms: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not finish in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A 4 s draft from the real generation service and worker (previz backend). */
async function makeDraft(pool: Pool, url: string, userId: string, projectId?: string) {
  if (!projectId) {
    const ws =
      (await listWorkspaces(pool, userId))[0] ?? (await createWorkspace(pool, userId, "Studio"));
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
    const draftId = await until("generation", 240_000, async () => {
      const j = await service.getJob(userId, job.workflowId);
      if (j && (j.status === "failed" || j.status === "cancelled"))
        throw new Error(`generation ${j.status}: ${j.error}`);
      return j?.status === "succeeded" && j.draft ? j.draft.id : null;
    });
    return { draftId, projectId };
  } finally {
    await service.close();
  }
}

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
    if (cmd === "moderator") {
      await pool.query("UPDATE users SET is_moderator = true WHERE id = $1", [userId]);
      console.log(JSON.stringify({ ok: true }));
    } else if (cmd === "remix-project") {
      const r = await pool.query<{ project_id: string }>(
        "SELECT project_id FROM project_remixes WHERE created_by = $1 ORDER BY created_at DESC LIMIT 1",
        [userId],
      );
      console.log(JSON.stringify({ projectId: r.rows[0]?.project_id ?? null }));
    } else if (cmd === "project") {
      const ws =
        (await listWorkspaces(pool, userId))[0] ?? (await createWorkspace(pool, userId, "Studio"));
      const project = await createProject(pool, userId, ws.id, arg ?? "Project");
      console.log(JSON.stringify({ projectId: project.id }));
    } else if (cmd === "draft") {
      console.log(JSON.stringify(await makeDraft(pool, url, userId, arg)));
    } else if (cmd === "post") {
      const { draftId, projectId } = await makeDraft(pool, url, userId);
      const publish = await createPublishService({ pool, databaseUrl: url });
      try {
        const { job } = await publish.submit(userId, { draftId, caption: arg ?? "" });
        const postId = await until("publishing", 180_000, async () => {
          const j = await publish.get(userId, job.workflowId);
          if (j.status === "failed") throw new Error(`publish failed: ${j.error}`);
          return j.status === "succeeded" ? j.postId : null;
        });
        console.log(JSON.stringify({ postId, projectId }));
      } finally {
        await publish.close();
      }
    } else throw new Error(`unknown command ${cmd}`);
  } finally {
    await pool.end();
  }
});
