import { createHash, randomBytes, randomInt } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { type Pool, transaction } from "../db/pool.server.ts";
import { listWorkspaceBackends } from "../generation/backend-settings.server.ts";
import { catalogEntry } from "../generation/capabilities.ts";
import { workflowKey } from "../generation/jobs.ts";
import { backendRefusal, DEFAULT_BACKEND } from "../generation/registry.server.ts";
import type { GenerationRequest } from "../generation/request.ts";
import { MAX_PROMPT_CHARS } from "../generation/request.ts";
import { GenerationRefusal, type GenerationService } from "../generation/service.server.ts";
import { dataDir } from "../paths.server.ts";
import { draftIdFor } from "../provenance/draft-id.ts";
import { waitForDraftExport } from "../provenance/export-wait.server.ts";
import { applyEditPrompt } from "../understanding/apply-edit.ts";
import type { CharactersApi } from "./characters.server.ts";
import { ApiError, exportPending, notFound } from "./errors.ts";
import { type ApiPrincipal, requireScope } from "./keys.server.ts";
import {
  contentVariantSchema,
  createVideoSchema,
  editVideoSchema,
  extendVideoSchema,
  listVideosSchema,
  remixVideoSchema,
  type VideoObject,
} from "./schemas.ts";

/**
 * The Videos API (OpenAI's /v1/videos contract) over Reelhouse's generation service: every video is
 * a generation job of the workspace's "API videos" project, so it goes through the same validation,
 * role check, durable `generate` workflow and safety step as a video made on the project page. An
 * api_videos row adds what the OpenAI object needs (its `video_…` id, the model name asked for,
 * the remix/extension lineage) and scopes every read to the key's workspace.
 */

/** OpenAI's model names, which run on the workspace's configured backend (api_workspaces.sora_backend). */
export const OPENAI_MODEL = /^sora-2(-pro)?(-\d{4}-\d{2}-\d{2})?$/;
export const API_PROJECT_TITLE = "API videos";

export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const param = issue.path.map(String).join(".") || null;
  const message =
    issue.code === "invalid_type" && issue.input === undefined && param
      ? `Missing required parameter: '${param}'.`
      : issue.message;
  throw new ApiError(
    400,
    issue.code === "invalid_type" ? "missing_parameter" : "invalid_value",
    message,
    param,
  );
}

/** The API's parameter name for a generation request field. */
function paramOf(field: string | undefined): string | null {
  if (!field) return null;
  // A cast comes from the prompt's "@… as the …" in the API.
  if (field.includes("prompt") || field.includes("cast")) return "prompt";
  if (field.includes("durationSeconds")) return "seconds";
  if (field.includes("size")) return "size";
  if (field === "image" || field.endsWith(".image")) return "input_reference";
  if (field === "backend") return "model";
  return field;
}

function fromRefusal(err: unknown): never {
  if (err instanceof GenerationRefusal) {
    const status = err.status === 404 ? 404 : err.status;
    throw new ApiError(status, err.code, err.message, paramOf(err.field));
  }
  throw err;
}

const SELECT = `
  SELECT v.id, v.model, v.prompt, v.seconds, v.size, v.remixed_from_video_id, v.created_at, v.seq,
         v.workflow_id, j.backend, j.status, j.progress, j.error_code, j.error, j.finished_at, j.request,
         COALESCE(d.export_path, d.video_path) AS video_path, d.poster_path, d.sprite_path
    FROM api_videos v
    JOIN generation_jobs j ON j.workflow_id = v.workflow_id
    LEFT JOIN drafts d ON d.workflow_id = v.workflow_id`;

interface Row {
  id: string;
  model: string;
  prompt: string;
  seconds: number;
  size: string;
  remixed_from_video_id: string | null;
  created_at: Date;
  seq: string;
  workflow_id: string;
  /** The backend that made it (what `model` mapped to then). */
  backend: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: number;
  error_code: string | null;
  error: string | null;
  finished_at: Date | null;
  request: GenerationRequest;
  video_path: string | null;
  poster_path: string | null;
  sprite_path: string | null;
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function toVideo(r: Row): VideoObject {
  const status =
    r.status === "succeeded"
      ? "completed"
      : r.status === "running"
        ? "in_progress"
        : r.status === "queued"
          ? "queued"
          : "failed";
  return {
    id: r.id,
    object: "video",
    model: r.model,
    status,
    progress: status === "completed" ? 100 : r.progress,
    prompt: r.prompt,
    seconds: String(r.seconds),
    size: r.size,
    created_at: unix(r.created_at),
    completed_at: status === "completed" && r.finished_at ? unix(r.finished_at) : null,
    expires_at: null,
    remixed_from_video_id: r.remixed_from_video_id,
    error:
      status === "failed"
        ? {
            code: r.status === "cancelled" ? "cancelled" : (r.error_code ?? "generation_failed"),
            message:
              r.error ??
              (r.status === "cancelled" ? "The job was cancelled." : "The generation failed."),
          }
        : null,
  };
}

export interface VideosApi {
  create(
    p: ApiPrincipal,
    raw: unknown,
    opts?: { image?: Uint8Array; idempotencyKey?: string },
  ): Promise<VideoObject>;
  retrieve(p: ApiPrincipal, id: string): Promise<VideoObject>;
  list(
    p: ApiPrincipal,
    raw: unknown,
  ): Promise<{
    object: "list";
    data: VideoObject[];
    first_id: string | null;
    last_id: string | null;
    has_more: boolean;
  }>;
  remove(
    p: ApiPrincipal,
    id: string,
  ): Promise<{ id: string; object: "video.deleted"; deleted: true }>;
  /** The file of a completed video's variant, relative to DATA_DIR, and its content type. */
  content(
    p: ApiPrincipal,
    id: string,
    raw: unknown,
  ): Promise<{ relPath: string; contentType: string; filename: string }>;
  remix(
    p: ApiPrincipal,
    id: string,
    raw: unknown,
    opts?: { idempotencyKey?: string },
  ): Promise<VideoObject>;
  extend(p: ApiPrincipal, raw: unknown, opts?: { idempotencyKey?: string }): Promise<VideoObject>;
  edit(p: ApiPrincipal, raw: unknown, opts?: { idempotencyKey?: string }): Promise<VideoObject>;
}

/**
 * A request id for the generation service (8-64 of [A-Za-z0-9_-]): from the client's
 * Idempotency-Key, hashed with the API key's id (so two keys never share one), or random.
 */
export function requestIdFor(
  kind: string,
  idempotencyKey: string | undefined,
  keyId: string,
): string {
  if (!idempotencyKey) return `api-${kind}-${randomBytes(12).toString("hex")}`;
  const digest = createHash("sha256").update(`${keyId}\n${idempotencyKey}`).digest("hex");
  return `api-${kind}-${digest.slice(0, 40)}`;
}

export function createVideosApi(opts: {
  pool: Pool;
  generation: GenerationService;
  /** Characters cast by a prompt ("@char_… as the barista"); without it prompts cast as in the app. */
  characters?: CharactersApi;
}): VideosApi {
  const { pool, generation } = opts;
  const castOf = async (p: ApiPrincipal, prompt: string) => {
    const cast = opts.characters ? await opts.characters.castOf(p, prompt) : [];
    return cast.length > 0 ? { cast } : {};
  };

  /** The workspace's API project and sora backend, made on first use (serialised per workspace). */
  async function apiWorkspace(
    p: ApiPrincipal,
  ): Promise<{ projectId: string; soraBackend: string }> {
    const found = await pool.query<{ project_id: string; sora_backend: string }>(
      "SELECT project_id, sora_backend FROM api_workspaces WHERE workspace_id = $1",
      [p.workspaceId],
    );
    if (found.rows[0])
      return { projectId: found.rows[0].project_id, soraBackend: found.rows[0].sora_backend };
    return transaction(pool, async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('api_workspace:' || $1))", [
        p.workspaceId,
      ]);
      const again = await c.query<{ project_id: string; sora_backend: string }>(
        "SELECT project_id, sora_backend FROM api_workspaces WHERE workspace_id = $1",
        [p.workspaceId],
      );
      if (again.rows[0])
        return { projectId: again.rows[0].project_id, soraBackend: again.rows[0].sora_backend };
      const project = await c.query<{ id: string }>(
        "INSERT INTO projects (workspace_id, title, created_by) VALUES ($1, $2, $3) RETURNING id",
        [p.workspaceId, API_PROJECT_TITLE, p.userId],
      );
      await c.query("INSERT INTO api_workspaces (workspace_id, project_id) VALUES ($1, $2)", [
        p.workspaceId,
        project.rows[0]!.id,
      ]);
      return { projectId: project.rows[0]!.id, soraBackend: DEFAULT_BACKEND };
    });
  }

  /**
   * `model` → backend: none → previz; an OpenAI name (sora-2, …) → the workspace's default backend
   * (Settings → Model backends), else api_workspaces.sora_backend; any other name is a backend.
   */
  async function backendFor(
    p: ApiPrincipal,
    model: string | undefined,
    soraBackend: string,
    o: { rerender?: "extend" | "edit" } = {},
  ): Promise<string> {
    if (!model) return DEFAULT_BACKEND;
    const ws = await listWorkspaceBackends(pool, p.workspaceId);
    const configured = ws.configured.map((c) => c.backend);
    const backend = OPENAI_MODEL.test(model) ? (ws.defaultBackend ?? soraBackend) : model;
    const refusal = backendRefusal(backend, configured);
    if (refusal) throw new ApiError(400, "invalid_model", refusal, "model");
    // Extend and edit render the source's own request again (with a new segment, or with the
    // edit applied): only a backend that makes the same video from the same request and seed
    // (catalog capability `extend`: previz; the test-only backends) can keep the source's picture.
    const entry = catalogEntry(backend);
    if (o.rerender && entry && !entry.capabilities.extend)
      throw new ApiError(
        400,
        "unsupported_by_backend",
        o.rerender === "extend"
          ? `${entry.label} cannot extend a video.`
          : `${entry.label} cannot edit a video: it does not render the same video twice from one request and seed, so an edit would be a different video. Remix it instead (POST /v1/videos/{id}/remix), or make the video with model previz.`,
        "video",
      );
    return backend;
  }

  async function row(p: ApiPrincipal, id: string, param: string | null = null): Promise<Row> {
    const r = await pool.query<Row>(`${SELECT} WHERE v.id = $1 AND v.workspace_id = $2`, [
      id,
      p.workspaceId,
    ]);
    if (!r.rows[0]) throw notFound("video", id, param);
    return r.rows[0];
  }

  async function record(
    p: ApiPrincipal,
    workflowId: string,
    fields: {
      model: string;
      prompt: string;
      seconds: number;
      size: string;
      remixedFrom?: string;
      extendedFrom?: string;
      editedFrom?: string;
    },
  ): Promise<VideoObject> {
    await pool.query(
      `INSERT INTO api_videos (id, workspace_id, user_id, api_key_id, workflow_id, model, prompt, seconds, size,
                               remixed_from_video_id, extended_from_video_id, edited_from_video_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (workflow_id) DO NOTHING`,
      [
        `video_${randomBytes(12).toString("hex")}`,
        p.workspaceId,
        p.userId,
        p.keyId,
        workflowId,
        fields.model,
        fields.prompt,
        fields.seconds,
        fields.size,
        fields.remixedFrom ?? null,
        fields.extendedFrom ?? null,
        fields.editedFrom ?? null,
      ],
    );
    const r = await pool.query<Row>(`${SELECT} WHERE v.workflow_id = $1 AND v.workspace_id = $2`, [
      workflowId,
      p.workspaceId,
    ]);
    // An Idempotency-Key reused across workspaces cannot happen (keys are hashed with the key id).
    return toVideo(r.rows[0]!);
  }

  async function submitClip(
    p: ApiPrincipal,
    kind: string,
    request: { prompt: string; seconds: number; size: string; seed: number },
    model: string | undefined,
    opts: { image?: Uint8Array; idempotencyKey?: string; remixedFrom?: string },
  ): Promise<VideoObject> {
    const ws = await apiWorkspace(p);
    const backend = await backendFor(p, model, ws.soraBackend);
    const result = await generation
      .submitGeneration(p.userId, {
        projectId: ws.projectId,
        requestId: requestIdFor(kind, opts.idempotencyKey, p.keyId),
        backend,
        request: {
          prompt: { text: request.prompt },
          durationSeconds: request.seconds,
          size: request.size,
          seed: request.seed,
          ...(await castOf(p, request.prompt)),
        },
        ...(opts.image ? { image: opts.image } : {}),
      })
      .catch(fromRefusal);
    return record(p, result.job.workflowId, {
      model: model ?? DEFAULT_BACKEND,
      prompt: request.prompt,
      seconds: request.seconds,
      size: request.size,
      remixedFrom: opts.remixedFrom,
    });
  }

  function completed(r: Row, param: string | null): Row & { video_path: string } {
    if (r.status !== "succeeded" || !r.video_path)
      throw new ApiError(
        409,
        "video_not_ready",
        `Video '${r.id}' is ${toVideo(r).status}; only a completed video can be used here.`,
        param,
      );
    return r as Row & { video_path: string };
  }

  return {
    async create(p, raw, o = {}) {
      requireScope(p, "videos:write");
      const input = parse(createVideoSchema, raw);
      return submitClip(
        p,
        "video",
        {
          prompt: input.prompt,
          seconds: input.seconds,
          size: input.size,
          seed: randomInt(0, 2 ** 31 - 1),
        },
        input.model,
        o,
      );
    },

    async retrieve(p, id) {
      requireScope(p, "videos:read");
      return toVideo(await row(p, id));
    },

    async list(p, raw) {
      requireScope(p, "videos:read");
      const q = parse(listVideosSchema, raw);
      let cursor: string | null = null;
      if (q.after) cursor = (await row(p, q.after, "after")).seq;
      const cmp = q.order === "asc" ? ">" : "<";
      const r = await pool.query<Row>(
        `${SELECT} WHERE v.workspace_id = $1 AND ($2::bigint IS NULL OR v.seq ${cmp} $2::bigint)
          ORDER BY v.seq ${q.order === "asc" ? "ASC" : "DESC"} LIMIT $3`,
        [p.workspaceId, cursor, q.limit + 1],
      );
      const data = r.rows.slice(0, q.limit).map(toVideo);
      return {
        object: "list",
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: r.rows.length > q.limit,
      };
    },

    async remove(p, id) {
      requireScope(p, "videos:write");
      const r = await row(p, id);
      if (r.status === "queued" || r.status === "running")
        throw new ApiError(
          409,
          "video_not_finished",
          `Video '${id}' is still ${toVideo(r).status}; only a completed or failed video can be deleted.`,
        );
      await transaction(pool, async (c) => {
        await c.query("DELETE FROM drafts WHERE workflow_id = $1", [r.workflow_id]);
        await c.query("DELETE FROM generation_jobs WHERE workflow_id = $1", [r.workflow_id]);
      });
      // The job's files: DATA_DIR/generations/<workflow key>/ (and an uploaded input image).
      const key = workflowKey(r.workflow_id);
      await rm(path.join(dataDir(), "generations", key), { recursive: true, force: true });
      await rm(path.join(dataDir(), "uploads", "generation", key), {
        recursive: true,
        force: true,
      });
      return { id, object: "video.deleted", deleted: true };
    },

    async content(p, id, raw) {
      requireScope(p, "videos:read");
      const { variant } = parse(contentVariantSchema, raw);
      let r = completed(await row(p, id), null);
      if (variant === "video") {
        // The marked export is written just after the draft appears: wait for it, never serve
        // the unmarked master (export-wait.server.ts).
        const state = await waitForDraftExport(pool, draftIdFor(r.workflow_id));
        if (state === "pending") throw exportPending();
        r = completed(await row(p, id), null);
        return { relPath: r.video_path, contentType: "video/mp4", filename: `${id}.mp4` };
      }
      const rel = variant === "thumbnail" ? r.poster_path : r.sprite_path;
      if (!rel) throw new ApiError(404, "not_found", `Video '${id}' has no ${variant}.`, "variant");
      return { relPath: rel, contentType: "image/jpeg", filename: `${id}-${variant}.jpg` };
    },

    async remix(p, id, raw, o = {}) {
      requireScope(p, "videos:write");
      const { prompt } = parse(remixVideoSchema, raw);
      const source = completed(await row(p, id), null);
      // The same model, duration, size and seed as the source, with the new prompt.
      return submitClip(
        p,
        "remix",
        { prompt, seconds: source.seconds, size: source.size, seed: source.request.seed ?? 0 },
        source.model,
        { idempotencyKey: o.idempotencyKey, remixedFrom: source.id },
      );
    },

    async extend(p, raw, o = {}) {
      requireScope(p, "videos:write");
      const input = parse(extendVideoSchema, raw);
      const source = completed(await row(p, input.video.id, "video"), "video");
      if (source.request.inputImagePath)
        throw new ApiError(
          400,
          "unsupported_source",
          "Extending a video made from an input_reference is not supported yet: its first part could not be reproduced.",
          "video",
        );
      const ws = await apiWorkspace(p);
      // The backend that made the source (sora-2 may map elsewhere by now): it renders it again.
      const backend = await backendFor(p, source.backend, ws.soraBackend, { rerender: "extend" });
      const { inputImagePath: _, ...original } = source.request;
      const seconds = source.seconds + input.seconds;
      if (seconds > 60)
        throw new ApiError(
          400,
          "invalid_value",
          `An extended video can be at most 60 seconds; this one would be ${seconds}.`,
          "seconds",
        );
      // A sequence of the source (re-rendered from its request: backends are deterministic per
      // seed) and the new segment, stitched by the durable renderStoryboard workflow.
      const result = await generation
        .submitSequence(p.userId, {
          projectId: ws.projectId,
          requestId: requestIdFor("extend", o.idempotencyKey, p.keyId),
          backend,
          shots: [
            { shotId: "source", request: original },
            {
              shotId: "extension",
              request: {
                ...original,
                prompt: { text: input.prompt },
                durationSeconds: input.seconds,
              },
            },
          ],
        })
        .catch(fromRefusal);
      return record(p, result.job.workflowId, {
        model: source.model,
        prompt: input.prompt,
        seconds,
        size: source.size,
        extendedFrom: source.id,
      });
    },

    async edit(p, raw, o = {}) {
      requireScope(p, "videos:write");
      const input = parse(editVideoSchema, raw);
      const source = completed(await row(p, input.video.id, "video"), "video");
      if (source.request.inputImagePath)
        throw new ApiError(
          400,
          "unsupported_source",
          "Editing a video made from an input_reference is not supported yet: it could not be rendered again.",
          "video",
        );
      const ws = await apiWorkspace(p);
      const backend = await backendFor(p, source.backend, ws.soraBackend, { rerender: "edit" });
      const { inputImagePath: _, ...original } = source.request;
      // The edit applied to the source's plan (understanding/apply-edit.ts): the source's prompt
      // without the phrases of each family the edit names (time of day, weather, lighting, style),
      // the edit after it; rendered with the source's seed, size and duration, so what the edit
      // does not touch stays as it was.
      const text = applyEditPrompt(original.prompt.text, input.prompt);
      if (text.length > MAX_PROMPT_CHARS)
        throw new ApiError(
          400,
          "invalid_value",
          `The source's prompt and the edit together are ${text.length} characters; at most ${MAX_PROMPT_CHARS}.`,
          "prompt",
        );
      const named = await castOf(p, input.prompt);
      const result = await generation
        .submitGeneration(p.userId, {
          projectId: ws.projectId,
          requestId: requestIdFor("edit", o.idempotencyKey, p.keyId),
          backend,
          request: {
            ...original,
            prompt: { ...original.prompt, text },
            // A cast named by the edit (resolved against the whole prompt), else the source's.
            ...(named.cast ? { cast: await castOf(p, text).then((c) => c.cast ?? []) } : {}),
          },
        })
        .catch(fromRefusal);
      return record(p, result.job.workflowId, {
        model: source.model,
        prompt: input.prompt,
        seconds: source.seconds,
        size: source.size,
        editedFrom: source.id,
      });
    },
  };
}
