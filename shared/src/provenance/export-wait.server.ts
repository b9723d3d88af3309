import type { Queryable } from "../workspaces/db.server.ts";

/**
 * A draft is visible (its row, its poster) a moment before its marked, signed export exists
 * (workflows/src/steps/store.ts finishStep writes the export after the draft's transaction). The
 * routes that serve a draft's video call this first, so that nobody is served the unmarked master
 * in that moment: it waits until `export_path` is set.
 *
 * - "ready": the export exists (serve COALESCE(export_path, video_path), i.e. the export);
 * - "legacy": the draft is older than exports can take (made before migration 0094): the signed
 *   master is all there is;
 * - "pending": still on its way after `timeoutMs` (the caller answers 503 with Retry-After);
 * - "missing": no such draft.
 */
export type ExportState = "ready" | "legacy" | "pending" | "missing";

/** Longer than any export takes: a draft this old without one predates exports. */
export const EXPORT_PENDING_FOR_SECONDS = 600;

export async function waitForDraftExport(
  q: Queryable,
  draftId: string,
  o: { timeoutMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<ExportState> {
  const deadline = Date.now() + (o.timeoutMs ?? 20_000);
  for (;;) {
    const r = await q.query<{ ready: boolean; old: boolean }>(
      `SELECT export_path IS NOT NULL AS ready,
              created_at < now() - make_interval(secs => $2) AS old
         FROM drafts WHERE id = $1`,
      [draftId, EXPORT_PENDING_FOR_SECONDS],
    );
    const row = r.rows[0];
    if (!row) return "missing";
    if (row.ready) return "ready";
    if (row.old) return "legacy";
    if (Date.now() >= deadline || o.signal?.aborted) return "pending";
    await new Promise((res) => setTimeout(res, o.pollMs ?? 150));
  }
}
