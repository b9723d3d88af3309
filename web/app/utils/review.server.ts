import { listNotes, type ReviewDocKind, reviewDocName } from "@reelhouse/shared/collab/review-doc";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { type ExportNote, reviewCsv, reviewEdl } from "@reelhouse/shared/review/export";
import { guestSubject, type ReviewGuest, reviewGuest } from "@reelhouse/shared/review/links.server";
import type { StackView } from "@reelhouse/shared/review/stacks.server";
import { STATUS_LABELS } from "@reelhouse/shared/review/status";
import { hashToken } from "@reelhouse/shared/workspaces/db.server";
import { loadYDoc } from "@reelhouse/shared/workspaces/documents.server";
import { type AppLoadContext, data } from "react-router";
import { parseCookies, serializeCookie } from "./cookies.server.ts";

/**
 * Web glue for review pages: the guest cookie of review links, what the player needs to know about
 * a version, exports. Members reach versions through their role; guests through their cookie,
 * re-checked against the live link on every request.
 */

/** One cookie per link (a guest may hold several links): `rh_review_<first 12 of token hash>`. */
export const guestCookieName = (linkToken: string) =>
  `rh_review_${hashToken(linkToken).slice(0, 12)}`;

export async function guestFor(
  context: AppLoadContext,
  request: Request,
  linkToken: string,
): Promise<ReviewGuest | null> {
  const value = parseCookies(request.headers.get("cookie")).get(guestCookieName(linkToken));
  if (!value) return null;
  const g = await reviewGuest(context.services.pool, value);
  if (!g) return null;
  // The cookie must belong to THIS link (a cookie of another link opens nothing here).
  const own = await context.services.pool.query<{ id: string }>(
    "SELECT id FROM review_links WHERE token_hash = $1",
    [hashToken(linkToken)],
  );
  return own.rows[0]?.id === g.link.id ? g : null;
}

export async function requireGuest(context: AppLoadContext, request: Request, token: string) {
  const g = await guestFor(context, request, token);
  if (!g)
    throw data("This review link was revoked, has expired, or never existed.", { status: 404 });
  return g;
}

export const guestCookie = (context: AppLoadContext, token: string, guestToken: string) =>
  serializeCookie(guestCookieName(token), guestToken, {
    secure: context.secure,
    maxAge: 30 * 24 * 3600,
  });

export function guestReviewToken(context: AppLoadContext, g: ReviewGuest): string {
  return signCollabToken(context.services.authSecret, { sub: guestSubject(g), name: g.name });
}

/** What the player shows of a version (no file paths: the page builds URLs for its audience). */
export type PlayerVersion = {
  draftId: string;
  label: string;
  number: number;
  prompt: string;
  createdBy: string;
  createdAt: string;
  status: string;
  statusLabel: string;
  statusBy: string | null;
  statusAt: string | null;
  durationMs: number;
  width: number;
  height: number;
  fps: number;
  sprite: {
    columns: number;
    rows: number;
    count: number;
    tileWidth: number;
    tileHeight: number;
    intervalSeconds: number;
  } | null;
  current: boolean;
};

export async function playerVersions(pool: Pool, stack: StackView): Promise<PlayerVersion[]> {
  const r = await pool.query<{
    id: string;
    sprite: PlayerVersion["sprite"];
    probe: { video?: { fps?: number } };
  }>("SELECT id, sprite, probe FROM drafts WHERE id = ANY($1::uuid[])", [
    stack.versions.map((v) => v.draftId),
  ]);
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return stack.versions.map((v) => {
    const row = byId.get(v.draftId);
    const fps = Math.round(row?.probe?.video?.fps ?? 30) || 30;
    const sprite = row?.sprite && typeof row.sprite.columns === "number" ? row.sprite : null;
    return {
      draftId: v.draftId,
      label: v.label,
      number: v.number,
      prompt: v.prompt,
      createdBy: v.createdBy.username,
      createdAt: v.createdAt.toISOString(),
      status: v.status,
      statusLabel: STATUS_LABELS[v.status],
      statusBy: v.statusBy ? `${v.statusBy.name}${v.statusBy.guest ? " (guest)" : ""}` : null,
      statusAt: v.statusAt?.toISOString() ?? null,
      durationMs: v.durationMs,
      width: v.width,
      height: v.height,
      fps,
      sprite,
      current: v.current,
    };
  });
}

/** The review's notes of one version for export: shared notes, and team notes for members. */
export async function exportResponse(
  pool: Pool,
  o: { draftId: string; docs: ReviewDocKind[]; fps: number; title: string; format: string },
): Promise<Response> {
  const notes: ExportNote[] = [];
  for (const kind of o.docs)
    for (const n of listNotes(await loadYDoc(pool, reviewDocName(o.draftId, kind))))
      notes.push({ ...n, visibility: kind });
  notes.sort((a, b) => a.anchor.frame - b.anchor.frame || a.createdAt - b.createdAt);
  const base = o.title.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "review";
  if (o.format === "csv")
    return new Response(reviewCsv(notes, o.fps), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${base}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  if (o.format === "edl")
    return new Response(reviewEdl(notes, o.fps, o.title), {
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `attachment; filename="${base}.edl"`,
        "Cache-Control": "no-store",
      },
    });
  throw data("Export formats are csv and edl.", { status: 404 });
}
