import { waitForDraftExport } from "@reelhouse/shared/provenance/export-wait.server";
import { linkCoversDraft } from "@reelhouse/shared/review/links.server";
import { isUuid } from "@reelhouse/shared/workspaces/db.server";
import { data } from "react-router";
import { requireGuest } from "../utils/review.server.ts";
import { fileResponse } from "../utils/social.server.ts";
import type { Route } from "./+types/r.$token.v.$draftId.$file";

const FILES = {
  "video.mp4": "COALESCE(export_path, video_path)",
  "poster.jpg": "poster_path",
  "sprite.jpg": "sprite_path",
} as const;

/**
 * /r/:token/v/:draftId/video.mp4 | poster.jpg | sprite.jpg — a version's files for the guest of a
 * live review link that covers it (Range for seeking, never cached, so a revoked link stops
 * playback). `?download=1` gives the video as an attachment only when the link allows downloads.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const g = await requireGuest(context, request, params.token);
  const column = FILES[params.file as keyof typeof FILES];
  const pool = context.services.pool;
  if (!column || !isUuid(params.draftId) || !(await linkCoversDraft(pool, g.link, params.draftId)))
    throw data("Not found", { status: 404 });
  const download = new URL(request.url).searchParams.get("download") === "1";
  if (download && (!g.link.allowDownload || params.file !== "video.mp4"))
    throw data("Downloads are not allowed on this review link.", { status: 403 });
  // The marked export is written just after the draft appears: wait for it (export-wait.server.ts).
  if (params.file === "video.mp4" && (await waitForDraftExport(pool, params.draftId)) === "pending")
    throw data("This video's marked download is still being prepared. Try again in a moment.", {
      status: 503,
      headers: { "Retry-After": "2" },
    });
  const r = await pool.query<{ rel: string }>(`SELECT ${column} AS rel FROM drafts WHERE id = $1`, [
    params.draftId,
  ]);
  if (!r.rows[0]) throw data("Not found", { status: 404 });
  const res = await fileResponse(
    request,
    r.rows[0].rel,
    download ? { download: "review.mp4" } : {},
  );
  res.headers.set("Cache-Control", "no-store");
  return res;
}
