import { z } from "zod";
import type { Pool } from "../db/pool.server.ts";
import { hashToken, isUuid, newToken } from "./db.server.ts";
import { InvalidError, NotFoundError } from "./errors.ts";
import { requireProjectRole } from "./projects.server.ts";
import type { ShareRights } from "./roles.ts";

/**
 * Share links for review (docs/collab-spec.md [C6]): owners and editors create a link to a
 * project's storyboard with view or comment rights, optionally expiring; revoking it also closes
 * guests' open collab sessions (the collab server LISTENs for the trigger's notification).
 */

export type ShareLink = {
  id: string;
  projectId: string;
  rights: ShareRights;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

type Row = {
  id: string;
  project_id: string;
  rights: ShareRights;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
};
const toLink = (r: Row): ShareLink => ({
  id: r.id,
  projectId: r.project_id,
  rights: r.rights,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

const createSchema = z.object({
  rights: z.enum(["view", "comment"]),
  /** Seconds until the link expires; omitted: never. */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(365 * 24 * 3600)
    .optional(),
});

export async function createShareLink(
  pool: Pool,
  actorId: string,
  projectId: string,
  opts: { rights: ShareRights; ttlSeconds?: number },
): Promise<{ link: ShareLink; token: string }> {
  const p = createSchema.safeParse(opts);
  if (!p.success) throw new InvalidError(`share link: ${p.error.issues[0]?.message ?? "invalid"}`);
  await requireProjectRole(pool, actorId, projectId, "editor");
  const { token, hash } = newToken();
  const r = await pool.query<Row>(
    `INSERT INTO share_links (project_id, rights, token_hash, created_by, expires_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(secs => $5::int) END)
     RETURNING *`,
    [projectId, p.data.rights, hash, actorId, p.data.ttlSeconds ?? null],
  );
  return { link: toLink(r.rows[0]!), token };
}

export async function listShareLinks(pool: Pool, actorId: string, projectId: string) {
  await requireProjectRole(pool, actorId, projectId, "editor");
  const r = await pool.query<Row>(
    "SELECT * FROM share_links WHERE project_id = $1 ORDER BY created_at DESC",
    [projectId],
  );
  return r.rows.map(toLink);
}

export async function revokeShareLink(pool: Pool, actorId: string, linkId: string) {
  if (!isUuid(linkId)) throw new NotFoundError("share link not found");
  const l = await pool.query<{ project_id: string }>(
    "SELECT project_id FROM share_links WHERE id = $1",
    [linkId],
  );
  const projectId = l.rows[0]?.project_id;
  if (!projectId) throw new NotFoundError("share link not found");
  await requireProjectRole(pool, actorId, projectId, "editor");
  await pool.query(
    "UPDATE share_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    [linkId],
  );
}

/** A guest opening a link: the live link for this token, or NotFound (revoked, expired, unknown). */
export async function resolveShareToken(pool: Pool, token: string): Promise<ShareLink> {
  if (typeof token !== "string" || token.length < 10 || token.length > 100)
    throw new NotFoundError("share link not found");
  const r = await pool.query<Row>(
    `SELECT * FROM share_links WHERE token_hash = $1 AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > now())`,
    [hashToken(token)],
  );
  if (!r.rows[0]) throw new NotFoundError("share link not found");
  return toLink(r.rows[0]);
}

/** The collab server's per-connection re-check of a guest's link id. */
export async function liveShareLink(pool: Pool, linkId: string): Promise<ShareLink | null> {
  if (!isUuid(linkId)) return null;
  const r = await pool.query<Row>(
    `SELECT * FROM share_links WHERE id = $1 AND revoked_at IS NULL
        AND (expires_at IS NULL OR expires_at > now())`,
    [linkId],
  );
  return r.rows[0] ? toLink(r.rows[0]) : null;
}
