import { isUuid, type Queryable } from "./db.server.ts";

/**
 * Usernames for user ids (e.g. the invitees of a workspace's pending invitations, who are not
 * members yet). The caller must already have checked the actor may see those invitations.
 */
export async function usernamesByIds(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids.filter(isUuid))];
  if (valid.length === 0) return new Map();
  const r = await q.query<{ id: string; username: string | null }>(
    "SELECT id, username FROM users WHERE id = ANY($1::uuid[])",
    [valid],
  );
  return new Map(r.rows.filter((x) => x.username).map((x) => [x.id, x.username!]));
}
