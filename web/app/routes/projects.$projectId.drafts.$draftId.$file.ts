import path from "node:path";
import { audioPeaks, type Waveform } from "@reelhouse/shared/edit/peaks.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { waitForDraftExport } from "@reelhouse/shared/provenance/export-wait.server";
import { isUuid, projectRole } from "@reelhouse/shared/workspaces/db.server";
import { data } from "react-router";
import { requireUser } from "../utils/auth.server.ts";
import { fileResponse } from "../utils/social.server.ts";
import type { Route } from "./+types/projects.$projectId.drafts.$draftId.$file";

const FILES = {
  // The marked, signed export (people never get the unmarked master; older drafts have none).
  "video.mp4": "COALESCE(export_path, video_path)",
  "poster.jpg": "poster_path",
  "sprite.jpg": "sprite_path",
  "peaks.json": "video_path",
} as const;

/** Waveforms by draft (drafts never change, so a computed one stays true); the newest 64 kept. */
const waveforms = new Map<string, Promise<Waveform>>();
function waveformOf(draftId: string, rel: string): Promise<Waveform> {
  let w = waveforms.get(draftId);
  if (!w) {
    w = audioPeaks(path.join(dataDir(), rel));
    waveforms.set(draftId, w);
    w.catch(() => waveforms.delete(draftId));
    if (waveforms.size > 64) waveforms.delete(waveforms.keys().next().value!);
  }
  return w;
}

/**
 * /projects/:projectId/drafts/:draftId/video.mp4 | poster.jpg | sprite.jpg — a draft's files, with
 * HTTP Range (seeking) — and peaks.json, its sound's waveform (`{ perSecond, peaks }`, peaks 0…1
 * decoded by ffmpeg, `[]` without sound) for the editor's timeline — for members of the project's workspace (any role). Anyone else, a draft of
 * another project, or an unknown file name: 404, the same answer as for a draft that does not exist.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const column = FILES[params.file as keyof typeof FILES];
  if (!column || !isUuid(params.draftId) || !isUuid(params.projectId))
    throw data("Not found", { status: 404 });
  const pool = context.services.pool;
  const role = await projectRole(pool, user.id, params.projectId);
  if (!role) throw data("Not found", { status: 404 });
  const fileOf = async () =>
    (
      await pool.query<{ rel: string }>(
        `SELECT ${column} AS rel FROM drafts WHERE id = $1 AND project_id = $2`,
        [params.draftId, params.projectId],
      )
    ).rows[0]?.rel;
  let rel = await fileOf();
  if (!rel) throw data("Not found", { status: 404 });
  if (params.file === "video.mp4") {
    // The marked export is written just after the draft appears: wait for it rather than serve
    // the unmarked master (export-wait.server.ts).
    if ((await waitForDraftExport(pool, params.draftId)) === "pending")
      throw data("This video's marked download is still being prepared. Try again in a moment.", {
        status: 503,
        headers: { "Retry-After": "2" },
      });
    rel = (await fileOf()) ?? rel;
  }
  if (params.file === "peaks.json") {
    return Response.json(await waveformOf(params.draftId, rel), {
      headers: { "Cache-Control": "private, max-age=3600" },
    });
  }
  return fileResponse(request, rel);
}
