import { type Pool, transaction } from "../db/pool.server.ts";
import { AccountError } from "./errors.ts";

/**
 * Platform roles: moderator (decides reports in /moderation) and administrator (this page, the
 * waitlist, roles). Granted and removed by administrators (or the admin command line, actor null),
 * every change logged in `role_changes`. The last administrator cannot be removed.
 */
export type PlatformRole = "moderator" | "admin";

const COLUMN: Record<PlatformRole, string> = { moderator: "is_moderator", admin: "is_admin" };

export function parseRole(input: unknown): PlatformRole {
  if (input === "moderator" || input === "admin") return input;
  throw new AccountError("invalid_input", "The role is moderator or admin.", "role");
}

export async function setPlatformRole(
  pool: Pool,
  actorId: string | null,
  input: { username: unknown; role: unknown; granted: boolean },
): Promise<{ username: string; changed: boolean }> {
  const role = parseRole(input.role);
  const username =
    typeof input.username === "string" ? input.username.trim().replace(/^@/, "") : "";
  if (!username) throw new AccountError("invalid_input", "Enter a username.", "username");
  return transaction(pool, async (c) => {
    if (actorId !== null) {
      const a = await c.query<{ is_admin: boolean }>("SELECT is_admin FROM users WHERE id = $1", [
        actorId,
      ]);
      if (!a.rows[0]?.is_admin)
        throw new AccountError("forbidden", "Only administrators can change roles.");
    }
    const u = await c.query<{ id: string; username: string; has: boolean }>(
      `SELECT id, username, ${COLUMN[role]} AS has FROM users WHERE lower(username) = lower($1) FOR UPDATE`,
      [username],
    );
    const target = u.rows[0];
    if (!target) throw new AccountError("not_found", `No user @${username}.`, "username");
    if (target.has === input.granted) return { username: target.username, changed: false };
    if (role === "admin" && !input.granted) {
      // Serialise concurrent removals so two admins can't remove each other at once.
      await c.query("SELECT id FROM users WHERE is_admin FOR UPDATE");
      const n = await c.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE is_admin");
      if (n.rows[0]!.n <= 1)
        throw new AccountError(
          "forbidden",
          "This is the last administrator; grant the role to someone else first.",
          "username",
        );
    }
    await c.query(`UPDATE users SET ${COLUMN[role]} = $2 WHERE id = $1`, [
      target.id,
      input.granted,
    ]);
    await c.query(
      "INSERT INTO role_changes (actor_id, target_id, role, granted) VALUES ($1, $2, $3, $4)",
      [actorId, target.id, role, input.granted],
    );
    return { username: target.username, changed: true };
  });
}

export interface RoleHolder {
  username: string;
  isModerator: boolean;
  isAdmin: boolean;
}

export async function listRoleHolders(pool: Pool): Promise<RoleHolder[]> {
  const r = await pool.query<{ username: string; is_moderator: boolean; is_admin: boolean }>(
    `SELECT username, is_moderator, is_admin FROM users
      WHERE (is_moderator OR is_admin) AND username IS NOT NULL ORDER BY lower(username)`,
  );
  return r.rows.map((u) => ({
    username: u.username,
    isModerator: u.is_moderator,
    isAdmin: u.is_admin,
  }));
}

export interface RoleChange {
  id: string;
  actor: string | null;
  target: string;
  role: PlatformRole;
  granted: boolean;
  at: Date;
}

export async function listRoleChanges(pool: Pool, limit = 50): Promise<RoleChange[]> {
  const r = await pool.query<{
    id: string;
    actor: string | null;
    target: string;
    role: PlatformRole;
    granted: boolean;
    at: Date;
  }>(
    `SELECT rc.id::text AS id, a.username AS actor, t.username AS target, rc.role, rc.granted, rc.at
       FROM role_changes rc JOIN users t ON t.id = rc.target_id LEFT JOIN users a ON a.id = rc.actor_id
      ORDER BY rc.at DESC, rc.id DESC LIMIT $1`,
    [limit],
  );
  return r.rows;
}
