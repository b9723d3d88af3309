import { z } from "zod";
import { type Pool, transaction } from "../db/pool.server.ts";
import type { Mailer } from "../mail/mailer.server.ts";
import { workspaceInviteMail } from "../mail/templates.ts";
import { hashToken, isUuid, memberRole, newToken, type Queryable } from "./db.server.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from "./errors.ts";
import { atLeast, type Role, roleSchema } from "./roles.ts";

/**
 * Workspaces (teams), members and invites. Every function takes the acting user's id first and
 * checks their role: NotFound when the actor may not see the workspace, Forbidden when they see it
 * but their role is too weak (docs/collab-spec.md [C2], [C3]).
 */

export type Workspace = { id: string; name: string; role: Role; createdAt: Date };
export type Member = { userId: string; username: string; displayName: string; role: Role };
export type Invite = {
  id: string;
  workspaceId: string;
  role: Role;
  inviteeId: string | null;
  isLink: boolean;
  expiresAt: Date | null;
  createdAt: Date;
};

const nameSchema = z.string().trim().min(1).max(80);

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidError(`${what}: ${r.error.issues[0]?.message ?? "invalid"}`);
  return r.data;
}

/** The actor's role, or NotFound when they are not a member (existence is not revealed). */
export async function requireRole(q: Queryable, actorId: string, workspaceId: string, min: Role) {
  const role = await memberRole(q, actorId, workspaceId);
  if (!role) throw new NotFoundError("workspace not found");
  if (!atLeast(role, min)) throw new ForbiddenError(`requires ${min}`);
  return role;
}

export async function createWorkspace(
  pool: Pool,
  actorId: string,
  name: string,
): Promise<Workspace> {
  const n = parse(nameSchema, name, "name");
  if (!isUuid(actorId)) throw new NotFoundError("user not found");
  return transaction(pool, async (c) => {
    const w = await c.query<{ id: string; created_at: Date }>(
      "INSERT INTO workspaces (name, created_by) VALUES ($1, $2) RETURNING id, created_at",
      [n, actorId],
    );
    const row = w.rows[0]!;
    await c.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
      [row.id, actorId],
    );
    return { id: row.id, name: n, role: "owner" as const, createdAt: row.created_at };
  });
}

export async function listWorkspaces(pool: Pool, actorId: string): Promise<Workspace[]> {
  if (!isUuid(actorId)) return [];
  const r = await pool.query<{ id: string; name: string; role: Role; created_at: Date }>(
    `SELECT w.id, w.name, m.role, w.created_at FROM workspaces w
       JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = $1
      ORDER BY w.created_at`,
    [actorId],
  );
  return r.rows.map((w) => ({ id: w.id, name: w.name, role: w.role, createdAt: w.created_at }));
}

export async function getWorkspace(
  pool: Pool,
  actorId: string,
  workspaceId: string,
): Promise<Workspace> {
  const role = await requireRole(pool, actorId, workspaceId, "viewer");
  const r = await pool.query<{ id: string; name: string; created_at: Date }>(
    "SELECT id, name, created_at FROM workspaces WHERE id = $1",
    [workspaceId],
  );
  const w = r.rows[0];
  if (!w) throw new NotFoundError("workspace not found");
  return { id: w.id, name: w.name, role, createdAt: w.created_at };
}

export async function renameWorkspace(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  name: string,
) {
  const n = parse(nameSchema, name, "name");
  await requireRole(pool, actorId, workspaceId, "owner");
  await pool.query("UPDATE workspaces SET name = $2 WHERE id = $1", [workspaceId, n]);
}

export async function deleteWorkspace(pool: Pool, actorId: string, workspaceId: string) {
  await requireRole(pool, actorId, workspaceId, "owner");
  await pool.query("DELETE FROM workspaces WHERE id = $1", [workspaceId]);
}

export async function listMembers(
  pool: Pool,
  actorId: string,
  workspaceId: string,
): Promise<Member[]> {
  await requireRole(pool, actorId, workspaceId, "viewer");
  const r = await pool.query<{
    user_id: string;
    username: string;
    display_name: string;
    role: Role;
  }>(
    `SELECT m.user_id, u.username, u.display_name, m.role FROM workspace_members m
       JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 ORDER BY m.added_at`,
    [workspaceId],
  );
  return r.rows.map((m) => ({
    userId: m.user_id,
    username: m.username,
    displayName: m.display_name,
    role: m.role,
  }));
}

/** Only owners may grant or take the owner role; editors manage commenters and viewers. */
function assertMayAssign(actorRole: Role, from: Role | null, to: Role) {
  if (actorRole === "owner") return;
  if (
    actorRole === "editor" &&
    to !== "owner" &&
    to !== "editor" &&
    from !== "owner" &&
    from !== "editor"
  )
    return;
  throw new ForbiddenError("your role cannot assign this role");
}

/**
 * Invites an existing user by username. The invitee accepts with acceptInvite; with `mail` they
 * are told by email (and the invitation shows on their Projects page either way).
 */
export async function inviteByUsername(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  username: string,
  role: Role,
  mail?: { mailer: Mailer; baseUrl: string },
): Promise<Invite> {
  const r = parse(roleSchema, role, "role");
  const actorRole = await requireRole(pool, actorId, workspaceId, "editor");
  assertMayAssign(actorRole, null, r);
  const u = await pool.query<{ id: string }>(
    "SELECT id FROM users WHERE lower(username) = lower($1)",
    [username],
  );
  const invitee = u.rows[0];
  if (!invitee) throw new NotFoundError("user not found");
  if (await memberRole(pool, invitee.id, workspaceId)) throw new ConflictError("already a member");
  try {
    const ins = await pool.query<{ id: string; created_at: Date }>(
      `INSERT INTO workspace_invites (workspace_id, role, invitee_id, created_by)
       VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
      [workspaceId, r, invitee.id, actorId],
    );
    const row = ins.rows[0]!;
    if (mail) {
      const info = await pool.query<{ email: string; inviter: string; workspace: string }>(
        `SELECT i.email, a.username AS inviter, w.name AS workspace
           FROM users i, users a, workspaces w WHERE i.id = $1 AND a.id = $2 AND w.id = $3`,
        [invitee.id, actorId, workspaceId],
      );
      const m = info.rows[0];
      if (m)
        await mail.mailer.send(
          workspaceInviteMail(m.email, {
            inviter: m.inviter,
            workspace: m.workspace,
            role: r,
            url: `${mail.baseUrl}/projects`,
          }),
        );
    }
    return {
      id: row.id,
      workspaceId,
      role: r,
      inviteeId: invitee.id,
      isLink: false,
      expiresAt: null,
      createdAt: row.created_at,
    };
  } catch (err) {
    if ((err as { code?: string }).code === "23505") throw new ConflictError("already invited");
    throw err;
  }
}

/** Pending invites addressed to the actor. */
export async function myInvites(pool: Pool, actorId: string) {
  if (!isUuid(actorId)) return [];
  const r = await pool.query<{
    id: string;
    workspace_id: string;
    name: string;
    role: Role;
    created_at: Date;
  }>(
    `SELECT i.id, i.workspace_id, w.name, i.role, i.created_at FROM workspace_invites i
       JOIN workspaces w ON w.id = i.workspace_id
      WHERE i.invitee_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
      ORDER BY i.created_at`,
    [actorId],
  );
  return r.rows.map((i) => ({
    id: i.id,
    workspaceId: i.workspace_id,
    workspaceName: i.name,
    role: i.role,
    createdAt: i.created_at,
  }));
}

export async function acceptInvite(pool: Pool, actorId: string, inviteId: string): Promise<Role> {
  if (!isUuid(inviteId) || !isUuid(actorId)) throw new NotFoundError("invite not found");
  return transaction(pool, async (c) => {
    const r = await c.query<{ workspace_id: string; role: Role }>(
      `UPDATE workspace_invites SET accepted_at = now()
        WHERE id = $1 AND invitee_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL
        RETURNING workspace_id, role`,
      [inviteId, actorId],
    );
    const inv = r.rows[0];
    if (!inv) throw new NotFoundError("invite not found");
    await c.query(
      `INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id, user_id) DO NOTHING`,
      [inv.workspace_id, actorId, inv.role],
    );
    return inv.role;
  });
}

export async function declineInvite(pool: Pool, actorId: string, inviteId: string) {
  if (!isUuid(inviteId) || !isUuid(actorId)) throw new NotFoundError("invite not found");
  const r = await pool.query(
    "UPDATE workspace_invites SET revoked_at = now() WHERE id = $1 AND invitee_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    [inviteId, actorId],
  );
  if (r.rowCount === 0) throw new NotFoundError("invite not found");
}

const ttlSchema = z
  .number()
  .int()
  .min(60)
  .max(30 * 24 * 3600);

/** An invite link that any signed-in user can redeem until it expires or is revoked. */
export async function createInviteLink(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  role: Role,
  ttlSeconds: number,
): Promise<{ invite: Invite; token: string }> {
  const r = parse(roleSchema, role, "role");
  const ttl = parse(ttlSchema, ttlSeconds, "ttlSeconds");
  const actorRole = await requireRole(pool, actorId, workspaceId, "editor");
  assertMayAssign(actorRole, null, r);
  const { token, hash } = newToken();
  const ins = await pool.query<{ id: string; created_at: Date; expires_at: Date }>(
    `INSERT INTO workspace_invites (workspace_id, role, token_hash, created_by, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING id, created_at, expires_at`,
    [workspaceId, r, hash, actorId, ttl],
  );
  const row = ins.rows[0]!;
  return {
    token,
    invite: {
      id: row.id,
      workspaceId,
      role: r,
      inviteeId: null,
      isLink: true,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
    },
  };
}

/** Redeems an invite link: the actor joins with the link's role (an existing member keeps theirs). */
export async function redeemInviteLink(
  pool: Pool,
  actorId: string,
  token: string,
): Promise<{ workspaceId: string; role: Role }> {
  if (!isUuid(actorId) || typeof token !== "string" || token.length > 100)
    throw new NotFoundError("invite not found");
  return transaction(pool, async (c) => {
    const r = await c.query<{ workspace_id: string; role: Role }>(
      `SELECT workspace_id, role FROM workspace_invites
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [hashToken(token)],
    );
    const inv = r.rows[0];
    if (!inv) throw new NotFoundError("invite not found or expired");
    const existing = await memberRole(c, actorId, inv.workspace_id);
    if (existing) return { workspaceId: inv.workspace_id, role: existing };
    await c.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [inv.workspace_id, actorId, inv.role],
    );
    return { workspaceId: inv.workspace_id, role: inv.role };
  });
}

export async function listInvites(
  pool: Pool,
  actorId: string,
  workspaceId: string,
): Promise<Invite[]> {
  await requireRole(pool, actorId, workspaceId, "editor");
  const r = await pool.query<{
    id: string;
    role: Role;
    invitee_id: string | null;
    token_hash: string | null;
    expires_at: Date | null;
    created_at: Date;
  }>(
    `SELECT id, role, invitee_id, token_hash, expires_at, created_at FROM workspace_invites
      WHERE workspace_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at`,
    [workspaceId],
  );
  return r.rows.map((i) => ({
    id: i.id,
    workspaceId,
    role: i.role,
    inviteeId: i.invitee_id,
    isLink: i.token_hash !== null,
    expiresAt: i.expires_at,
    createdAt: i.created_at,
  }));
}

export async function revokeInvite(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  inviteId: string,
) {
  await requireRole(pool, actorId, workspaceId, "editor");
  if (!isUuid(inviteId)) throw new NotFoundError("invite not found");
  const r = await pool.query(
    "UPDATE workspace_invites SET revoked_at = now() WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL AND accepted_at IS NULL",
    [inviteId, workspaceId],
  );
  if (r.rowCount === 0) throw new NotFoundError("invite not found");
}

async function lockOwners(c: Queryable, workspaceId: string): Promise<number> {
  // Lock the owner rows so two concurrent demotions cannot both pass the last-owner check.
  const r = await c.query(
    "SELECT user_id FROM workspace_members WHERE workspace_id = $1 AND role = 'owner' FOR UPDATE",
    [workspaceId],
  );
  return r.rowCount ?? 0;
}

export async function changeRole(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<void> {
  const to = parse(roleSchema, role, "role");
  await transaction(pool, async (c) => {
    const actorRole = await requireRole(c, actorId, workspaceId, "editor");
    const from = await memberRole(c, userId, workspaceId);
    if (!from) throw new NotFoundError("member not found");
    assertMayAssign(actorRole, from, to);
    if (from === "owner" && to !== "owner" && (await lockOwners(c, workspaceId)) <= 1)
      throw new ConflictError("a workspace needs at least one owner");
    await c.query(
      "UPDATE workspace_members SET role = $3 WHERE workspace_id = $1 AND user_id = $2",
      [workspaceId, userId, to],
    );
  });
}

/** Removes a member (or lets a member leave: actor === user). Open collab sessions are closed. */
export async function removeMember(
  pool: Pool,
  actorId: string,
  workspaceId: string,
  userId: string,
) {
  await transaction(pool, async (c) => {
    const leaving = actorId === userId;
    const actorRole = await requireRole(c, actorId, workspaceId, leaving ? "viewer" : "editor");
    const from = await memberRole(c, userId, workspaceId);
    if (!from) throw new NotFoundError("member not found");
    if (!leaving) assertMayAssign(actorRole, from, "viewer");
    if (from === "owner" && (await lockOwners(c, workspaceId)) <= 1)
      throw new ConflictError("a workspace needs at least one owner");
    await c.query("DELETE FROM workspace_members WHERE workspace_id = $1 AND user_id = $2", [
      workspaceId,
      userId,
    ]);
  });
}
