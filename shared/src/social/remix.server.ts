import * as Y from "yjs";
import { docName } from "../collab/docs.ts";
import { addShot, promptFragment, userOrigin } from "../collab/schema.ts";
import type { Pool } from "../db/pool.server.ts";
import { appendUpdates } from "../workspaces/documents.server.ts";
import { createProject } from "../workspaces/projects.server.ts";
import { createWorkspace, listWorkspaces } from "../workspaces/workspaces.server.ts";
import { remixSeed } from "./posts.server.ts";
import type { Viewer } from "./viewer.server.ts";

/**
 * "Remix": a new project in the viewer's first workspace they can edit (a personal one is made if
 * they have none), titled "Remix of @owner", its prompt document prefilled with the original's
 * prompt and its storyboard with the original's shots, and linked to the original post so that
 * publishing from it credits it. Refused (nothing created) unless remixSeed allows it.
 */
export async function startRemix(
  pool: Pool,
  v: Viewer,
  postId: string,
): Promise<{ projectId: string }> {
  const seed = await remixSeed(pool, v, postId);
  const user = v!;
  const workspaces = await listWorkspaces(pool, user.id);
  const ws =
    workspaces.find((w) => w.role === "owner" || w.role === "editor") ??
    (await createWorkspace(pool, user.id, "Personal"));
  const project = await createProject(
    pool,
    user.id,
    ws.id,
    `Remix of @${seed.ownerUsername}`.slice(0, 120),
  );

  const origin = userOrigin(user.id);
  const prompt = new Y.Doc();
  prompt.transact(() => {
    const lines = seed.prompt.split(/\n+/).filter((l) => l.trim().length > 0);
    const blocks = (lines.length ? lines : [""]).map((line) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(line)]);
      return p;
    });
    promptFragment(prompt).insert(0, blocks);
  }, origin);
  const updates = [
    {
      name: docName(project.id, "prompt"),
      update: Y.encodeStateAsUpdate(prompt),
      source: "server" as const,
    },
  ];
  const shots = Array.isArray(seed.storyboard)
    ? (seed.storyboard as Record<string, unknown>[])
    : [];
  if (shots.length) {
    const board = new Y.Doc();
    for (const s of shots.slice(0, 100)) {
      try {
        addShot(board, s as never, origin);
      } catch {
        // A shot the current schema rejects is skipped rather than failing the remix.
      }
    }
    updates.push({
      name: docName(project.id, "storyboard"),
      update: Y.encodeStateAsUpdate(board),
      source: "server" as const,
    });
  }
  await appendUpdates(pool, updates);
  await pool.query(
    "INSERT INTO project_remixes (project_id, remix_of, created_by) VALUES ($1, $2, $3)",
    [project.id, postId, user.id],
  );
  return { projectId: project.id };
}

/** The post a project remixes (for the publish form's default), if any. */
export async function projectRemixOf(pool: Pool, projectId: string): Promise<string | null> {
  const r = await pool.query<{ remix_of: string }>(
    "SELECT remix_of FROM project_remixes WHERE project_id = $1",
    [projectId],
  );
  return r.rows[0]?.remix_of ?? null;
}
