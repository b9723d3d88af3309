import type { Connection, Extension, Hocuspocus, onConfigurePayload } from "@hocuspocus/server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { CLOSE_CODES } from "@reelhouse/shared/names";
import { projectRole } from "@reelhouse/shared/workspaces/db.server";
import { guestDocAccess, memberDocAccess } from "@reelhouse/shared/workspaces/roles";
import { liveShareLink } from "@reelhouse/shared/workspaces/share-links.server";
import { z } from "zod";
import { type CollabContext, isCollabContext } from "../context.ts";
import type { Logger } from "../log.ts";
import { reviewAccess } from "./review-auth.ts";

export type RevocationOptions = {
  pool: Pool;
  log: Logger;
  /** Full re-check of every open connection (catches link expiry, which fires no trigger); ms. */
  pollMs?: number;
};

const notificationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("share_link"), id: z.string() }),
  z.object({ kind: z.literal("member"), workspaceId: z.string(), userId: z.string() }),
  z.object({ kind: z.literal("project"), id: z.string() }),
  z.object({ kind: z.literal("review_link"), id: z.string() }),
]);

type Verdict = { ok: true } | { ok: false; code: number; text: string };

/**
 * Closes open sessions whose access was taken away (docs/collab-spec.md [C6], [C9]): a revoked or
 * expired share link, a member removed from the workspace or whose role changed, a deleted project.
 * Driven by Postgres NOTIFY (triggers in migrations/0011_collab.sql) plus a periodic full re-check.
 * A closed client that reconnects goes through authentication again and gets its new access, or
 * is refused.
 */
export class RevocationExtension implements Extension {
  extensionName = "reelhouse-revocation";
  private instance: Hocuspocus | null = null;
  private timer: NodeJS.Timeout | null = null;
  closed = 0;

  constructor(private readonly opts: RevocationOptions) {}

  async onConfigure({ instance }: onConfigurePayload) {
    this.instance = instance;
  }

  async onListen() {
    const ms = this.opts.pollMs ?? 30_000;
    this.timer = setInterval(() => void this.recheckAll(), ms);
    this.timer.unref();
  }

  async onDestroy() {
    if (this.timer) clearInterval(this.timer);
  }

  private connections(
    filter: (ctx: CollabContext) => boolean,
  ): { conn: Connection; ctx: CollabContext }[] {
    const out: { conn: Connection; ctx: CollabContext }[] = [];
    for (const doc of this.instance?.documents.values() ?? []) {
      for (const conn of doc.getConnections()) {
        const ctx = conn.context;
        if (isCollabContext(ctx) && filter(ctx)) out.push({ conn, ctx });
      }
    }
    return out;
  }

  private async verdict(ctx: CollabContext): Promise<Verdict> {
    if (ctx.review) {
      const { review } = ctx;
      const v = await reviewAccess(
        this.opts.pool,
        { draftId: review.draftId, kind: review.doc },
        ctx.userId,
        ctx.name,
        ctx.tokenExp,
      );
      if (!v.ok) return v;
      if (v.ctx.access !== ctx.access || v.ctx.role !== ctx.role)
        return { ok: false, code: CLOSE_CODES.forbidden, text: "access changed" };
      return { ok: true };
    }
    if (ctx.docKind === "review")
      return { ok: false, code: CLOSE_CODES.forbidden, text: "forbidden" };
    if (ctx.shareLinkId) {
      const link = await liveShareLink(this.opts.pool, ctx.shareLinkId);
      if (!link || link.projectId !== ctx.projectId)
        return { ok: false, code: CLOSE_CODES.linkRevoked, text: "share link revoked or expired" };
      if (guestDocAccess(link.rights, ctx.docKind) !== ctx.access)
        return { ok: false, code: CLOSE_CODES.forbidden, text: "access changed" };
      return { ok: true };
    }
    const found = await projectRole(this.opts.pool, ctx.userId, ctx.projectId);
    if (!found) return { ok: false, code: CLOSE_CODES.forbidden, text: "access removed" };
    if (found.role !== ctx.role || memberDocAccess(found.role, ctx.docKind) !== ctx.access)
      return { ok: false, code: CLOSE_CODES.forbidden, text: "access changed" };
    return { ok: true };
  }

  private async recheck(targets: { conn: Connection; ctx: CollabContext }[], why: string) {
    const cache = new Map<string, Promise<Verdict>>();
    for (const { conn, ctx } of targets) {
      const key = `${ctx.userId}|${ctx.projectId}|${ctx.docKind}|${ctx.shareLinkId}`;
      let v = cache.get(key);
      if (!v) {
        v = this.verdict(ctx);
        cache.set(key, v);
      }
      const verdict = await v.catch((e: Error) => {
        this.opts.log("error", "access re-check failed", { error: e.message });
        return { ok: true } as Verdict;
      });
      if (verdict.ok) continue;
      this.closed++;
      this.opts.log("info", "closing session", {
        doc: conn.document.name,
        user: ctx.userId,
        code: verdict.code,
        reason: verdict.text,
        why,
      });
      conn.close({ code: verdict.code, reason: `${verdict.code} ${verdict.text}` });
    }
  }

  /** Handles one `collab_revocation` notification. */
  async handle(payload: unknown): Promise<void> {
    const n = notificationSchema.safeParse(payload);
    if (!n.success) {
      this.opts.log("warn", "unknown revocation notification");
      return;
    }
    const p = n.data;
    if (p.kind === "share_link")
      await this.recheck(
        this.connections((c) => c.shareLinkId === p.id),
        "link changed",
      );
    else if (p.kind === "review_link")
      await this.recheck(
        this.connections((c) => c.review?.linkId === p.id),
        "review link changed",
      );
    else if (p.kind === "member")
      await this.recheck(
        this.connections((c) => c.userId === p.userId && c.workspaceId === p.workspaceId),
        "membership changed",
      );
    else
      await this.recheck(
        this.connections((c) => c.projectId === p.id),
        "project deleted",
      );
  }

  async recheckAll(): Promise<void> {
    this.checkTokens();
    await this.recheck(
      this.connections(() => true),
      "periodic re-check",
    );
  }

  /**
   * Sessions outlive their token only if the client renews it ([C18]): shortly before expiry the
   * server asks the provider for a fresh token (Hocuspocus token sync; the provider calls its
   * `token` function again); a session whose token has expired is closed with 4401.
   */
  checkTokens(now = Date.now()): void {
    const renewWithinMs = Math.max(2 * (this.opts.pollMs ?? 30_000), 60_000);
    for (const { conn, ctx } of this.connections(() => true)) {
      const expMs = ctx.tokenExp * 1000;
      if (expMs <= now) {
        this.closed++;
        this.opts.log("info", "closing session", {
          doc: conn.document.name,
          user: ctx.userId,
          reason: "token expired",
        });
        conn.close({
          code: CLOSE_CODES.unauthorized,
          reason: `${CLOSE_CODES.unauthorized} token expired`,
        });
      } else if (expMs - now < renewWithinMs && now - ctx.tokenRequestedAt > renewWithinMs / 2) {
        ctx.tokenRequestedAt = now;
        conn.requestToken();
      }
    }
  }
}
