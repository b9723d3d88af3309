import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { LocalDiskStorage } from "../media/storage.server.ts";
import { makeDraft, makePost, makeUser, type TestUser } from "../social/test-fixtures.ts";
import { testPool, uniq } from "../testing/db.ts";
import { deleteAccount } from "./delete-account.server.ts";
import { hashPassword } from "./password.server.ts";

/**
 * Deleting an account (issue 17): the rows and files that go, the ones that stay with the team,
 * and the refusals that change nothing.
 */
let pool: Pool;
let root: string;
let storage: LocalDiskStorage;
const PASSWORD = "correct-horse-battery-staple-9";
let hash: string;
beforeAll(async () => {
  pool = testPool(4);
  root = mkdtempSync(path.join(os.tmpdir(), "rh-delete-account-"));
  storage = new LocalDiskStorage(path.join(root, "media"));
  hash = await hashPassword(PASSWORD);
});
afterAll(async () => {
  await pool.end();
  rmSync(root, { recursive: true, force: true });
});

const abs = (rel: string) => path.join(root, rel);
function touch(rel: string) {
  mkdirSync(path.dirname(abs(rel)), { recursive: true });
  writeFileSync(abs(rel), "x");
}
async function one<T = Record<string, unknown>>(sql: string, args: unknown[]): Promise<T> {
  return (await pool.query(sql, args)).rows[0] as T;
}
async function count(sql: string, args: unknown[]): Promise<number> {
  return (await pool.query(sql, args)).rowCount ?? 0;
}

async function withPassword(u: TestUser): Promise<TestUser> {
  await pool.query("UPDATE users SET password_hash = $2 WHERE id = $1", [u.id, hash]);
  return u;
}

/** A draft made by `by` in `projectId`, with its three files on disk and its own media row. */
async function draftIn(projectId: string, by: TestUser) {
  const m = await one<{ id: string }>(
    "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
    [by.id],
  );
  const dir = `generations/${uniq("g")}`;
  const files = [`${dir}/video.mp4`, `${dir}/poster.jpg`, `${dir}/sprite.jpg`];
  const d = await one<{ id: string }>(
    `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id, poster_media_id,
                         sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
     VALUES ($1, $2, $3, 'clip', 'previz', 'p', $4, $4, $4, $5, $6, $7, '{}', '{}', 4000, 720, 1280) RETURNING id`,
    [uniq("wf"), projectId, by.id, m.id, ...files],
  );
  for (const f of files) touch(f);
  return { draftId: d.id, projectId, files, mediaId: m.id };
}

async function workspace(owner: TestUser, name: string, members: [TestUser, string][] = []) {
  const w = await one<{ id: string }>(
    "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id",
    [name, owner.id],
  );
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role, added_at) VALUES ($1, $2, 'owner', now() - interval '1 day')",
    [w.id, owner.id],
  );
  for (const [u, role] of members)
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [w.id, u.id, role],
    );
  const p = await one<{ id: string }>(
    "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, 'Launch', $2) RETURNING id",
    [w.id, owner.id],
  );
  return { workspaceId: w.id, projectId: p.id };
}

describe("deleteAccount", () => {
  it("deletes the account's posts, cameos, solo workspace and files; shared workspaces keep their work", async () => {
    const ana = await withPassword(await makeUser(pool, { moderator: true }));
    const ben = await makeUser(pool);
    const cleo = await makeUser(pool);

    // Ana's own workspace (only her) with a draft she published.
    const soloVideo = `generations/${uniq("solo")}/video.mp4`;
    const solo = await makeDraft(pool, ana, soloVideo);
    touch(soloVideo);
    const postId = await makePost(pool, ana, {
      draft: solo,
      workflowId: `publish:${solo.draftId}`,
    });
    const postFiles = ["feed.mp4", "poster.jpg", "download.mp4"].map(
      (f) => `posts/${solo.draftId}/${f}`,
    );
    await pool.query(
      "UPDATE posts SET video_path = $2, poster_path = $3, download_path = $4 WHERE id = $1",
      [postId, ...postFiles],
    );
    for (const f of [...postFiles, `posts/${solo.draftId}/watermark.png`]) touch(f);

    // A workspace Ana owns alone with Ben as editor, and one Cleo owns with Ana as editor.
    const shared = await workspace(ana, "Team Ana", [[ben, "editor"]]);
    const anasShared = await draftIn(shared.projectId, ana);
    const bensShared = await draftIn(shared.projectId, ben);
    const cleos = await workspace(cleo, "Cleo's", [[ana, "editor"]]);
    const anasAtCleo = await draftIn(cleos.projectId, ana);

    // Social rows: Ben likes Ana's post and remixes it into a project; Ana likes and comments on
    // Ben's post and follows him; Ana decided a report as a moderator.
    const bensPost = await makePost(pool, ben);
    await pool.query("INSERT INTO likes (post_id, user_id) VALUES ($1, $2), ($3, $4)", [
      postId,
      ben.id,
      bensPost,
      ana.id,
    ]);
    await pool.query("INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, 'nice')", [
      bensPost,
      ana.id,
    ]);
    await pool.query("UPDATE posts SET like_count = 1, comment_count = 1 WHERE id = $1", [
      bensPost,
    ]);
    await pool.query("INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)", [
      ana.id,
      ben.id,
    ]);
    await pool.query(
      "INSERT INTO social_profiles (user_id, follower_count) VALUES ($1, 1) ON CONFLICT (user_id) DO UPDATE SET follower_count = 1",
      [ben.id],
    );
    await pool.query(
      "INSERT INTO project_remixes (project_id, remix_of, created_by) VALUES ($1, $2, $3)",
      [shared.projectId, postId, ben.id],
    );
    const decision = await one<{ id: string }>(
      `INSERT INTO moderation_decisions (target_kind, target_id, moderator_id, action, reason)
       VALUES ('post', $1, $2, 'keep', 'fine') RETURNING id`,
      [bensPost, ana.id],
    );

    // A cameo folder and a profile photo in media storage.
    const cameo = await one<{ id: string }>(
      "INSERT INTO cameos (owner_id, kind, name, dir) VALUES ($1, 'person', $2, 'cameos/x') RETURNING id",
      [ana.id, ana.username.slice(0, 30)],
    );
    await pool.query("UPDATE cameos SET dir = $2 WHERE id = $1", [cameo.id, `cameos/${cameo.id}`]);
    touch(`cameos/${cameo.id}/recording.webm`);
    touch(`cameos/${cameo.id}/kit/face.png`);
    const photo = await storage.put(new Uint8Array([1, 2, 3]), { maxBytes: 10 });
    await pool.query(
      "INSERT INTO media (id, owner_id, kind, content_type, bytes) VALUES ($1, $2, 'avatar', 'image/webp', 3)",
      [photo.id, ana.id],
    );
    await pool.query("UPDATE users SET photo_media_id = $2 WHERE id = $1", [ana.id, photo.id]);
    const photoFile = path.join(root, "media", photo.id.slice(0, 2), photo.id);
    expect(existsSync(photoFile)).toBe(true);

    const out = await deleteAccount(
      pool,
      ana.id,
      { password: PASSWORD, confirm: "DELETE" },
      { root, media: storage },
    );

    expect(out.posts).toBe(1);
    expect(out.cameos).toBe(1);
    expect(out.workspacesDeleted).toEqual(["ws"]);
    expect(out.workspacesKept).toEqual([
      { name: "Team Ana", owner: ben.username },
      { name: "Cleo's", owner: cleo.username },
    ]);
    expect(out.draftsDeleted).toBe(1);
    expect(out.draftsHandedOver).toBe(2);

    // Rows: the account and everything personal are gone.
    expect(await count("SELECT 1 FROM users WHERE id = $1", [ana.id])).toBe(0);
    expect(await count("SELECT 1 FROM posts WHERE author_id = $1", [ana.id])).toBe(0);
    expect(await count("SELECT 1 FROM cameos WHERE owner_id = $1", [ana.id])).toBe(0);
    expect(await count("SELECT 1 FROM workspaces WHERE id = $1", [solo.workspaceId])).toBe(0);
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [solo.draftId])).toBe(0);
    expect(await count("SELECT 1 FROM media WHERE owner_id = $1", [ana.id])).toBe(0);
    expect(await count("SELECT 1 FROM follows WHERE follower_id = $1", [ana.id])).toBe(0);
    expect(await count("SELECT 1 FROM project_remixes WHERE remix_of = $1", [postId])).toBe(0);
    // Counters that her rows fed are right again.
    expect(
      await one("SELECT like_count, comment_count FROM posts WHERE id = $1", [bensPost]),
    ).toEqual({
      like_count: 0,
      comment_count: 0,
    });
    expect(
      (
        await one<{ follower_count: number }>(
          "SELECT follower_count FROM social_profiles WHERE user_id = $1",
          [ben.id],
        )
      ).follower_count,
    ).toBe(0);
    // The moderation log keeps the decision, without a name.
    expect(
      await one("SELECT moderator_id FROM moderation_decisions WHERE id = $1", [decision.id]),
    ).toEqual({
      moderator_id: null,
    });

    // Shared workspaces continue: Ben owns "Team Ana" now; Ana's drafts there are the owners'.
    expect(
      await one("SELECT role FROM workspace_members WHERE workspace_id = $1 AND user_id = $2", [
        shared.workspaceId,
        ben.id,
      ]),
    ).toEqual({ role: "owner" });
    expect(
      await one("SELECT created_by FROM workspaces WHERE id = $1", [shared.workspaceId]),
    ).toEqual({ created_by: ben.id });
    expect(await one("SELECT created_by FROM projects WHERE id = $1", [shared.projectId])).toEqual({
      created_by: ben.id,
    });
    expect(await one("SELECT created_by FROM drafts WHERE id = $1", [anasShared.draftId])).toEqual({
      created_by: ben.id,
    });
    expect(await one("SELECT created_by FROM drafts WHERE id = $1", [anasAtCleo.draftId])).toEqual({
      created_by: cleo.id,
    });
    expect(await one("SELECT owner_id FROM media WHERE id = $1", [anasShared.mediaId])).toEqual({
      owner_id: ben.id,
    });
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [bensShared.draftId])).toBe(1);

    // Files: hers are gone, the team's stay.
    for (const f of [...postFiles, soloVideo]) expect(existsSync(abs(f)), f).toBe(false);
    expect(existsSync(abs(`posts/${solo.draftId}`))).toBe(false);
    expect(existsSync(abs(`cameos/${cameo.id}`))).toBe(false);
    expect(existsSync(photoFile)).toBe(false);
    for (const f of [...anasShared.files, ...bensShared.files, ...anasAtCleo.files])
      expect(existsSync(abs(f)), f).toBe(true);
  });

  it("refuses a wrong password or a missing confirmation, and deletes nothing", async () => {
    const u = await withPassword(await makeUser(pool));
    const d = await makeDraft(pool, u);
    await expect(
      deleteAccount(pool, u.id, { password: "not-it-at-all-1", confirm: "DELETE" }, { root }),
    ).rejects.toMatchObject({ status: 401, field: "password" });
    await expect(
      deleteAccount(pool, u.id, { password: PASSWORD, confirm: "delete it" }, { root }),
    ).rejects.toMatchObject({ status: 400, field: "confirm" });
    expect(await count("SELECT 1 FROM users WHERE id = $1", [u.id])).toBe(1);
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [d.draftId])).toBe(1);
  });

  it("refuses the last administrator", async () => {
    const admin = await withPassword(await makeUser(pool));
    // The test database may hold other administrators from other files: make this one the only one.
    const others = await pool.query<{ id: string }>("SELECT id FROM users WHERE is_admin");
    await pool.query("UPDATE users SET is_admin = false WHERE is_admin");
    await pool.query("UPDATE users SET is_admin = true WHERE id = $1", [admin.id]);
    try {
      await expect(
        deleteAccount(pool, admin.id, { password: PASSWORD, confirm: "DELETE" }, { root }),
      ).rejects.toMatchObject({
        status: 403,
        message: expect.stringContaining("only administrator"),
      });
      expect(await count("SELECT 1 FROM users WHERE id = $1", [admin.id])).toBe(1);
    } finally {
      await pool.query("UPDATE users SET is_admin = true WHERE id = ANY($1::uuid[])", [
        others.rows.map((r) => r.id),
      ]);
    }
  });
});
