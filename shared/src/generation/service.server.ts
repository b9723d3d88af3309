import { randomBytes } from "node:crypto";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import sharp, { type Metadata } from "sharp";
import type { z } from "zod";
import { resolveCast } from "../cameos/consent.server.ts";
import { CameoError } from "../cameos/errors.ts";
import { castFromPrompt } from "../cameos/mentions.ts";
import { type Pool, transaction } from "../db/pool.server.ts";
import { env } from "../env.server.ts";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "../names.ts";
import { dataDir } from "../paths.server.ts";
import { projectRole } from "../workspaces/db.server.ts";
import { atLeast } from "../workspaces/roles.ts";
import { listWorkspaceBackends, projectWorkspace } from "./backend-settings.server.ts";
import { capabilityRefusal } from "./capabilities.ts";
import { DBOS_SCHEMA, ensureDbosSchema, systemDatabaseUrl } from "./dbos.server.ts";
import {
  type GenerateInput,
  generateWorkflowId,
  type JobStatus,
  MAX_SEQUENCE_SHOTS,
  promptText,
  requestIdSchema,
  type SequenceInput,
  sequenceShotSchema,
  sequenceWorkflowId,
  workflowKey,
} from "./jobs.ts";
import { backendRefusal, DEFAULT_BACKEND, describeBackends } from "./registry.server.ts";
import { type GenerationRequest, generationRequestSchema } from "./request.ts";

/**
 * The generation API of the web tier. It never imports workflow code: it validates at the edge,
 * checks the person's role, then inserts the job row and enqueues the workflow BY NAME through the
 * DBOS client in one transaction (the DBOS tables live in the same database). A refusal throws a
 * GenerationRefusal with a clear message, and nothing is written.
 */

export class GenerationRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status for the route to answer with. */
    readonly status: 400 | 403 | 404 | 409 | 413,
    readonly field?: string,
  ) {
    super(message);
    this.name = "GenerationRefusal";
  }
}

/** Input images: bounded bytes (MAX_UPLOAD_BYTES) and dimensions. */
export const MAX_IMAGE_DIMENSION = 4096;
export const MIN_IMAGE_DIMENSION = 64;
const IMAGE_FORMATS = new Set(["jpeg", "png", "webp"]);

export interface SubmitGenerationInput {
  projectId: string;
  /** Made by the client once per press of Generate; resubmitting it returns the same job. */
  requestId: string;
  backend?: string;
  /** A GenerationRequestInput (prompt, durationSeconds, size, seed, cast). */
  request: unknown;
  /** Image-to-video: the uploaded bytes, validated by content. */
  image?: Uint8Array;
  /** A storyboard shot this clip renders: its draft becomes the shot's latest render. */
  shotId?: string;
}

export interface SubmitSequenceInput {
  projectId: string;
  requestId: string;
  backend?: string;
  /** [{ shotId, request, transition? }] in order. */
  shots: unknown;
}

export interface DraftView {
  id: string;
  videoPath: string;
  posterPath: string;
  spritePath: string;
  sprite: unknown;
  durationMs: number;
  width: number;
  height: number;
  /** The name the person gave it (null: not renamed; the prompt labels it). */
  title: string | null;
  createdBy: string;
}

export interface JobView {
  workflowId: string;
  kind: "clip" | "sequence" | "edit" | "upload";
  projectId: string;
  userId: string;
  backend: string;
  status: JobStatus;
  stage: string;
  progress: number;
  errorCode: string | null;
  error: string | null;
  shotId: string | null;
  parentWorkflowId: string | null;
  draft: DraftView | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubmitResult {
  job: JobView;
  /** True when this request id was already submitted: no new job was made. */
  duplicate: boolean;
}

export interface GenerationService {
  submitGeneration(userId: string, input: SubmitGenerationInput): Promise<SubmitResult>;
  submitSequence(userId: string, input: SubmitSequenceInput): Promise<SubmitResult>;
  getJob(userId: string, workflowId: string): Promise<JobView | null>;
  listJobs(userId: string, projectId: string, opts?: { limit?: number }): Promise<JobView[]>;
  cancelJob(userId: string, workflowId: string): Promise<JobView>;
  close(): Promise<void>;
}

function firstIssue(error: z.ZodError): { message: string; field: string } {
  const issue = error.issues[0]!;
  return { message: issue.message, field: issue.path.join(".") };
}

function parseRequest(raw: unknown, fieldPrefix = "") {
  if (raw && typeof raw === "object" && "inputImagePath" in raw) {
    throw new GenerationRefusal(
      "invalid_request",
      "Upload the image itself; paths are not accepted.",
      400,
      "image",
    );
  }
  const parsed = generationRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const { message, field } = firstIssue(parsed.error);
    throw new GenerationRefusal("invalid_request", message, 400, fieldPrefix + field);
  }
  return parsed.data;
}

/** Decodes the whole image (not just its header) and re-encodes it as PNG into `dest`. */
async function acceptImage(bytes: Uint8Array, dest: string): Promise<void> {
  const max = env().MAX_UPLOAD_BYTES;
  if (bytes.byteLength > max) {
    throw new GenerationRefusal(
      "image_too_large",
      `The image is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the limit is ${(max / 1048576).toFixed(0)} MB.`,
      413,
      "image",
    );
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, {
      limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION,
    }).metadata();
  } catch {
    throw new GenerationRefusal(
      "not_an_image",
      "That file is not an image we can read (use JPEG, PNG or WebP).",
      400,
      "image",
    );
  }
  if (!meta.format || !IMAGE_FORMATS.has(meta.format)) {
    throw new GenerationRefusal(
      "not_an_image",
      `Images must be JPEG, PNG or WebP, not ${meta.format ?? "unknown"}.`,
      400,
      "image",
    );
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w > MAX_IMAGE_DIMENSION || h > MAX_IMAGE_DIMENSION) {
    throw new GenerationRefusal(
      "image_too_large",
      `The image is ${w}×${h} pixels; at most ${MAX_IMAGE_DIMENSION}×${MAX_IMAGE_DIMENSION} is allowed.`,
      413,
      "image",
    );
  }
  if (w < MIN_IMAGE_DIMENSION || h < MIN_IMAGE_DIMENSION) {
    throw new GenerationRefusal(
      "image_too_small",
      `The image must be at least ${MIN_IMAGE_DIMENSION} pixels on each side.`,
      400,
      "image",
    );
  }
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.part-${process.pid}`;
  try {
    await sharp(bytes, {
      limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION,
      failOn: "error",
    })
      .rotate()
      .png()
      .toFile(tmp);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof GenerationRefusal) throw err;
    throw new GenerationRefusal(
      "not_an_image",
      "That image is damaged or truncated and cannot be decoded.",
      400,
      "image",
    );
  }
}

const JOB_SELECT = `
  SELECT j.workflow_id, j.kind, j.project_id, j.user_id, j.backend, j.status, j.stage, j.progress,
         j.error_code, j.error, j.shot_id, j.parent_workflow_id, j.created_at, j.updated_at,
         d.id AS draft_id, d.video_path, d.poster_path, d.sprite_path, d.sprite, d.duration_ms, d.width, d.height,
         d.title AS draft_title, d.created_by AS draft_created_by
    FROM generation_jobs j LEFT JOIN drafts d ON d.workflow_id = j.workflow_id`;

// biome-ignore lint/suspicious/noExplicitAny: a row of JOB_SELECT
function toJob(r: any): JobView {
  return {
    workflowId: r.workflow_id,
    kind: r.kind,
    projectId: r.project_id,
    userId: r.user_id,
    backend: r.backend,
    status: r.status,
    stage: r.stage,
    progress: r.progress,
    errorCode: r.error_code,
    error: r.error,
    shotId: r.shot_id,
    parentWorkflowId: r.parent_workflow_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    draft: r.draft_id
      ? {
          id: r.draft_id,
          videoPath: r.video_path,
          posterPath: r.poster_path,
          spritePath: r.sprite_path,
          sprite: r.sprite,
          durationMs: r.duration_ms,
          width: r.width,
          height: r.height,
          title: r.draft_title ?? null,
          createdBy: r.draft_created_by,
        }
      : null,
  };
}

export async function createGenerationService(opts: {
  pool: Pool;
  databaseUrl: string;
}): Promise<GenerationService> {
  const { pool } = opts;
  const sysUrl = systemDatabaseUrl(opts.databaseUrl);
  // Creates the DBOS tables if no worker has yet (idempotent), so enqueueing works from the start.
  await ensureDbosSchema(opts.databaseUrl);
  const client = await DBOSClient.create({
    systemDatabaseUrl: sysUrl,
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
    systemDatabasePoolSize: 4,
  });

  async function requireRole(userId: string, projectId: string, min: "editor" | "viewer") {
    const found = await projectRole(pool, userId, projectId);
    if (!found) throw new GenerationRefusal("not_found", "No such project.", 404);
    if (!atLeast(found.role, min)) {
      throw new GenerationRefusal(
        "forbidden",
        `Only editors and owners can generate in this project; you are a ${found.role}.`,
        403,
      );
    }
    return found;
  }

  async function readJob(workflowId: string): Promise<JobView | null> {
    const r = await pool.query(`${JOB_SELECT} WHERE j.workflow_id = $1`, [workflowId]);
    return r.rows[0] ? toJob(r.rows[0]) : null;
  }

  /** Cameo consent when a render starts: each cast cameo resolved, allowed and its id recorded. */
  async function castWithConsent(
    userId: string,
    request: GenerationRequest,
    field: string,
  ): Promise<GenerationRequest> {
    // No cast of its own: the prompt's "@mia as the barista" casts (a bare @mention casts nobody).
    const named = request.cast.length > 0 ? request.cast : castFromPrompt(promptText(request));
    if (named.length === 0) return request;
    try {
      const { cast } = await resolveCast(pool, userId, named, promptText(request));
      return { ...request, cast };
    } catch (err) {
      if (err instanceof CameoError)
        throw new GenerationRefusal(
          err.code,
          err.message,
          err.status === 400 || err.status === 404 ? err.status : 403,
          field,
        );
      throw err;
    }
  }

  /**
   * The backend a job runs on: the one asked for, else the workspace's default, else previz. It
   * must be available to the project's workspace (built in, or set up in Settings → Model
   * backends) and able to make every request (size, duration, reference image).
   */
  async function chooseBackend(
    projectId: string,
    asked: string | undefined,
    requests: { request: GenerationRequest; field: string; hasImage: boolean }[],
  ): Promise<string> {
    const workspaceId = await projectWorkspace(pool, projectId);
    const ws = workspaceId
      ? await listWorkspaceBackends(pool, workspaceId)
      : { configured: [], defaultBackend: null };
    const configured = ws.configured.map((c) => c.backend);
    const name = asked ?? ws.defaultBackend ?? DEFAULT_BACKEND;
    const refusal = backendRefusal(name, configured);
    if (refusal) throw new GenerationRefusal("unknown_backend", refusal, 400, "backend");
    const backend = describeBackends(configured).find((b) => b.name === name)!;
    for (const r of requests) {
      const why = capabilityRefusal(backend.label, backend.capabilities, {
        size: r.request.size,
        durationSeconds: r.request.durationSeconds,
        hasImage: r.hasImage,
      });
      if (why)
        throw new GenerationRefusal(
          "unsupported_by_backend",
          why.message,
          400,
          r.field ? `${r.field}.${why.field}` : why.field,
        );
    }
    return name;
  }

  /** Inserts the job row and enqueues its workflow atomically; a known workflow id is a duplicate. */
  async function enqueue(
    kind: "clip" | "sequence",
    workflowName: string,
    queueName: string,
    input: GenerateInput | SequenceInput,
    request: unknown,
  ): Promise<boolean> {
    return transaction(pool, async (c) => {
      const inserted = await c.query(
        `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, shot_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workflow_id) DO NOTHING RETURNING workflow_id`,
        [
          input.workflowId,
          kind,
          input.projectId,
          input.userId,
          input.backend,
          JSON.stringify(request),
          "shotId" in input ? (input.shotId ?? null) : null,
        ],
      );
      if (inserted.rowCount === 0) return false;
      await client.enqueueInTransaction(
        c,
        { queueName, workflowName, workflowID: input.workflowId },
        input,
      );
      return true;
    });
  }

  return {
    async submitGeneration(userId, input) {
      const requestId = requestIdSchema.safeParse(input.requestId);
      if (!requestId.success)
        throw new GenerationRefusal(
          "invalid_request",
          firstIssue(requestId.error).message,
          400,
          "requestId",
        );
      const request = parseRequest(input.request);
      if (
        input.shotId !== undefined &&
        (typeof input.shotId !== "string" || input.shotId.length < 1 || input.shotId.length > 120)
      )
        throw new GenerationRefusal(
          "invalid_request",
          "A shot id is 1-120 characters.",
          400,
          "shotId",
        );
      await requireRole(userId, input.projectId, "editor");
      const backend = await chooseBackend(input.projectId, input.backend, [
        { request, field: "", hasImage: Boolean(input.image) },
      ]);
      const workflowId = generateWorkflowId(input.projectId, requestId.data);
      const existing = await readJob(workflowId);
      if (existing) return { job: existing, duplicate: true };
      const castRequest = await castWithConsent(userId, request, "cast");

      let imagePath: string | undefined;
      if (input.image) {
        imagePath = path.join(
          dataDir(),
          "uploads",
          "generation",
          workflowKey(workflowId),
          `input-${randomBytes(4).toString("hex")}.png`,
        );
        await acceptImage(input.image, imagePath);
      }
      const workflowInput: GenerateInput = {
        workflowId,
        projectId: input.projectId,
        userId,
        backend,
        request: imagePath ? { ...castRequest, inputImagePath: imagePath } : castRequest,
        ...(input.shotId ? { shotId: input.shotId } : {}),
        notify: true,
      };
      const created = await enqueue(
        "clip",
        WORKFLOWS.generate,
        QUEUES.render,
        workflowInput,
        workflowInput.request,
      ).catch(async (err: unknown) => {
        if (imagePath) await rm(imagePath, { force: true });
        throw err;
      });
      if (!created && imagePath) await rm(imagePath, { force: true });
      return { job: (await readJob(workflowId))!, duplicate: !created };
    },

    async submitSequence(userId, input) {
      const requestId = requestIdSchema.safeParse(input.requestId);
      if (!requestId.success)
        throw new GenerationRefusal(
          "invalid_request",
          firstIssue(requestId.error).message,
          400,
          "requestId",
        );
      if (!Array.isArray(input.shots) || input.shots.length === 0) {
        throw new GenerationRefusal(
          "invalid_request",
          "A sequence needs at least one shot.",
          400,
          "shots",
        );
      }
      if (input.shots.length > MAX_SEQUENCE_SHOTS) {
        throw new GenerationRefusal(
          "invalid_request",
          `A sequence can have at most ${MAX_SEQUENCE_SHOTS} shots.`,
          400,
          "shots",
        );
      }
      const shots = input.shots.map((raw, i) => {
        const shot = (raw ?? {}) as { request?: unknown };
        const request = parseRequest(shot.request, `shots.${i}.request.`);
        const parsed = sequenceShotSchema.safeParse({ ...shot, request });
        if (!parsed.success) {
          const { message, field } = firstIssue(parsed.error);
          throw new GenerationRefusal(
            "invalid_request",
            `Shot ${i + 1}: ${message}`,
            400,
            `shots.${i}.${field}`,
          );
        }
        return parsed.data;
      });
      const sizes = new Set(shots.map((s) => s.request.size));
      if (sizes.size > 1) {
        throw new GenerationRefusal(
          "invalid_request",
          "Every shot of a sequence must have the same size.",
          400,
          "shots",
        );
      }
      await requireRole(userId, input.projectId, "editor");
      const backend = await chooseBackend(
        input.projectId,
        input.backend,
        shots.map((s, i) => ({ request: s.request, field: `shots.${i}.request`, hasImage: false })),
      );
      const workflowId = sequenceWorkflowId(input.projectId, requestId.data);
      const existing = await readJob(workflowId);
      if (existing) return { job: existing, duplicate: true };
      const castShots = [];
      for (const [i, s] of shots.entries())
        castShots.push({
          ...s,
          request: await castWithConsent(userId, s.request, `shots.${i}.request.cast`),
        });
      const workflowInput: SequenceInput = {
        workflowId,
        projectId: input.projectId,
        userId,
        backend,
        shots: castShots,
      };
      const created = await enqueue(
        "sequence",
        WORKFLOWS.renderStoryboard,
        QUEUES.media,
        workflowInput,
        { shots: castShots },
      );
      return { job: (await readJob(workflowId))!, duplicate: !created };
    },

    async getJob(userId, workflowId) {
      const job = await readJob(workflowId);
      if (!job) return null;
      const role = await projectRole(pool, userId, job.projectId);
      return role ? job : null;
    },

    async listJobs(userId, projectId, o = {}) {
      await requireRole(userId, projectId, "viewer");
      const r = await pool.query(
        `${JOB_SELECT} WHERE j.project_id = $1 ORDER BY j.created_at DESC LIMIT $2`,
        [projectId, Math.min(200, o.limit ?? 50)],
      );
      return r.rows.map(toJob);
    },

    async cancelJob(userId, workflowId) {
      const job = await readJob(workflowId);
      if (!job) throw new GenerationRefusal("not_found", "No such job.", 404);
      const role = await projectRole(pool, userId, job.projectId);
      if (!role) throw new GenerationRefusal("not_found", "No such job.", 404);
      if (job.userId !== userId && !atLeast(role.role, "editor")) {
        throw new GenerationRefusal(
          "forbidden",
          "Only the requester, editors and owners can cancel a job.",
          403,
        );
      }
      if (job.status !== "queued" && job.status !== "running") {
        throw new GenerationRefusal("already_finished", `This job has already ${job.status}.`, 409);
      }
      // The running step sees DBOS's cancel signal and kills its ffmpeg within about a second.
      await client.cancelWorkflow(workflowId, { cancelChildren: true });
      await pool.query(
        `UPDATE generation_jobs SET status = 'cancelled', stage = 'cancelled', finished_at = now()
          WHERE (workflow_id = $1 OR parent_workflow_id = $1) AND status IN ('queued', 'running')`,
        [workflowId],
      );
      return (await readJob(workflowId))!;
    },

    async close() {
      await client.destroy();
    },
  };
}
