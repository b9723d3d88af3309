import type { Pool } from "../db/pool.server.ts";
import { uniq } from "../testing/db.ts";
import { insertPost, type PublishRequest } from "./posts.server.ts";
import type { Viewer } from "./viewer.server.ts";

/** Test helpers: real rows in the real test database (no mocks). */

export type TestUser = { id: string; username: string; viewer: NonNullable<Viewer> };

export async function makeUser(
  pool: Pool,
  opts: { minor?: boolean; moderator?: boolean; name?: string } = {},
): Promise<TestUser> {
  const username = (opts.name ?? uniq("u")).slice(0, 30);
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor, is_moderator)
     VALUES ($1, $2, 'x', $3, $4, $5) RETURNING id`,
    [
      `${username}@example.test`,
      username,
      opts.minor ? "2011-01-01" : "1990-01-01",
      opts.minor === true,
      opts.moderator === true,
    ],
  );
  return asTestUser(r.rows[0]!.id, username, opts);
}

/** The TestUser of an existing user row with these flags. */
export function asTestUser(
  id: string,
  username: string,
  flags: { minor?: boolean; moderator?: boolean } = {},
): TestUser {
  return {
    id,
    username,
    viewer: { id, isMinor: flags.minor === true, isModerator: flags.moderator === true },
  };
}

/** A workspace + project owned by `owner`, and a draft in it (file paths are not read here). */
export async function makeDraft(
  pool: Pool,
  owner: TestUser,
  videoPath = "media/test/video.mp4",
): Promise<{ draftId: string; projectId: string; workspaceId: string }> {
  const ws = await pool.query<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ('ws', $1) RETURNING id",
    [owner.id],
  );
  const workspaceId = ws.rows[0]!.id;
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
    [workspaceId, owner.id],
  );
  const pr = await pool.query<{ id: string }>(
    "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'p', $2) RETURNING id",
    [workspaceId, owner.id],
  );
  const projectId = pr.rows[0]!.id;
  const media = await pool.query<{ id: string }>(
    "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
    [owner.id],
  );
  const m = media.rows[0]!.id;
  const d = await pool.query<{ id: string }>(
    `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id, poster_media_id,
                         sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
     VALUES ($1, $2, $3, 'clip', 'previz', 'a red fox runs through snow at dawn', $4, $4, $4, $5, 'p.jpg', 's.jpg', '{}', '{}', 10000, 720, 1280)
     RETURNING id`,
    [uniq("wf"), projectId, owner.id, m, videoPath],
  );
  return { draftId: d.rows[0]!.id, projectId, workspaceId };
}

/** A published post straight through insertPost (what the publish workflow's feed step calls). */
export async function makePost(
  pool: Pool,
  author: TestUser,
  opts: Partial<PublishRequest> & {
    publishedAt?: Date;
    draft?: { draftId: string; projectId: string };
    workflowId?: string;
  } = {},
): Promise<string> {
  const draft = opts.draft ?? {
    draftId: null as unknown as string,
    projectId: null as unknown as string,
  };
  const { postId } = await insertPost(pool, {
    workflowId: opts.workflowId ?? uniq("publish-"),
    authorId: author.id,
    req: {
      draftId: draft.draftId,
      caption: opts.caption ?? "",
      audience: opts.audience ?? "all",
      allowRemix: opts.allowRemix ?? true,
      remixOf: opts.remixOf ?? null,
    },
    source: {
      draftId: draft.draftId,
      projectId: draft.projectId,
      prompt: "a prompt",
      videoPath: "v.mp4",
      durationMs: 10000,
      width: 720,
      height: 1280,
      storyboard: null,
    },
    videoPath: "v.mp4",
    posterPath: "p.jpg",
    downloadPath: "d.mp4",
  });
  if (opts.publishedAt)
    await pool.query("UPDATE posts SET published_at = $2 WHERE id = $1", [
      postId,
      opts.publishedAt,
    ]);
  return postId;
}
