import { afterAll, describe, expect, it } from "vitest";
import { docName } from "../collab/docs.ts";
import { addShot, listShots, userOrigin } from "../collab/schema.ts";
import { testPool, uniq } from "../testing/db.ts";
import { appendUpdates, compactDoc, loadDocState, loadYDoc } from "./documents.server.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "./errors.ts";
import {
  createProject,
  deleteProject,
  getProject,
  listProjects,
  renameProject,
} from "./projects.server.ts";
import {
  createShareLink,
  liveShareLink,
  resolveShareToken,
  revokeShareLink,
} from "./share-links.server.ts";
import {
  createSnapshot,
  ensureDailySnapshot,
  listSnapshots,
  previewSnapshot,
  restoreSnapshot,
} from "./snapshots.server.ts";
import {
  acceptInvite,
  changeRole,
  createInviteLink,
  createWorkspace,
  declineInvite,
  inviteByUsername,
  listInvites,
  listMembers,
  listWorkspaces,
  myInvites,
  redeemInviteLink,
  removeMember,
  revokeInvite,
} from "./workspaces.server.ts";

const pool = testPool();
afterAll(() => pool.end());

async function user(): Promise<{ id: string; username: string }> {
  const username = uniq("u").slice(0, 30);
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${username}@example.test`, username],
  );
  return { id: r.rows[0]!.id, username };
}

async function team() {
  const [owner, editor, commenter, viewer, outsider] = await Promise.all([
    user(),
    user(),
    user(),
    user(),
    user(),
  ]);
  const ws = await createWorkspace(pool, owner.id, "Agency");
  for (const [u, role] of [
    [editor, "editor"],
    [commenter, "commenter"],
    [viewer, "viewer"],
  ] as const) {
    const inv = await inviteByUsername(pool, owner.id, ws.id, u.username, role);
    await acceptInvite(pool, u.id, inv.id);
  }
  return { owner, editor, commenter, viewer, outsider, ws };
}

describe("workspaces and roles", () => {
  it("[C2] invite by username, accept, and every role is checked; outsiders get NotFound", async () => {
    const t = await team();
    const members = await listMembers(pool, t.viewer.id, t.ws.id);
    expect(members.map((m) => m.role)).toEqual(["owner", "editor", "commenter", "viewer"]);
    expect((await listWorkspaces(pool, t.commenter.id)).map((w) => w.id)).toContain(t.ws.id);
    // [C3] outsiders cannot tell the workspace exists; weak roles get Forbidden.
    await expect(listMembers(pool, t.outsider.id, t.ws.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      inviteByUsername(pool, t.viewer.id, t.ws.id, t.outsider.username, "viewer"),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // Editors cannot hand out owner or editor.
    await expect(
      inviteByUsername(pool, t.editor.id, t.ws.id, t.outsider.username, "owner"),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      inviteByUsername(pool, t.owner.id, t.ws.id, "no_such_user_zz", "viewer"),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      inviteByUsername(pool, t.owner.id, t.ws.id, t.viewer.username, "viewer"),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      inviteByUsername(pool, t.owner.id, t.ws.id, t.outsider.username, "king" as never),
    ).rejects.toBeInstanceOf(InvalidError);
    const inv = await inviteByUsername(pool, t.owner.id, t.ws.id, t.outsider.username, "viewer");
    expect((await myInvites(pool, t.outsider.id)).map((i) => i.id)).toEqual([inv.id]);
    // Someone else cannot accept an invite addressed to the outsider.
    await expect(acceptInvite(pool, t.viewer.id, inv.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("[C2] invite links expire; changing roles; the last owner cannot be removed or demoted", async () => {
    const t = await team();
    const { token, invite } = await createInviteLink(pool, t.owner.id, t.ws.id, "commenter", 3600);
    expect(await redeemInviteLink(pool, t.outsider.id, token)).toEqual({
      workspaceId: t.ws.id,
      role: "commenter",
    });
    await pool.query(
      "UPDATE workspace_invites SET expires_at = now() - interval '1 second' WHERE id = $1",
      [invite.id],
    );
    const late = await user();
    await expect(redeemInviteLink(pool, late.id, token)).rejects.toBeInstanceOf(NotFoundError);
    await expect(createInviteLink(pool, t.owner.id, t.ws.id, "viewer", 5)).rejects.toBeInstanceOf(
      InvalidError,
    );

    await changeRole(pool, t.owner.id, t.ws.id, t.viewer.id, "editor");
    await expect(
      changeRole(pool, t.owner.id, t.ws.id, t.owner.id, "editor"),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(removeMember(pool, t.owner.id, t.ws.id, t.owner.id)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(removeMember(pool, t.commenter.id, t.ws.id, t.editor.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await changeRole(pool, t.owner.id, t.ws.id, t.editor.id, "owner");
    await removeMember(pool, t.editor.id, t.ws.id, t.owner.id); // two owners: now allowed
    const roles = Object.fromEntries(
      (await listMembers(pool, t.editor.id, t.ws.id)).map((m) => [m.userId, m.role]),
    );
    expect(roles[t.owner.id]).toBeUndefined();
    expect(roles[t.viewer.id]).toBe("editor");
    await removeMember(pool, t.commenter.id, t.ws.id, t.commenter.id); // leaving
    await expect(listProjects(pool, t.commenter.id, t.ws.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("invites", () => {
  it("[C2] pending invites are listed for editors only; revoked or declined invites cannot be accepted", async () => {
    const t = await team();
    const [a, b] = await Promise.all([user(), user()]);
    const ia = await inviteByUsername(pool, t.owner.id, t.ws.id, a.username, "viewer");
    const ib = await inviteByUsername(pool, t.editor.id, t.ws.id, b.username, "commenter");
    const link = await createInviteLink(pool, t.owner.id, t.ws.id, "viewer", 600);
    expect((await listInvites(pool, t.editor.id, t.ws.id)).map((i) => i.id).sort()).toEqual(
      [ia.id, ib.id, link.invite.id].sort(),
    );
    await expect(listInvites(pool, t.viewer.id, t.ws.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listInvites(pool, t.outsider.id, t.ws.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeInvite(pool, t.owner.id, t.ws.id, ia.id);
    await expect(acceptInvite(pool, a.id, ia.id)).rejects.toBeInstanceOf(NotFoundError);
    await declineInvite(pool, b.id, ib.id);
    await expect(acceptInvite(pool, b.id, ib.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeInvite(pool, t.editor.id, t.ws.id, link.invite.id);
    await expect(redeemInviteLink(pool, a.id, link.token)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listInvites(pool, t.owner.id, t.ws.id)).toEqual([]);
    const roles = (await listMembers(pool, t.owner.id, t.ws.id)).map((m) => m.userId);
    expect(roles).not.toContain(a.id);
    expect(roles).not.toContain(b.id);
  });
});

describe("projects and share links", () => {
  it("[C2] project CRUD by role; [C3] other people's projects are NotFound", async () => {
    const t = await team();
    const p = await createProject(pool, t.editor.id, t.ws.id, "Launch film");
    await expect(createProject(pool, t.commenter.id, t.ws.id, "x")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(createProject(pool, t.editor.id, t.ws.id, "  ")).rejects.toBeInstanceOf(
      InvalidError,
    );
    expect((await getProject(pool, t.viewer.id, p.id)).title).toBe("Launch film");
    await expect(getProject(pool, t.outsider.id, p.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getProject(pool, t.outsider.id, "not-a-uuid")).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(renameProject(pool, t.viewer.id, p.id, "Mine")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await renameProject(pool, t.owner.id, p.id, "Launch film v2");
    expect((await listProjects(pool, t.viewer.id, t.ws.id)).map((x) => x.title)).toEqual([
      "Launch film v2",
    ]);
    await deleteProject(pool, t.owner.id, p.id);
    await expect(getProject(pool, t.owner.id, p.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("[C6] share links: editors create them, guests resolve them until revoked or expired", async () => {
    const t = await team();
    const p = await createProject(pool, t.owner.id, t.ws.id, "Review me");
    await expect(
      createShareLink(pool, t.commenter.id, p.id, { rights: "view" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      createShareLink(pool, t.editor.id, p.id, { rights: "edit" as never }),
    ).rejects.toBeInstanceOf(InvalidError);
    const { link, token } = await createShareLink(pool, t.editor.id, p.id, { rights: "comment" });
    expect((await resolveShareToken(pool, token)).id).toBe(link.id);
    await expect(resolveShareToken(pool, `${token}x`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeShareLink(pool, t.outsider.id, link.id)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await revokeShareLink(pool, t.editor.id, link.id);
    await expect(resolveShareToken(pool, token)).rejects.toBeInstanceOf(NotFoundError);
    expect(await liveShareLink(pool, link.id)).toBeNull();
    const expiring = await createShareLink(pool, t.owner.id, p.id, {
      rights: "view",
      ttlSeconds: 60,
    });
    expect(await liveShareLink(pool, expiring.link.id)).not.toBeNull();
    await pool.query(
      "UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [expiring.link.id],
    );
    await expect(resolveShareToken(pool, expiring.token)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("documents and version history", () => {
  async function writeShots(name: string, prompts: string[]) {
    const d = await loadYDoc(pool, name);
    const ups: Uint8Array[] = [];
    d.on("update", (u: Uint8Array) => ups.push(u));
    for (const pr of prompts) addShot(d, { prompt: pr }, userOrigin("test"));
    await appendUpdates(
      pool,
      ups.map((update) => ({ name, update })),
    );
  }

  it("[C7] stored state is compacted state plus later updates", async () => {
    const name = docName(crypto.randomUUID(), "storyboard");
    await writeShots(name, ["a", "b"]);
    const s1 = await loadDocState(pool, name);
    await compactDoc(pool, name, s1.update, s1.lastUpdateId);
    await writeShots(name, ["c"]);
    const d = await loadYDoc(pool, name);
    expect(listShots(d).map((s) => s.prompt)).toEqual(["a", "b", "c"]);
    const n = await pool.query("SELECT count(*) AS n FROM yjs_updates WHERE name = $1", [name]);
    expect(n.rows[0].n).toBe(1);
  });

  it("[C20] [C21] [C22] named snapshot, preview, restore, and undo of the restore; daily auto snapshot once", async () => {
    const t = await team();
    const p = await createProject(pool, t.owner.id, t.ws.id, "History");
    const sb = docName(p.id, "storyboard");
    await writeShots(sb, ["first"]);
    const v1 = await createSnapshot(pool, t.editor.id, p.id, "v1");
    await expect(createSnapshot(pool, t.viewer.id, p.id, "nope")).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await writeShots(sb, ["second"]);
    const preview = await previewSnapshot(pool, t.viewer.id, v1.id);
    expect(Object.values(preview.docs.storyboard!.shots as object).map((s) => s.prompt)).toEqual([
      "first",
    ]);
    await expect(previewSnapshot(pool, t.outsider.id, v1.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(restoreSnapshot(pool, t.commenter.id, v1.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );

    const { undoSnapshot } = await restoreSnapshot(pool, t.editor.id, v1.id);
    expect(listShots(await loadYDoc(pool, sb)).map((s) => s.prompt)).toEqual(["first"]);
    await restoreSnapshot(pool, t.editor.id, undoSnapshot.id);
    expect(listShots(await loadYDoc(pool, sb)).map((s) => s.prompt)).toEqual(["first", "second"]);
    const kinds = (await listSnapshots(pool, t.viewer.id, p.id)).map((s) => s.kind).sort();
    expect(kinds).toEqual(["manual", "pre-restore", "pre-restore"]);

    expect(await ensureDailySnapshot(pool, p.id)).not.toBeNull();
    expect(await ensureDailySnapshot(pool, p.id)).toBeNull();
  });
});
