import { batched } from "../db/batch.server.ts";
import type { Pool, PoolClient } from "../db/pool.server.ts";

export type Queryable = Pool | PoolClient;

/** Who is asking: null for anonymous. Minors (13–17 at sign-up) only see posts for all audiences. */
export type Viewer = { id: string; isMinor: boolean; isModerator: boolean } | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: unknown): s is string => typeof s === "string" && UUID.test(s);

type ViewerRow = { id: string; is_minor: boolean; is_moderator: boolean };

/** Concurrent lookups share one statement (db/batch.server.ts). */
const viewerRows = batched<string, ViewerRow | undefined>(async (q, ids) => {
  const r = await q.query<ViewerRow>({
    name: "social_viewers",
    text: "SELECT id, is_minor, is_moderator FROM users WHERE id = ANY($1::uuid[])",
    values: [ids],
  });
  const byId = new Map(r.rows.map((u) => [u.id, u]));
  return ids.map((id) => byId.get(id));
});

/** The viewer for a signed-in user id (null if the user no longer exists). */
export async function loadViewer(q: Queryable, userId: string | null | undefined): Promise<Viewer> {
  if (!userId || !isUuid(userId)) return null;
  const u = await viewerRows(q, userId.toLowerCase());
  return u ? { id: u.id, isMinor: u.is_minor, isModerator: u.is_moderator } : null;
}

/** Anonymous visitors get the same protection as minors: only posts suitable for all. */
export const seesAdultContent = (v: Viewer): boolean => v !== null && !v.isMinor;

/** User ids hidden from the viewer because of a block in either direction. */
export async function hiddenAuthors(q: Queryable, viewerId: string): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `SELECT blocked_id AS id FROM blocks WHERE blocker_id = $1
     UNION SELECT blocker_id FROM blocks WHERE blocked_id = $1`,
    [viewerId],
  );
  return r.rows.map((x) => x.id);
}

/** True if either user blocked the other. */
export async function isBlockedEitherWay(q: Queryable, a: string, b: string): Promise<boolean> {
  const r = await q.query(
    `SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)`,
    [a, b],
  );
  return (r.rowCount ?? 0) > 0;
}
