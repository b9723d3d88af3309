/**
 * Which review item (version stack) a draft is a version of. Pure: decided from the draft's own
 * columns, so the store step and the migration's backfill agree (migrations/0060_review_stacks.sql).
 *
 * - an edit (`metadata.edit.sourceDraftIds`, written by the editing workflow) stacks on the item of
 *   its FIRST source draft — the caller looks that up, this only says so;
 * - an uploaded version (`metadata.upload.stackDraftId`, written by the review upload workflow)
 *   stacks on the item of the version it was uploaded to;
 * - a storyboard sequence: the project's `sequence`;
 * - a shot's render: `shot:<shot id>`;
 * - anything else a project renders: its prompt clip, `prompt`.
 */
export type StackKey =
  | { by: "source"; sourceDraftId: string }
  | { by: "key"; itemKey: string; kind: "clip" | "sequence" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function stackKeyFor(d: {
  kind: "clip" | "sequence";
  shotId: string | null;
  metadata: unknown;
}): StackKey {
  const upload = (d.metadata as { upload?: { stackDraftId?: unknown } } | null)?.upload;
  if (typeof upload?.stackDraftId === "string" && UUID.test(upload.stackDraftId))
    return { by: "source", sourceDraftId: upload.stackDraftId };
  const edit = (d.metadata as { edit?: { sourceDraftIds?: unknown } } | null)?.edit;
  const first = Array.isArray(edit?.sourceDraftIds) ? edit.sourceDraftIds[0] : undefined;
  if (typeof first === "string" && UUID.test(first)) return { by: "source", sourceDraftId: first };
  if (d.kind === "sequence") return { by: "key", itemKey: "sequence", kind: "sequence" };
  if (d.shotId) return { by: "key", itemKey: `shot:${d.shotId}`, kind: "clip" };
  return { by: "key", itemKey: "prompt", kind: "clip" };
}

/** "v3" */
export const versionLabel = (n: number) => `v${n}`;
