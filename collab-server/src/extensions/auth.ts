import type { Extension, onAuthenticatePayload, onTokenSyncPayload } from "@hocuspocus/server";
import { parseDocName } from "@reelhouse/shared/collab/docs";
import { parseReviewDocName } from "@reelhouse/shared/collab/review-doc";
import { verifyCollabToken } from "@reelhouse/shared/collab/token.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import { projectRole } from "@reelhouse/shared/workspaces/db.server";
import { guestDocAccess, memberDocAccess } from "@reelhouse/shared/workspaces/roles";
import { liveShareLink } from "@reelhouse/shared/workspaces/share-links.server";
import { type CollabContext, CollabRefusal, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { reviewAccess } from "./review-auth.ts";

export type AuthOptions = {
  pool: Pool;
  /** AUTH_SECRET: the HMAC key the web app signs collab tokens with. */
  secret: string;
  log: Logger;
};

/**
 * Authenticates every document connection (docs/collab-spec.md [C3]-[C5]): verifies the collab
 * token, parses the document name, and looks up the member's role on the document's project, or
 * re-checks a guest's share link against the database. Sets the connection read-only when the
 * role may not write this document, and attaches a CollabContext.
 */
export class AuthExtension implements Extension {
  extensionName = "reelhouse-auth";
  priority = 200;
  constructor(private readonly opts: AuthOptions) {}

  async onAuthenticate(data: onAuthenticatePayload): Promise<CollabContext> {
    const { pool, secret, log } = this.opts;
    const refuse = (code: number, text: string, fields: Record<string, unknown> = {}) => {
      log("info", "connection refused", { doc: data.documentName, reason: text, code, ...fields });
      return new CollabRefusal(code, text);
    };
    const verified = verifyCollabToken(secret, data.token ?? "");
    if (!verified.ok) throw refuse(CLOSE_CODES.unauthorized, verified.reason);
    const { sub, name, shareLinkId, exp } = verified.payload;
    const review = parseReviewDocName(data.documentName);
    if (review) {
      // A version's review documents: members by role, guests by review link (review-auth.ts).
      const v = await reviewAccess(pool, review, sub, name, exp);
      if (!v.ok) throw refuse(v.code, v.text, { sub });
      data.connectionConfig.readOnly = v.ctx.access !== "write";
      return v.ctx;
    }
    const ref = parseDocName(data.documentName);
    if (!ref) throw refuse(CLOSE_CODES.forbidden, "unknown document", { sub });

    let ctx: CollabContext;
    if (sub.startsWith("guest:")) {
      const linkFromSub = sub.split(":")[1];
      if (!shareLinkId || linkFromSub !== shareLinkId)
        throw refuse(CLOSE_CODES.unauthorized, "malformed guest token");
      const link = await liveShareLink(pool, shareLinkId);
      if (!link) throw refuse(CLOSE_CODES.linkRevoked, "share link revoked or expired", { sub });
      // A link opens one project only; another project's documents look like they do not exist.
      if (link.projectId !== ref.projectId)
        throw refuse(CLOSE_CODES.forbidden, "forbidden", { sub });
      const access = guestDocAccess(link.rights, ref.kind);
      if (access === "none") throw refuse(CLOSE_CODES.forbidden, "forbidden", { sub });
      ctx = {
        userId: sub,
        name,
        projectId: ref.projectId,
        workspaceId: "",
        docKind: ref.kind,
        access,
        role: null,
        shareLinkId,
        shareRights: link.rights,
        tokenExp: exp,
        tokenRequestedAt: 0,
      };
    } else {
      if (shareLinkId) throw refuse(CLOSE_CODES.unauthorized, "malformed token");
      const found = await projectRole(pool, sub, ref.projectId);
      if (!found) throw refuse(CLOSE_CODES.forbidden, "forbidden", { sub });
      // An edit's timeline exists only inside its own project (editors write, others read).
      if (ref.kind === "edit") {
        const edit = await pool.query("SELECT 1 FROM edits WHERE id = $1 AND project_id = $2", [
          ref.editId,
          ref.projectId,
        ]);
        if (!edit.rows[0]) throw refuse(CLOSE_CODES.forbidden, "forbidden", { sub });
      }
      ctx = {
        userId: sub,
        name,
        projectId: ref.projectId,
        workspaceId: found.workspaceId,
        docKind: ref.kind,
        access: memberDocAccess(found.role, ref.kind) === "write" ? "write" : "read",
        role: found.role,
        shareLinkId: null,
        shareRights: null,
        tokenExp: exp,
        tokenRequestedAt: 0,
      };
    }
    data.connectionConfig.readOnly = ctx.access !== "write";
    log("debug", "connection authenticated", { doc: data.documentName, sub, access: ctx.access });
    return ctx;
  }

  /**
   * A fresh token sent by the provider when the server asks (see RevocationExtension): it must be
   * valid and name the same subject; it extends the session ([C18]). Access itself is re-checked
   * by the revocation extension, not here.
   */
  async onTokenSync({ token, connection, documentName }: onTokenSyncPayload): Promise<void> {
    const ctx = connection.context;
    if (!isCollabContext(ctx)) return;
    const v = verifyCollabToken(this.opts.secret, token ?? "");
    if (
      !v.ok ||
      v.payload.sub !== ctx.userId ||
      (v.payload.shareLinkId ?? null) !== ctx.shareLinkId
    ) {
      const reason = v.ok ? "token for another subject" : v.reason;
      this.opts.log("info", "token refresh refused", {
        doc: documentName,
        user: ctx.userId,
        reason,
      });
      throw new CollabRefusal(CLOSE_CODES.unauthorized, reason);
    }
    ctx.tokenExp = Math.max(ctx.tokenExp, v.payload.exp);
  }
}
