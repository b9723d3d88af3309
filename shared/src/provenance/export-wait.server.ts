import { stat } from "node:fs/promises";
import path from "node:path";
import { dataDir } from "../paths.server.ts";
import type { Queryable } from "../workspaces/db.server.ts";

/**
 * A draft is visible (its row, its poster) a moment before its marked, signed export is written:
 * workflows/src/steps/store.ts finishStep stores the draft with `export_path` already naming
 * `export.mp4`, then writes that file (atomically: it appears whole or not at all). The routes
 * that serve a draft's video call this first, so that nobody is served the unmarked master in
 * that moment:
 *
 * - "ready": the export is there (serve COALESCE(export_path, video_path), i.e. the export);
 * - "none": the draft names no export (made before exports existed, migration 0094; the worker's
 *   backfill, workflows/src/draftExport.workflow.ts, gives each one); its signed master is served;
 * - "pending": the export is named but not written after `timeoutMs` (the caller answers 503, or
 *   the API's 409 `export_pending`, with Retry-After);
 * - "missing": no such draft.
 */
export type ExportState = "ready" | "none" | "pending" | "missing";

/** Longer than any export takes: the backfill leaves younger drafts to their finish step. */
export const EXPORT_PENDING_FOR_SECONDS = 600;

export async function waitForDraftExport(
  q: Queryable,
  draftId: string,
  o: { timeoutMs?: number; pollMs?: number } = {},
): Promise<ExportState> {
  const r = await q.query<{ export_path: string | null }>(
    "SELECT export_path FROM drafts WHERE id = $1",
    [draftId],
  );
  const row = r.rows[0];
  if (!row) return "missing";
  if (!row.export_path) return "none";
  const file = path.join(dataDir(), row.export_path);
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  for (;;) {
    const there = await stat(file).then(
      (s) => s.isFile() && s.size > 0,
      () => false,
    );
    if (there) return "ready";
    if (Date.now() >= deadline) return "pending";
    await new Promise((res) => setTimeout(res, o.pollMs ?? 100));
  }
}
