import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { type PoolClient, transaction } from "@reelhouse/shared/db/pool.server";
import type { ProbeResult } from "@reelhouse/shared/media/ffprobe.server";
import { posterSize, type SpriteInfo, spriteSheetSize } from "@reelhouse/shared/media/thumbnails";
import { dataDir } from "@reelhouse/shared/paths.server";
import { draftIdFor } from "@reelhouse/shared/provenance/draft-id";
import { draftSourceFacts } from "@reelhouse/shared/provenance/facts.server";
import { readProvenance, signExport } from "@reelhouse/shared/provenance/sign.server";
import { stackDraft } from "@reelhouse/shared/review/stacks.server";
import type { Queryable } from "@reelhouse/shared/workspaces/db.server";
import { jobDirs, stepPool } from "./context.ts";
import { exportPathOf, writeDraftExport } from "./draft-export.ts";
import { markSucceeded, setStage } from "./jobs.ts";
import { span } from "./timing.ts";

export interface StoreDraftInput {
  workflowId: string;
  kind: "clip" | "sequence";
  projectId: string;
  userId: string;
  backend: string;
  prompt: string;
  shotId?: string;
  videoPath: string;
  posterPath: string;
  spritePath: string;
  sprite: SpriteInfo;
  probe: ProbeResult;
  metadata: Record<string, unknown>;
}

/**
 * Stores the draft and its three media rows in one transaction, and in the same transaction the
 * requester's notification (when `notify`) and the job's `succeeded` — one commit, and the draft
 * becomes visible with its job finished. Exactly one draft per workflow: if a draft already exists
 * for this workflow id (a retried or recovered step), it is returned and nothing is inserted (the
 * notification and the job update, idempotent, are made sure of again).
 */
export async function storeDraftStep(d: StoreDraftInput, notify = false): Promise<string> {
  const rel = (p: string) => path.relative(dataDir(), p);
  // The id is known before the row exists (derived from the workflow), so the files can name it.
  const draftId = draftIdFor(d.workflowId);
  await signDraftFiles(d, draftId);
  const bytes = async (p: string) => (await stat(p)).size;
  const [videoBytes, posterBytes, spriteBytes] = await span("stat", () =>
    Promise.all([bytes(d.videoPath), bytes(d.posterPath), bytes(d.spritePath)]),
  );
  const width = d.probe.video?.width ?? 0;
  const height = d.probe.video?.height ?? 0;
  const durationMs = Math.round(d.probe.durationSeconds * 1000);
  return span("insertDraft", () =>
    transaction(stepPool(), async (c) => {
      // Serialize concurrent attempts for the same workflow (e.g. a zombie and its recovery).
      await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`draft:${d.workflowId}`]);
      const existing = await c.query<{ id: string }>(
        "SELECT id FROM drafts WHERE workflow_id = $1",
        [d.workflowId],
      );
      if (existing.rows[0]) {
        await finishJob(c, d, existing.rows[0].id, notify);
        return existing.rows[0].id;
      }
      const poster = posterSize(width, height);
      const sheet = spriteSheetSize(d.sprite);
      // The three media rows and the draft that points at them: one statement.
      const inserted = await c.query<{ id: string }>(
        `WITH m AS (
           INSERT INTO media (owner_id, kind, content_type, bytes, width, height, duration_ms)
           VALUES ($3, 'video', 'video/mp4', $17, $14, $15, $13),
                  ($3, 'poster', 'image/jpeg', $18, $19, $20, NULL),
                  ($3, 'spritesheet', 'image/jpeg', $21, $22, $23, NULL)
           RETURNING id, kind)
         INSERT INTO drafts (workflow_id, project_id, created_by, kind, shot_id, backend, prompt,
           video_media_id, poster_media_id, sprite_media_id, video_path, poster_path, sprite_path,
           sprite, probe, duration_ms, width, height, metadata, id, export_path)
         SELECT $1, $2, $3, $4, $5, $6, $7,
           (SELECT id FROM m WHERE kind = 'video'), (SELECT id FROM m WHERE kind = 'poster'),
           (SELECT id FROM m WHERE kind = 'spritesheet'),
           $8, $9, $10, $11, $12, $13, $14, $15, $16, $24, $25
         ON CONFLICT (workflow_id) DO NOTHING RETURNING id`,
        [
          ...[d.workflowId, d.projectId, d.userId, d.kind, d.shotId ?? null, d.backend, d.prompt],
          ...[rel(d.videoPath), rel(d.posterPath), rel(d.spritePath)],
          ...[JSON.stringify(d.sprite), JSON.stringify(d.probe)],
          ...[durationMs, width, height, JSON.stringify(d.metadata)],
          ...[videoBytes, posterBytes, poster.width, poster.height],
          ...[spriteBytes, sheet.width, sheet.height, draftId],
          // The export is written just after this transaction (finishStep); the routes wait for it.
          rel(exportPathOf(d.videoPath)),
        ],
      );
      if (!inserted.rows[0]) throw new Error(`draft for ${d.workflowId} appeared concurrently`);
      // The draft is the next version of its review item (shot, sequence or prompt clip), atomically.
      await stackDraft(c, inserted.rows[0].id);
      await finishJob(c, d, inserted.rows[0].id, notify);
      return inserted.rows[0].id;
    }),
  );
}

/** The notification (unless a sequence's shot) and the job's end, inside the draft's transaction. */
async function finishJob(
  c: PoolClient,
  d: StoreDraftInput,
  draftId: string,
  notify: boolean,
): Promise<void> {
  if (notify)
    await notifyStep(
      {
        userId: d.userId,
        workflowId: d.workflowId,
        projectId: d.projectId,
        draftId,
        kind: d.kind,
      },
      c,
    );
  await markSucceeded(d.workflowId, draftId, c);
}

/**
 * Every file of a draft carries a C2PA manifest (served as is to members, review links and the
 * API): signed in place before the draft row exists, so no one is ever served it unsigned. A
 * retried step finds the files already signed by us and leaves them. The three files are read
 * and signed side by side (each is written under its own temporary name and renamed).
 */
async function signDraftFiles(d: StoreDraftInput, draftId: string): Promise<void> {
  const files = [
    { file: d.videoPath, kind: "draft-video", format: "video/mp4" },
    { file: d.posterPath, kind: "draft-poster", format: "image/jpeg" },
    { file: d.spritePath, kind: "draft-sprite", format: "image/jpeg" },
  ] as const;
  const [source, ...reads] = await Promise.all([
    span("sign.facts", () => draftSourceFacts(stepPool(), { ...d, draftId })),
    ...files.map((f) => span(`sign.read.${f.kind}`, () => readProvenance({ path: f.file }))),
  ]);
  await Promise.all(
    files.map(async (f, i) => {
      if (reads[i]!.state === "ours") return;
      await span(`sign.${f.kind}`, () =>
        signExport(f.file, f.file, {
          ...source,
          kind: f.kind,
          format: f.format,
          title: path.basename(f.file),
        }),
      );
    }),
  );
}

/** Removes the workflow's scratch directory (partial renders of killed attempts included). */
export async function cleanupStep(workflowId: string): Promise<void> {
  await rm(jobDirs(workflowId).workDir, { recursive: true, force: true });
}

/** One notification per workflow, however often this step runs. */
export async function notifyStep(
  n: {
    userId: string;
    workflowId: string;
    projectId: string;
    draftId: string;
    kind: "clip" | "sequence";
  },
  q: Queryable = stepPool(),
): Promise<void> {
  await q.query(
    `INSERT INTO notifications (user_id, kind, payload, dedupe_key) VALUES ($1, 'generation.ready', $2, $3)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      n.userId,
      JSON.stringify({
        workflowId: n.workflowId,
        projectId: n.projectId,
        draftId: n.draftId,
        kind: n.kind,
      }),
      `generation:${n.workflowId}`,
    ],
  );
}

/**
 * The last step: remove the scratch directory while the files are signed, then in one transaction
 * store the draft, notify the requester (unless this is a shot of a sequence) and mark the job
 * succeeded; then write the draft's marked, signed export (draft-export.ts) and record it. Each
 * part is idempotent on its own: a re-run finds the files signed by us, the draft stored and the
 * export written, and makes sure of the notification, the job's end and the export again.
 *
 * The draft is visible (with its poster) before its export exists: the export is a full
 * re-encode, which would otherwise sit between every render and its draft. The row names the
 * export (`export_path`) from the start; until the file is there, the routes that serve the
 * draft's video wait for it (waitForDraftExport) instead of serving the unmarked master.
 */
export async function finishStep(d: StoreDraftInput & { notify: boolean }): Promise<string> {
  const { notify, ...draft } = d;
  // The stage is written, and the scratch directory (no longer needed: the video and thumbnails
  // are in outDir) removed, while the files are signed. A stage write never lands after the job's
  // end: setStage leaves a finished job alone.
  const [draftId] = await Promise.all([
    storeDraftStep(draft, notify),
    span("setStage", () => setStage(d.workflowId, "storing")),
    span("cleanup", () => cleanupStep(d.workflowId)),
  ]);
  await span("export", () => writeDraftExport(draft, draftId));
  return draftId;
}
