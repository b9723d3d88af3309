import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { type Pool, transaction } from "../db/pool.server.ts";
import type { MediaStorage } from "../media/storage.server.ts";
import { dataDir } from "../paths.server.ts";
import { AccountError } from "./errors.ts";
import { verifyPassword } from "./password.server.ts";
import { DELETE_CONFIRMATION } from "./validation.ts";

export { DELETE_CONFIRMATION };

/**
 * Deleting an account (issue 17 item 2), in one transaction, with the files removed after it
 * commits. What happens, as /settings states it:
 *
 * - **Posts**: every post of the account is deleted with its files (rendition, poster, download);
 *   remixes other people made of them stay, without the link to the original.
 * - **Cameos**: deleted, with their recordings and likeness kits (cameos/<id>/). Drafts that cast
 *   them stay in their projects.
 * - **Workspaces where the account is the only member**: deleted with their projects, drafts and
 *   draft files.
 * - **Workspaces shared with others**: they continue. If the account was their only owner, the
 *   longest-standing remaining member becomes owner. Projects, drafts and edits the account made
 *   there are handed to that workspace's owner, so the team keeps its work.
 * - **Everything else personal** goes with the account row: comments (with their replies), likes,
 *   follows, blocks, notifications, reports made, sessions, API keys and webhooks' keys, invite
 *   codes not yet used, the profile photo. Moderation decisions the account made stay logged
 *   without a name; role-change log rows about it go.
 *
 * Refused with a clear message, changing nothing: a wrong password, a missing "DELETE"
 * confirmation, and the last administrator (make someone else an administrator first).
 */

export interface AccountDeletion {
  posts: number;
  cameos: number;
  workspacesDeleted: string[];
  /** Shared workspaces the account left: name and who owns them now. */
  workspacesKept: { name: string; owner: string }[];
  draftsDeleted: number;
  draftsHandedOver: number;
  /** Files removed from disk, relative to the data dir (folders are removed recursively). */
  files: string[];
  /** Media rows (avatar, uploads, draft files) removed from storage. */
  media: number;
}

async function checkPassword(pool: Pool, userId: string, password: unknown): Promise<void> {
  const r = await pool.query<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE id = $1",
    [userId],
  );
  const hash = r.rows[0]?.password_hash;
  if (!hash) throw new AccountError("not_found", "That account no longer exists.");
  if (typeof password !== "string" || !(await verifyPassword(password, hash)))
    throw new AccountError("bad_credentials", "That is not your current password.", "password");
}

/** A post's own files: what its publish workflow wrote under posts/<draft id>/. */
function postFiles(row: {
  draft_id: string | null;
  publish_workflow_id: string | null;
  files: (string | null)[];
}): string[] {
  if (!row.draft_id || row.publish_workflow_id !== `publish:${row.draft_id}`) return [];
  const dir = path.posix.join("posts", row.draft_id);
  return row.files.filter(
    (f): f is string => !!f && path.posix.dirname(path.posix.normalize(f)) === dir,
  );
}

export async function deleteAccount(
  pool: Pool,
  userId: string,
  input: { password: unknown; confirm: unknown },
  opts: { root?: string; media?: MediaStorage } = {},
): Promise<AccountDeletion> {
  const root = path.resolve(opts.root ?? dataDir());
  if (String(input.confirm ?? "").trim() !== DELETE_CONFIRMATION)
    throw new AccountError(
      "invalid_input",
      `Type ${DELETE_CONFIRMATION} to confirm that the account and its videos are deleted.`,
      "confirm",
    );
  await checkPassword(pool, userId, input.password);

  const out = await transaction(pool, async (c) => {
    const me = await c.query<{ is_admin: boolean }>(
      "SELECT is_admin FROM users WHERE id = $1 FOR UPDATE",
      [userId],
    );
    if (!me.rows[0]) throw new AccountError("not_found", "That account no longer exists.");
    if (me.rows[0].is_admin) {
      const others = await c.query("SELECT 1 FROM users WHERE is_admin AND id <> $1 LIMIT 1", [
        userId,
      ]);
      if (!others.rowCount)
        throw new AccountError(
          "forbidden",
          "You are the only administrator. Make someone else an administrator first (Admin → Moderators and administrators).",
        );
    }
    const files: string[] = [];
    const dirs: string[] = [];

    // Posts: their files go; the rows go with the account (comments, likes, tags cascade).
    const posts = await c.query<{
      draft_id: string | null;
      publish_workflow_id: string | null;
      files: (string | null)[];
    }>(
      `SELECT draft_id, publish_workflow_id, ARRAY[video_path, poster_path, download_path] AS files
         FROM posts WHERE author_id = $1`,
      [userId],
    );
    for (const p of posts.rows) {
      files.push(...postFiles(p));
      if (p.draft_id && p.publish_workflow_id === `publish:${p.draft_id}`)
        dirs.push(path.posix.join("posts", p.draft_id));
    }
    // Remixes of these posts lose their count source; their own rows stay (remix_of SET NULL).

    // Cameos: their folders.
    const cameos = await c.query<{ dir: string }>("SELECT dir FROM cameos WHERE owner_id = $1", [
      userId,
    ]);
    for (const k of cameos.rows) if (k.dir.startsWith("cameos/")) dirs.push(k.dir);

    // Workspaces.
    const spaces = await c.query<{ id: string; name: string; others: number; owners: number }>(
      `SELECT w.id, w.name,
              (SELECT count(*)::int FROM workspace_members o WHERE o.workspace_id = w.id AND o.user_id <> $1) AS others,
              (SELECT count(*)::int FROM workspace_members o
                WHERE o.workspace_id = w.id AND o.user_id <> $1 AND o.role = 'owner') AS owners
         FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = $1
        ORDER BY w.created_at`,
      [userId],
    );
    const workspacesDeleted: string[] = [];
    const workspacesKept: { name: string; owner: string }[] = [];
    let draftsDeleted = 0;
    let draftsHandedOver = 0;
    const draftMedia: string[] = [];
    for (const w of spaces.rows) {
      if (w.others === 0) {
        const d = await c.query<{
          video_path: string;
          poster_path: string;
          sprite_path: string;
          export_path: string | null;
          media: string[];
        }>(
          `SELECT d.video_path, d.poster_path, d.sprite_path, d.export_path,
                  ARRAY[d.video_media_id, d.poster_media_id, d.sprite_media_id]::text[] AS media
             FROM drafts d JOIN projects p ON p.id = d.project_id WHERE p.workspace_id = $1`,
          [w.id],
        );
        for (const x of d.rows) {
          files.push(x.video_path, x.poster_path, x.sprite_path);
          if (x.export_path) files.push(x.export_path);
          draftMedia.push(...x.media);
        }
        draftsDeleted += d.rowCount ?? 0;
        await c.query("DELETE FROM workspaces WHERE id = $1", [w.id]);
        workspacesDeleted.push(w.name);
        continue;
      }
      if (w.owners === 0) {
        await c.query(
          `UPDATE workspace_members SET role = 'owner'
            WHERE (workspace_id, user_id) = (
              SELECT workspace_id, user_id FROM workspace_members
               WHERE workspace_id = $1 AND user_id <> $2
               ORDER BY CASE role WHEN 'editor' THEN 0 WHEN 'commenter' THEN 1 ELSE 2 END, added_at
               LIMIT 1)`,
          [w.id, userId],
        );
      }
      const heir = await c.query<{ user_id: string; username: string | null }>(
        `SELECT m.user_id, u.username FROM workspace_members m JOIN users u ON u.id = m.user_id
          WHERE m.workspace_id = $1 AND m.user_id <> $2 AND m.role = 'owner'
          ORDER BY m.added_at LIMIT 1`,
        [w.id, userId],
      );
      const to = heir.rows[0]!;
      await c.query("UPDATE workspaces SET created_by = $2 WHERE id = $1 AND created_by = $3", [
        w.id,
        to.user_id,
        userId,
      ]);
      await c.query(
        "UPDATE projects SET created_by = $2 WHERE workspace_id = $1 AND created_by = $3",
        [w.id, to.user_id, userId],
      );
      const handed = await c.query<{ workflow_id: string; media: string[] }>(
        `UPDATE drafts d SET created_by = $2 FROM projects p
          WHERE p.id = d.project_id AND p.workspace_id = $1 AND d.created_by = $3
          RETURNING d.workflow_id, ARRAY[d.video_media_id, d.poster_media_id, d.sprite_media_id]::text[] AS media`,
        [w.id, to.user_id, userId],
      );
      draftsHandedOver += handed.rowCount ?? 0;
      const handedMedia = handed.rows.flatMap((h) => h.media);
      if (handedMedia.length)
        await c.query("UPDATE media SET owner_id = $2 WHERE id = ANY($1::uuid[])", [
          handedMedia,
          to.user_id,
        ]);
      await c.query(
        `UPDATE generation_jobs j SET user_id = $2 FROM projects p
          WHERE p.id = j.project_id AND p.workspace_id = $1 AND j.user_id = $3`,
        [w.id, to.user_id, userId],
      );
      await c.query(
        `UPDATE edits e SET created_by = $2 FROM projects p
          WHERE p.id = e.project_id AND p.workspace_id = $1 AND e.created_by = $3`,
        [w.id, to.user_id, userId],
      );
      workspacesKept.push({ name: w.name, owner: to.username ?? "the owner" });
    }

    // Workspaces and projects the account created but is no longer a member of: credited to
    // one of their owners (or their longest-standing member); with nobody left, deleted.
    await c.query(
      `UPDATE workspaces w SET created_by = coalesce(
          (SELECT user_id FROM workspace_members
            WHERE workspace_id = w.id AND user_id <> $1
            ORDER BY role = 'owner' DESC, added_at LIMIT 1), w.created_by)
        WHERE w.created_by = $1`,
      [userId],
    );
    const empty = await c.query<{ name: string }>(
      "DELETE FROM workspaces WHERE created_by = $1 RETURNING name",
      [userId],
    );
    workspacesDeleted.push(...empty.rows.map((r) => r.name));
    await c.query(
      `UPDATE projects p SET created_by = w.created_by FROM workspaces w
        WHERE w.id = p.workspace_id AND p.created_by = $1`,
      [userId],
    );

    // Counters on other people's posts and profiles that this account's rows fed.
    const liked = await c.query<{ post_id: string }>(
      `SELECT post_id FROM likes WHERE user_id = $1
       UNION SELECT post_id FROM comments WHERE author_id = $1`,
      [userId],
    );
    const follows = await c.query<{ user_id: string }>(
      `SELECT followee_id AS user_id FROM follows WHERE follower_id = $1
       UNION SELECT follower_id FROM follows WHERE followee_id = $1`,
      [userId],
    );
    const owned = await c.query<{ id: string }>(
      "SELECT id FROM media WHERE owner_id = $1 AND NOT (id = ANY($2::uuid[]))",
      [userId, draftMedia],
    );

    await c.query("DELETE FROM users WHERE id = $1", [userId]);

    const touched = liked.rows.map((r) => r.post_id);
    if (touched.length)
      await c.query(
        `UPDATE posts p SET
            like_count = (SELECT count(*)::int FROM likes l WHERE l.post_id = p.id),
            comment_count = (SELECT count(*)::int FROM comments m
                              WHERE m.post_id = p.id AND m.deleted_at IS NULL)
          WHERE p.id = ANY($1::uuid[])`,
        [touched],
      );
    const people = follows.rows.map((r) => r.user_id);
    if (people.length)
      await c.query(
        `UPDATE social_profiles s SET
            follower_count = (SELECT count(*)::int FROM follows f WHERE f.followee_id = s.user_id),
            following_count = (SELECT count(*)::int FROM follows f WHERE f.follower_id = s.user_id)
          WHERE s.user_id = ANY($1::uuid[])`,
        [people],
      );
    return {
      posts: posts.rowCount ?? 0,
      cameos: cameos.rowCount ?? 0,
      workspacesDeleted,
      workspacesKept,
      draftsDeleted,
      draftsHandedOver,
      files,
      dirs,
      media: [...draftMedia, ...owned.rows.map((r) => r.id)],
    };
  });

  // After the commit: the files. A file outside the data dir is never touched.
  const inside = (rel: string) => {
    const abs = path.resolve(root, rel);
    return abs.startsWith(root + path.sep) ? abs : null;
  };
  const parents = new Set<string>();
  for (const f of out.files) {
    const abs = inside(f);
    if (!abs) continue;
    await rm(abs, { force: true }).catch(() => {});
    parents.add(path.dirname(abs));
  }
  for (const d of out.dirs) {
    const abs = inside(d);
    if (abs) await rm(abs, { recursive: true, force: true }).catch(() => {});
  }
  for (const p of parents) if (p !== root) await rmdir(p).catch(() => {});
  if (opts.media) for (const id of out.media) await opts.media.delete(id).catch(() => {});
  return {
    posts: out.posts,
    cameos: out.cameos,
    workspacesDeleted: out.workspacesDeleted,
    workspacesKept: out.workspacesKept,
    draftsDeleted: out.draftsDeleted,
    draftsHandedOver: out.draftsHandedOver,
    files: [...out.files, ...out.dirs],
    media: out.media.length,
  };
}
