import type { ReviewDocRef } from "@reelhouse/shared/collab/review-doc";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import { linkCoversDraft, liveReviewLink } from "@reelhouse/shared/review/links.server";
import { isUuid, projectRole } from "@reelhouse/shared/workspaces/db.server";
import { atLeast } from "@reelhouse/shared/workspaces/roles";
import type { CollabContext } from "../context.ts";

type Verdict = { ok: true; ctx: CollabContext } | { ok: false; code: number; text: string };

/**
 * Who may open a version's review documents (docs/collab-spec.md [R1]), decided from the
 * database on every connection and on every re-check:
 * - members of the version's workspace open both documents; commenters and up write, viewers read;
 *   owners and editors moderate;
 * - a guest (`rguest:<link id>:<guest id>`) opens only the `shared` document, only of a version
 *   their live link covers, writing only with comment rights, under the name they gave (read from
 *   the database, not from the token). The `team` document does not exist for them.
 */
export async function reviewAccess(
  pool: Pool,
  ref: ReviewDocRef,
  sub: string,
  tokenName: string,
  exp: number,
): Promise<Verdict> {
  const forbidden = { ok: false, code: CLOSE_CODES.forbidden, text: "forbidden" } as const;
  const d = await pool.query<{ project_id: string }>(
    "SELECT d.project_id FROM review_versions v JOIN drafts d ON d.id = v.draft_id WHERE v.draft_id = $1",
    [ref.draftId],
  );
  const projectId = d.rows[0]?.project_id;
  if (!projectId) return forbidden;
  const base = {
    projectId,
    docKind: "review" as const,
    shareLinkId: null,
    shareRights: null,
    tokenExp: exp,
    tokenRequestedAt: 0,
  };
  if (sub.startsWith("rguest:")) {
    const [, linkId, guestId, extra] = sub.split(":");
    if (!linkId || !guestId || extra !== undefined || !isUuid(guestId))
      return { ok: false, code: CLOSE_CODES.unauthorized, text: "malformed guest token" };
    const link = await liveReviewLink(pool, linkId);
    if (!link)
      return { ok: false, code: CLOSE_CODES.linkRevoked, text: "review link revoked or expired" };
    if (ref.kind !== "shared" || !(await linkCoversDraft(pool, link, ref.draftId)))
      return forbidden;
    const g = await pool.query<{ name: string }>(
      "SELECT name FROM review_guests WHERE id = $1 AND link_id = $2",
      [guestId, linkId],
    );
    const name = g.rows[0]?.name;
    if (!name) return { ok: false, code: CLOSE_CODES.unauthorized, text: "unknown guest" };
    return {
      ok: true,
      ctx: {
        ...base,
        userId: sub,
        name,
        workspaceId: "",
        access: link.rights === "comment" ? "write" : "read",
        role: null,
        review: {
          draftId: ref.draftId,
          doc: ref.kind,
          linkId,
          author: { id: sub, name, guest: true },
          moderator: false,
        },
      },
    };
  }
  const found = await projectRole(pool, sub, projectId);
  if (!found) return forbidden;
  return {
    ok: true,
    ctx: {
      ...base,
      userId: sub,
      name: tokenName,
      workspaceId: found.workspaceId,
      access: atLeast(found.role, "commenter") ? "write" : "read",
      role: found.role,
      review: {
        draftId: ref.draftId,
        doc: ref.kind,
        linkId: null,
        author: { id: sub, name: tokenName, guest: false },
        moderator: atLeast(found.role, "editor"),
      },
    },
  };
}
