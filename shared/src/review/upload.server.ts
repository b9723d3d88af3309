import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import { type Pool, transaction } from "../db/pool.server.ts";
import { DBOS_SCHEMA, ensureDbosSchema, systemDatabaseUrl } from "../generation/dbos.server.ts";
import { workflowKey } from "../generation/jobs.ts";
import { checkVideoFile, VideoRejected } from "../media/video-check.server.ts";
import { checkVideoDuration, checkVideoProbe, type VideoLimits } from "../media/video-check.ts";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "../names.ts";
import { dataDir } from "../paths.server.ts";
import { projectRole } from "../workspaces/db.server.ts";
import { atLeast } from "../workspaces/roles.ts";
import { getStackForMember } from "./stacks.server.ts";
import {
  type ReviewUploadInput,
  requestIdSchema,
  UPLOAD_LIMITS,
  uploadWorkflowId,
} from "./upload.ts";

/**
 * A video file uploaded as the next version of a review stack (issue 14). The web tier:
 * 1. `authorize` before reading the body — a version outside the person's workspaces is not found
 *    (404), a viewer or commenter is refused (403);
 * 2. streams the file to a temporary file (counted, at most UPLOAD_LIMITS.maxBytes);
 * 3. `submit` judges it by content with the shared video checks (media/video-check.server.ts:
 *    magic bytes, allow-listed ffprobe, a full decode; size, duration, dimension limits), then moves
 *    it under DATA_DIR/generations/<job>/ and, in one transaction, inserts the generation_jobs row
 *    (kind `upload`) and enqueues the durable `reviewUpload` workflow by name. A refusal writes
 *    nothing: no file is kept, no row, no workflow.
 * The worker transcodes to the playback format, makes the poster and spritesheet and stores the
 * draft, which stackDraft makes the next version vN (status needs review; owners and editors are
 * notified). `status` reports the job's progress for the page's progress bar.
 */

export class UploadRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "UploadRefusal";
  }
}

export interface UploadStatus {
  workflowId: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  stage: string;
  progress: number;
  draftId: string | null;
  error: string | null;
}

export interface ReviewUploadService {
  authorize(userId: string, draftId: string): Promise<{ projectId: string; itemId: string }>;
  submit(
    userId: string,
    draftId: string,
    upload: { file: string; fileName: string; requestId: unknown },
  ): Promise<{ workflowId: string; duplicate: boolean }>;
  status(userId: string, workflowId: string): Promise<UploadStatus>;
  close(): Promise<void>;
}

const notFound = () =>
  new UploadRefusal("not_found", "No such version, or you don't have access to it.", 404);

/** Judges an uploaded file; throws an UploadRefusal with the reason. */
export async function judgeUpload(file: string, limits: VideoLimits = UPLOAD_LIMITS) {
  try {
    return await checkVideoFile(file, {
      prefix: "upload",
      noun: "video",
      retry: "export it again and re-upload",
      maxBytes: limits.maxBytes,
      maxSeconds: limits.maxSeconds,
      verdict: (p) => checkVideoProbe(p, limits, "upload"),
      duration: (s) => checkVideoDuration(s, limits, "upload"),
    });
  } catch (err) {
    if (err instanceof VideoRejected) throw new UploadRefusal(err.code, err.message, err.status);
    throw err;
  }
}

export async function createReviewUploadService(opts: {
  pool: Pool;
  databaseUrl: string;
  root?: string;
  /** Tests lower them; the product uses UPLOAD_LIMITS. */
  limits?: VideoLimits;
}): Promise<ReviewUploadService> {
  const { pool } = opts;
  const root = () => opts.root ?? dataDir();
  await ensureDbosSchema(opts.databaseUrl);
  const client = await DBOSClient.create({
    systemDatabaseUrl: systemDatabaseUrl(opts.databaseUrl),
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
    systemDatabasePoolSize: 2,
  });

  async function authorize(userId: string, draftId: string) {
    const found = await getStackForMember(pool, userId, draftId).catch((err: unknown) => {
      if ((err as { code?: string }).code === "not_found") throw notFound();
      throw err;
    });
    if (!atLeast(found.role, "editor"))
      throw new UploadRefusal(
        "forbidden",
        `Only editors and owners can upload a new version; you are a ${found.role}.`,
        403,
      );
    return { projectId: found.stack.projectId, itemId: found.stack.itemId };
  }

  return {
    authorize,

    async submit(userId, draftId, upload) {
      const { projectId } = await authorize(userId, draftId);
      const requestId = requestIdSchema.safeParse(upload.requestId);
      if (!requestId.success)
        throw new UploadRefusal("invalid_request", requestId.error.issues[0]!.message, 400);
      const workflowId = uploadWorkflowId(draftId, requestId.data);
      const seen = await pool.query("SELECT 1 FROM generation_jobs WHERE workflow_id = $1", [
        workflowId,
      ]);
      if (seen.rowCount) return { workflowId, duplicate: true };
      const video = await judgeUpload(upload.file, opts.limits);
      const relDir = path.join("generations", workflowKey(workflowId));
      const rel = path.join(
        relDir,
        `original-${randomBytes(4).toString("hex")}.${video.container}`,
      );
      await mkdir(path.join(root(), relDir), { recursive: true });
      await rename(upload.file, path.join(root(), rel));
      const input: ReviewUploadInput = {
        workflowId,
        projectId,
        userId,
        stackDraftId: draftId,
        sourcePath: rel,
        container: video.container,
        fileName: upload.fileName,
      };
      try {
        const created = await transaction(pool, async (c) => {
          const inserted = await c.query(
            `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request)
             VALUES ($1, 'upload', $2, $3, 'upload', $4) ON CONFLICT (workflow_id) DO NOTHING`,
            [
              workflowId,
              projectId,
              userId,
              JSON.stringify({
                stackDraftId: draftId,
                fileName: upload.fileName,
                width: video.width,
                height: video.height,
                durationSeconds: video.durationSeconds,
              }),
            ],
          );
          if (inserted.rowCount === 0) return false;
          await client.enqueueInTransaction(
            c,
            {
              queueName: QUEUES.media,
              workflowName: WORKFLOWS.reviewUpload,
              workflowID: workflowId,
            },
            input,
          );
          return true;
        });
        if (!created) await rm(path.join(root(), rel), { force: true });
        return { workflowId, duplicate: !created };
      } catch (err) {
        await rm(path.join(root(), rel), { force: true });
        throw err;
      }
    },

    async status(userId, workflowId) {
      const r = await pool.query<{
        project_id: string;
        status: UploadStatus["status"];
        stage: string;
        progress: number;
        draft_id: string | null;
        error: string | null;
      }>(
        `SELECT project_id, status, stage, progress, draft_id, error FROM generation_jobs
          WHERE workflow_id = $1 AND kind = 'upload'`,
        [workflowId],
      );
      const row = r.rows[0];
      if (!row || !(await projectRole(pool, userId, row.project_id))) throw notFound();
      return {
        workflowId,
        status: row.status,
        stage: row.stage,
        progress: row.progress,
        draftId: row.draft_id,
        error: row.error,
      };
    },

    async close() {
      await client.destroy();
    },
  };
}
