import path from "node:path";
import { dataDir } from "@reelhouse/shared/paths.server";
import { EXPORT_PENDING_FOR_SECONDS } from "@reelhouse/shared/provenance/export-wait.server";
import { draftSourceFacts } from "@reelhouse/shared/provenance/facts.server";
import { payloadOf } from "@reelhouse/shared/provenance/invisible-mark";
import { writeMarkedVideo } from "@reelhouse/shared/provenance/marked-video.server";
import { stepSignal } from "./cancel.ts";
import { stepPool } from "./context.ts";
import type { StoreDraftInput } from "./store.ts";

/**
 * The draft's export (drafts.export_path): its video with the visible watermark (the requester's
 * @username) and the invisible mark of the draft's id, C2PA-signed after the marks. Written beside
 * the master just after the draft row (which names it) exists, so every route that serves a draft's video to a person
 * or the API (studio, review links, /v1/videos/{id}/content) serves a marked, signed file.
 */
/** Where a draft's export lives: beside its master. */
export const exportPathOf = (videoPath: string) => path.join(path.dirname(videoPath), "export.mp4");

export async function writeDraftExport(
  d: Pick<
    StoreDraftInput,
    "videoPath" | "userId" | "projectId" | "workflowId" | "backend" | "metadata"
  >,
  draftId: string,
): Promise<string> {
  const dest = exportPathOf(d.videoPath);
  const u = await stepPool().query<{ username: string }>(
    "SELECT username FROM users WHERE id = $1",
    [d.userId],
  );
  const facts = await draftSourceFacts(stepPool(), { ...d, draftId });
  await writeMarkedVideo({
    source: d.videoPath,
    dest,
    payload: payloadOf(draftId),
    username: u.rows[0]?.username ?? "reelhouse",
    facts: { ...facts, kind: "draft-export", format: "video/mp4", title: "export.mp4" },
    signal: stepSignal(),
  });
  return dest;
}

/**
 * The export of a draft that has none: one made before exports existed (migration 0094; a draft
 * stored since names its export from the start, and its finish step writes it). Idempotent: a
 * finished export is kept (writeMarkedVideo finds it signed by us); returns the export's path
 * relative to DATA_DIR, or null for a draft that no longer exists.
 */
export async function exportDraftStep(draftId: string): Promise<string | null> {
  const r = await stepPool().query<{
    workflow_id: string;
    project_id: string;
    created_by: string;
    backend: string;
    metadata: Record<string, unknown>;
    video_path: string;
    export_path: string | null;
  }>(
    `SELECT workflow_id, project_id, created_by, backend, metadata, video_path, export_path
       FROM drafts WHERE id = $1`,
    [draftId],
  );
  const d = r.rows[0];
  if (!d) return null;
  const dest = await writeDraftExport(
    {
      videoPath: path.join(dataDir(), d.video_path),
      userId: d.created_by,
      projectId: d.project_id,
      workflowId: d.workflow_id,
      backend: d.backend,
      metadata: d.metadata ?? {},
    },
    draftId,
  );
  const rel = path.relative(dataDir(), dest);
  await stepPool().query(
    "UPDATE drafts SET export_path = $2 WHERE id = $1 AND export_path IS NULL",
    [draftId, rel],
  );
  return rel;
}

/** Drafts with no export older than any export takes (the backfill's work), oldest first. */
export async function draftsWithoutExport(limit = 10_000): Promise<string[]> {
  const r = await stepPool().query<{ id: string }>(
    `SELECT id FROM drafts
      WHERE export_path IS NULL AND created_at < now() - make_interval(secs => $1)
      ORDER BY created_at LIMIT $2`,
    [EXPORT_PENDING_FOR_SECONDS, limit],
  );
  return r.rows.map((x) => x.id);
}
