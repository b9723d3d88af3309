import { z } from "zod";
import { hashPassword, verifyPassword } from "../accounts/password.server.ts";
import type { Pool } from "../db/pool.server.ts";
import {
  hashToken,
  isUuid,
  newToken,
  projectRole,
  type Queryable,
} from "../workspaces/db.server.ts";
import { ForbiddenError, InvalidError, NotFoundError } from "../workspaces/errors.ts";
import { atLeast } from "../workspaces/roles.ts";
import { itemOfDraft } from "./stacks.server.ts";

/**
 * Guest review links (migrations/0061_review_links.sql): to one version or to a whole stack, no
 * account needed. Editors and owners create, list and revoke them. A guest opens a link with its
 * token, a name and — when the link has one — its passphrase, and gets a guest token (kept in a
 * cookie) that every later request presents; every request re-checks that the link is still live,
 * so a revoked or expired link stops working at once. Every refusal a guest can meet (unknown,
 * revoked or expired link, wrong passphrase) is the same "not found", so a link never reveals what
 * is behind it.
 */

export type ReviewLink = {
  id: string;
  projectId: string;
  draftId: string | null;
  itemId: string | null;
  rights: "view" | "comment";
  canApprove: boolean;
  allowDownload: boolean;
  hasPassphrase: boolean;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
};

type Row = {
  id: string;
  project_id: string;
  draft_id: string | null;
  item_id: string | null;
  rights: "view" | "comment";
  can_approve: boolean;
  allow_download: boolean;
  passphrase_hash: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
};

const toLink = (r: Row): ReviewLink => ({
  id: r.id,
  projectId: r.project_id,
  draftId: r.draft_id,
  itemId: r.item_id,
  rights: r.rights,
  canApprove: r.can_approve,
  allowDownload: r.allow_download,
  hasPassphrase: r.passphrase_hash !== null,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export const createReviewLinkSchema = z
  .object({
    /** The version the link opens; with `stack: true`, its whole stack. */
    draftId: z.string().uuid(),
    stack: z.boolean().default(false),
    rights: z.enum(["view", "comment"], { message: "Rights are view or comment." }),
    canApprove: z.boolean().default(false),
    allowDownload: z.boolean().default(false),
    passphrase: z.string().min(6, "A passphrase has at least 6 characters.").max(200).optional(),
    /** Seconds until the link expires; omitted: never. */
    ttlSeconds: z
      .number()
      .int()
      .min(60, "A link lasts at least a minute.")
      .max(365 * 24 * 3600)
      .optional(),
  })
  .refine((l) => !l.canApprove || l.rights === "comment", {
    message: "Only a link with comment rights can let guests approve.",
  });

export async function createReviewLink(
  pool: Pool,
  actorId: string,
  input: unknown,
): Promise<{ link: ReviewLink; token: string }> {
  const p = createReviewLinkSchema.safeParse(input);
  if (!p.success) throw new InvalidError(p.error.issues[0]?.message ?? "invalid review link");
  const l = p.data;
  const itemId = await itemOfDraft(pool, l.draftId);
  const project = itemId
    ? (
        await pool.query<{ project_id: string }>(
          "SELECT project_id FROM review_items WHERE id = $1",
          [itemId],
        )
      ).rows[0]?.project_id
    : undefined;
  const access = project ? await projectRole(pool, actorId, project) : null;
  if (!project || !access) throw new NotFoundError("version not found");
  if (!atLeast(access.role, "editor"))
    throw new ForbiddenError("review links need the editor role");
  const { token, hash } = newToken();
  const passphraseHash = l.passphrase ? await hashPassword(l.passphrase) : null;
  const r = await pool.query<Row>(
    `INSERT INTO review_links (project_id, draft_id, item_id, rights, can_approve, allow_download, token_hash,
                               passphrase_hash, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             CASE WHEN $10::int IS NULL THEN NULL ELSE now() + make_interval(secs => $10::int) END)
     RETURNING *`,
    [
      project,
      l.stack ? null : l.draftId,
      l.stack ? itemId : null,
      l.rights,
      l.canApprove,
      l.allowDownload,
      hash,
      passphraseHash,
      actorId,
      l.ttlSeconds ?? null,
    ],
  );
  return { link: toLink(r.rows[0]!), token };
}

export async function listReviewLinks(pool: Pool, actorId: string, projectId: string) {
  const access = await projectRole(pool, actorId, projectId);
  if (!access) throw new NotFoundError("project not found");
  if (!atLeast(access.role, "editor"))
    throw new ForbiddenError("review links need the editor role");
  const r = await pool.query<Row>(
    "SELECT * FROM review_links WHERE project_id = $1 ORDER BY created_at DESC",
    [projectId],
  );
  return r.rows.map(toLink);
}

export async function revokeReviewLink(pool: Pool, actorId: string, linkId: string) {
  if (!isUuid(linkId)) throw new NotFoundError("review link not found");
  const l = await pool.query<{ project_id: string }>(
    "SELECT project_id FROM review_links WHERE id = $1",
    [linkId],
  );
  const projectId = l.rows[0]?.project_id;
  const access = projectId ? await projectRole(pool, actorId, projectId) : null;
  if (!access) throw new NotFoundError("review link not found");
  if (!atLeast(access.role, "editor"))
    throw new ForbiddenError("review links need the editor role");
  await pool.query(
    "UPDATE review_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
    [linkId],
  );
}

const LIVE = "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())";

/** The live link with this id, or null (revoked, expired, unknown). */
export async function liveReviewLink(q: Queryable, linkId: string): Promise<ReviewLink | null> {
  if (!isUuid(linkId)) return null;
  const r = await q.query<Row>(`SELECT * FROM review_links WHERE id = $1 AND ${LIVE}`, [linkId]);
  return r.rows[0] ? toLink(r.rows[0]) : null;
}

/** Whether a live link opens this version: the link's own version, or any version of its stack. */
export async function linkCoversDraft(
  q: Queryable,
  link: ReviewLink,
  draftId: string,
): Promise<boolean> {
  if (!isUuid(draftId)) return false;
  if (link.draftId) return link.draftId === draftId;
  return (await itemOfDraft(q, draftId)) === link.itemId;
}

const NOT_FOUND = "review link not found";
const openSchema = z.object({
  name: z.string().trim().min(1, "Give your name so others know who commented.").max(60),
  passphrase: z.string().max(200).optional(),
});

/** What a guest's first page shows before they give a name: only whether a passphrase is asked. */
export async function peekReviewLink(
  q: Queryable,
  token: string,
): Promise<{ needsPassphrase: boolean }> {
  const link = await byToken(q, token);
  if (!link) throw new NotFoundError(NOT_FOUND);
  return { needsPassphrase: link.passphrase_hash !== null };
}

async function byToken(q: Queryable, token: string): Promise<Row | null> {
  if (typeof token !== "string" || token.length < 10 || token.length > 100) return null;
  const r = await q.query<Row>(`SELECT * FROM review_links WHERE token_hash = $1 AND ${LIVE}`, [
    hashToken(token),
  ]);
  return r.rows[0] ?? null;
}

/**
 * A guest opens a link: checks the token, the passphrase, the name; records the guest and returns
 * the guest token (for a cookie). A wrong passphrase is the same "not found" as a wrong link.
 */
export async function openReviewLink(
  pool: Pool,
  token: string,
  input: unknown,
): Promise<{ guestToken: string; guest: ReviewGuest }> {
  const p = openSchema.safeParse(input);
  const row = await byToken(pool, token);
  if (!row) throw new NotFoundError(NOT_FOUND);
  if (!p.success) throw new InvalidError(p.error.issues[0]?.message ?? "invalid");
  if (row.passphrase_hash) {
    const ok = await verifyPassword(p.data.passphrase ?? "", row.passphrase_hash);
    if (!ok) throw new NotFoundError("wrong passphrase or link");
  }
  const { token: guestToken, hash } = newToken();
  const g = await pool.query<{ id: string }>(
    "INSERT INTO review_guests (link_id, name, token_hash) VALUES ($1, $2, $3) RETURNING id",
    [row.id, p.data.name, hash],
  );
  return { guestToken, guest: { id: g.rows[0]!.id, name: p.data.name, link: toLink(row) } };
}

export type ReviewGuest = { id: string; name: string; link: ReviewLink };

/** The guest behind a guest token, while their link is live; null otherwise. */
export async function reviewGuest(q: Queryable, guestToken: string): Promise<ReviewGuest | null> {
  if (typeof guestToken !== "string" || guestToken.length < 10 || guestToken.length > 100)
    return null;
  const r = await q.query<Row & { guest_id: string; guest_name: string }>(
    `SELECT l.*, g.id AS guest_id, g.name AS guest_name FROM review_guests g
       JOIN review_links l ON l.id = g.link_id
      WHERE g.token_hash = $1 AND l.revoked_at IS NULL AND (l.expires_at IS NULL OR l.expires_at > now())`,
    [hashToken(guestToken)],
  );
  const row = r.rows[0];
  return row ? { id: row.guest_id, name: row.guest_name, link: toLink(row) } : null;
}

/** The collab identity of a guest: never a user id, always marked a guest's. */
export const guestSubject = (g: ReviewGuest) => `rguest:${g.link.id}:${g.id}`;
