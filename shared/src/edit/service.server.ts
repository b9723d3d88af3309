/**
 * The edit API of the web tier: open drafts in an edit, save its decision list, upload a LUT and
 * render. Every call checks the person's role in the edit's project itself (not-found for what
 * they may not see, forbidden for what they may see but not do) and validates at the edge; a
 * refusal (`EditRefusal`) writes nothing. Renders are generation jobs of kind `edit`, enqueued BY
 * NAME in the same transaction as their row, so progress and cancel are the generation service's
 * (`getJob`, `cancelJob`).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DBOSClient } from "@dbos-inc/dbos-sdk";
import type { z } from "zod";
import { type Pool, transaction } from "../db/pool.server.ts";
import { DBOS_SCHEMA, ensureDbosSchema, systemDatabaseUrl } from "../generation/dbos.server.ts";
import { generationRequestSchema } from "../generation/request.ts";
import { DBOS_APP_NAME, QUEUES, WORKFLOWS } from "../names.ts";
import { dataDir } from "../paths.server.ts";
import { projectRole } from "../workspaces/db.server.ts";
import { atLeast } from "../workspaces/roles.ts";
import { editToCsv, editToEdl } from "./export.ts";
import {
  EXTENDABLE_BACKENDS,
  type ExtendInput,
  extendRangeProblem,
  extendRequestSchema,
  extendWorkflowId,
} from "./extend.ts";
import { type EditRenderInput, editWorkflowId, requestIdSchema } from "./jobs.ts";
import type { LoopCandidate } from "./loop.ts";
import { formatCube, LutError, parseCube } from "./lut.ts";
import { detectLoop, probeSource } from "./render.server.ts";
import { type Edit, editSchema } from "./schema.ts";

export class EditRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 413,
    readonly field?: string,
  ) {
    super(message);
    this.name = "EditRefusal";
  }
}

/** A source draft as the editor needs it (files relative to DATA_DIR). */
export interface EditSourceView {
  draftId: string;
  videoPath: string;
  posterPath: string;
  spritePath: string;
  sprite: unknown;
  width: number;
  height: number;
  fps: number;
  frames: number;
  prompt: string;
}

export interface EditView {
  id: string;
  projectId: string;
  title: string;
  sourceDraftIds: string[];
  edl: Edit;
  /** Every draft the decision list refers to. */
  sources: Record<string, EditSourceView>;
}

function firstIssue(err: z.ZodError): { message: string; field: string } {
  const i = err.issues[0];
  return { message: i?.message ?? "invalid", field: i?.path.join(".") ?? "" };
}

/** The decision list a fresh edit starts with: every draft whole, in order, at the first's size. */
export function initialEdit(sources: readonly EditSourceView[]): Edit {
  const first = sources[0]!;
  return editSchema.parse({
    version: 1,
    fps: first.fps,
    width: first.width,
    height: first.height,
    clips: sources.map((s, i) => ({
      id: `c${i + 1}`,
      draftId: s.draftId,
      inFrame: 0,
      outFrame: s.frames,
    })),
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EditService {
  createEdit(
    userId: string,
    input: { projectId: string; draftIds: unknown; title?: unknown },
  ): Promise<EditView>;
  getEdit(userId: string, editId: string): Promise<EditView | null>;
  saveEdl(userId: string, editId: string, edl: unknown): Promise<EditView>;
  uploadLut(
    userId: string,
    editId: string,
    bytes: Uint8Array,
  ): Promise<{ mediaId: string; size: number; title: string }>;
  submitRender(
    userId: string,
    editId: string,
    input: { requestId: unknown; edl: unknown },
  ): Promise<{ workflowId: string; duplicate: boolean }>;
  /**
   * The best loop point of the edit as it plays (trims, transitions and speed applied), found by
   * frame similarity over the decoded picture: put it in `edl.loop`.
   */
  findLoop(userId: string, editId: string, edl: unknown): Promise<LoopCandidate | null>;
  /** The edit as CSV or CMX3600 EDL (any member may export what they can see). */
  exportEdit(
    userId: string,
    editId: string,
    format: string,
  ): Promise<{ filename: string; contentType: string; body: string }>;
  /**
   * Extend a previz draft of the project by `seconds` (`extend` workflow, a generation job of kind
   * clip): refused as not found for a draft the person cannot see, forbidden for viewers,
   * `extend_unsupported` for a draft another backend made (or an edit), `invalid_seconds` when the
   * result would be longer than a clip can be.
   */
  submitExtend(
    userId: string,
    projectId: string,
    draftId: string,
    input: { requestId: unknown; seconds: unknown },
  ): Promise<{ workflowId: string; duplicate: boolean; durationSeconds: number }>;
  close(): Promise<void>;
}

export async function createEditService(opts: {
  pool: Pool;
  databaseUrl: string;
}): Promise<EditService> {
  const { pool } = opts;
  await ensureDbosSchema(opts.databaseUrl);
  const client = await DBOSClient.create({
    systemDatabaseUrl: systemDatabaseUrl(opts.databaseUrl),
    systemDatabaseSchemaName: DBOS_SCHEMA,
    applicationName: DBOS_APP_NAME,
    systemDatabasePoolSize: 2,
  });

  async function role(userId: string, projectId: string, min: "editor" | "viewer") {
    const found = await projectRole(pool, userId, projectId);
    if (!found) throw new EditRefusal("not_found", "No such edit.", 404);
    if (!atLeast(found.role, min)) {
      throw new EditRefusal(
        "forbidden",
        `Only editors and owners can change an edit; you are a ${found.role}.`,
        403,
      );
    }
  }

  /** The drafts of `projectId` among `ids`; any other id is refused as not found (never "forbidden"). */
  async function drafts(
    projectId: string,
    ids: readonly string[],
  ): Promise<Record<string, EditSourceView>> {
    const unique = [...new Set(ids)];
    if (unique.some((id) => !UUID.test(id)))
      throw new EditRefusal("not_found", "No such draft.", 404, "draftIds");
    const r = await pool.query(
      `SELECT id, video_path, poster_path, sprite_path, sprite, probe, width, height, duration_ms, prompt
         FROM drafts WHERE project_id = $1 AND id = ANY($2::uuid[])`,
      [projectId, unique],
    );
    const out: Record<string, EditSourceView> = {};
    for (const row of r.rows) {
      const video = (row.probe?.video ?? {}) as { fps?: number; frames?: number };
      const fps = Math.round(video.fps ?? 30);
      out[row.id] = {
        draftId: row.id,
        videoPath: row.video_path,
        posterPath: row.poster_path,
        spritePath: row.sprite_path,
        sprite: row.sprite,
        width: row.width,
        height: row.height,
        fps,
        frames: video.frames ?? Math.round((row.duration_ms / 1000) * fps),
        prompt: row.prompt,
      };
    }
    if (unique.some((id) => !out[id]))
      throw new EditRefusal("not_found", "No such draft.", 404, "draftIds");
    return out;
  }

  function parseEdl(raw: unknown): Edit {
    const parsed = editSchema.safeParse(raw);
    if (!parsed.success) {
      const { message, field } = firstIssue(parsed.error);
      throw new EditRefusal("invalid_edit", `${field ? `${field}: ` : ""}${message}`, 400, field);
    }
    return parsed.data;
  }

  /** Clips must stay inside their drafts. */
  function checkRanges(edl: Edit, sources: Record<string, EditSourceView>) {
    edl.clips.forEach((c, i) => {
      const s = sources[c.draftId]!;
      if (c.outFrame > s.frames) {
        throw new EditRefusal(
          "out_of_range",
          `Clip ${i + 1} ends at frame ${c.outFrame}, but its draft has ${s.frames} frames.`,
          400,
          `clips.${i}.outFrame`,
        );
      }
    });
  }

  async function load(editId: string) {
    if (!UUID.test(editId)) return null;
    const r = await pool.query(
      "SELECT id, project_id, title, source_draft_ids, edl FROM edits WHERE id = $1",
      [editId],
    );
    return r.rows[0] as
      | { id: string; project_id: string; title: string; source_draft_ids: string[]; edl: Edit }
      | undefined;
  }

  async function view(row: NonNullable<Awaited<ReturnType<typeof load>>>): Promise<EditView> {
    const edl = editSchema.parse(row.edl);
    const sources = await drafts(row.project_id, [
      ...row.source_draft_ids,
      ...edl.clips.map((c) => c.draftId),
    ]);
    return {
      id: row.id,
      projectId: row.project_id,
      title: row.title,
      sourceDraftIds: row.source_draft_ids,
      edl,
      sources,
    };
  }

  async function editFor(userId: string, editId: string, min: "editor" | "viewer") {
    const row = await load(editId);
    if (!row) throw new EditRefusal("not_found", "No such edit.", 404);
    await role(userId, row.project_id, min);
    return row;
  }

  const service: EditService = {
    async createEdit(userId, input) {
      if (!UUID.test(input.projectId)) throw new EditRefusal("not_found", "No such project.", 404);
      await role(userId, input.projectId, "editor");
      const ids = input.draftIds;
      if (
        !Array.isArray(ids) ||
        ids.length === 0 ||
        ids.length > 50 ||
        ids.some((d) => typeof d !== "string")
      ) {
        throw new EditRefusal("invalid_edit", "Open 1 to 50 drafts in an edit.", 400, "draftIds");
      }
      const title = typeof input.title === "string" ? input.title.slice(0, 200) : "";
      const sources = await drafts(input.projectId, ids as string[]);
      const edl = initialEdit((ids as string[]).map((id) => sources[id]!));
      const r = await pool.query<{ id: string }>(
        `INSERT INTO edits (project_id, created_by, title, source_draft_ids, edl)
         VALUES ($1, $2, $3, $4::uuid[], $5) RETURNING id`,
        [input.projectId, userId, title, ids, JSON.stringify(edl)],
      );
      return (await service.getEdit(userId, r.rows[0]!.id))!;
    },

    async getEdit(userId, editId) {
      const row = await load(editId);
      if (!row) return null;
      if (!(await projectRole(pool, userId, row.project_id))) return null;
      return view(row);
    },

    async saveEdl(userId, editId, raw) {
      const row = await editFor(userId, editId, "editor");
      const edl = parseEdl(raw);
      checkRanges(
        edl,
        await drafts(
          row.project_id,
          edl.clips.map((c) => c.draftId),
        ),
      );
      await pool.query("UPDATE edits SET edl = $2 WHERE id = $1", [editId, JSON.stringify(edl)]);
      return view({ ...row, edl });
    },

    async uploadLut(userId, editId, bytes) {
      await editFor(userId, editId, "editor");
      let text: string;
      let lut: ReturnType<typeof parseCube>;
      try {
        lut = parseCube(bytes);
        text = formatCube(lut);
      } catch (err) {
        if (err instanceof LutError) {
          throw new EditRefusal(
            err.code === "too_large" ? "too_large" : "invalid_lut",
            `This LUT can't be used: ${err.message}.`,
            err.code === "too_large" ? 413 : 400,
            "lut",
          );
        }
        throw err;
      }
      const m = await pool.query<{ id: string }>(
        `INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'lut', 'text/plain', $2) RETURNING id`,
        [userId, Buffer.byteLength(text)],
      );
      const mediaId = m.rows[0]!.id;
      const final = lutFile(mediaId);
      const tmp = `${final}.part-${randomBytes(4).toString("hex")}`;
      try {
        await mkdir(path.dirname(final), { recursive: true });
        await writeFile(tmp, text);
        await rename(tmp, final);
      } catch (err) {
        await rm(tmp, { force: true });
        await pool.query("DELETE FROM media WHERE id = $1", [mediaId]);
        throw err;
      }
      return { mediaId, size: lut.size, title: lut.title };
    },

    async submitRender(userId, editId, input) {
      const requestId = requestIdSchema.safeParse(input.requestId);
      if (!requestId.success)
        throw new EditRefusal(
          "invalid_request",
          firstIssue(requestId.error).message,
          400,
          "requestId",
        );
      const row = await editFor(userId, editId, "editor");
      const edl = parseEdl(input.edl);
      const sources = await drafts(
        row.project_id,
        edl.clips.map((c) => c.draftId),
      );
      checkRanges(edl, sources);
      let lutPath: string | undefined;
      if (edl.grade.lutMediaId) {
        const lut = await pool.query(
          "SELECT id FROM media WHERE id = $1 AND kind = 'lut' AND owner_id IS NOT NULL",
          [edl.grade.lutMediaId],
        );
        if (!lut.rows[0])
          throw new EditRefusal("not_found", "No such LUT.", 404, "grade.lutMediaId");
        lutPath = path.relative(dataDir(), lutFile(edl.grade.lutMediaId));
      }
      const workflowId = editWorkflowId(editId, requestId.data);
      const workflowInput: EditRenderInput = {
        workflowId,
        editId,
        projectId: row.project_id,
        userId,
        edl,
        sources: Object.fromEntries(Object.values(sources).map((s) => [s.draftId, s.videoPath])),
        ...(lutPath ? { lutPath } : {}),
        title: row.title,
      };
      const created = await transaction(pool, async (c) => {
        const inserted = await c.query(
          `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request)
           VALUES ($1, 'edit', $2, $3, 'edit', $4) ON CONFLICT (workflow_id) DO NOTHING RETURNING workflow_id`,
          [workflowId, row.project_id, userId, JSON.stringify({ editId, edl })],
        );
        if (inserted.rowCount === 0) return false;
        await c.query("UPDATE edits SET edl = $2 WHERE id = $1", [editId, JSON.stringify(edl)]);
        await client.enqueueInTransaction(
          c,
          { queueName: QUEUES.media, workflowName: WORKFLOWS.edit, workflowID: workflowId },
          workflowInput,
        );
        return true;
      });
      return { workflowId, duplicate: !created };
    },

    async findLoop(userId, editId, raw) {
      const row = await editFor(userId, editId, "viewer");
      const edl = parseEdl(raw);
      const views = await drafts(
        row.project_id,
        edl.clips.map((c) => c.draftId),
      );
      checkRanges(edl, views);
      const sources = Object.fromEntries(
        await Promise.all(
          Object.values(views).map(
            async (v) =>
              [v.draftId, await probeSource(v.draftId, path.join(dataDir(), v.videoPath))] as const,
          ),
        ),
      );
      return (await detectLoop(edl, sources)) ?? null;
    },

    async exportEdit(userId, editId, format) {
      if (format !== "csv" && format !== "edl") {
        throw new EditRefusal("invalid_request", "Export as csv or edl.", 400, "format");
      }
      const row = await editFor(userId, editId, "viewer");
      const v = await view(row);
      const names = Object.fromEntries(
        Object.values(v.sources).map((s) => [s.draftId, s.prompt.slice(0, 60)]),
      );
      const facts = Object.fromEntries(
        Object.values(v.sources).map((s) => [s.draftId, { fps: s.fps, frames: s.frames }]),
      );
      const base = (v.title || "edit").replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60) || "edit";
      return format === "csv"
        ? {
            filename: `${base}.csv`,
            contentType: "text/csv; charset=utf-8",
            body: editToCsv(v.edl, facts, names),
          }
        : {
            filename: `${base}.edl`,
            contentType: "text/plain; charset=utf-8",
            body: editToEdl(v.edl, facts, v.title || "Reelhouse edit", names),
          };
    },

    async submitExtend(userId, projectId, draftId, input) {
      if (!UUID.test(draftId) || !UUID.test(projectId))
        throw new EditRefusal("not_found", "No such draft.", 404);
      const found = await pool.query(
        `SELECT d.id, d.project_id, d.video_path, d.probe, d.backend, d.prompt, j.request
           FROM drafts d LEFT JOIN generation_jobs j ON j.workflow_id = d.workflow_id
          WHERE d.id = $1 AND d.project_id = $2`,
        [draftId, projectId],
      );
      const row = found.rows[0];
      const member = await projectRole(pool, userId, projectId);
      if (!row || !member) throw new EditRefusal("not_found", "No such draft.", 404);
      await role(userId, projectId, "editor");
      const body = extendRequestSchema.safeParse(input);
      if (!body.success) {
        const { message, field } = firstIssue(body.error);
        const code = field === "seconds" ? "invalid_seconds" : "invalid_request";
        throw new EditRefusal(code, message, 400, field);
      }
      const backend = row.backend as string;
      const request = generationRequestSchema.safeParse(row.request);
      if (!(EXTENDABLE_BACKENDS as readonly string[]).includes(backend) || !request.success) {
        throw new EditRefusal(
          "extend_unsupported",
          backend === "edit"
            ? "An edited clip cannot be extended: extend its source, then edit again."
            : `Extend is not supported for clips made by "${backend}": only previz clips can be continued.`,
          400,
        );
      }
      const sourceSeconds = request.data.durationSeconds;
      const fps = request.data.fps;
      const frames = (row.probe?.video?.frames as number | undefined) ?? sourceSeconds * fps;
      if (frames !== sourceSeconds * fps) {
        throw new EditRefusal(
          "extend_unsupported",
          "This clip's video is not the length its request asked for, so it cannot be continued.",
          400,
        );
      }
      const problem = extendRangeProblem(sourceSeconds, body.data.seconds);
      if (problem) throw new EditRefusal("invalid_seconds", problem, 400, "seconds");
      const workflowId = extendWorkflowId(draftId, body.data.requestId);
      // The continuation keeps the source's plan (an extension of an extension, its first plan).
      const extended = {
        ...request.data,
        durationSeconds: sourceSeconds + body.data.seconds,
        planSeconds: request.data.planSeconds ?? sourceSeconds,
      };
      const workflowInput: ExtendInput = {
        workflowId,
        projectId,
        userId,
        sourceDraftId: draftId,
        sourcePath: row.video_path,
        sourceSeconds,
        sourceFrames: frames,
        seconds: body.data.seconds,
        backend: backend as ExtendInput["backend"],
        request: extended,
        title: String(row.prompt ?? "").slice(0, 200),
      };
      const created = await transaction(pool, async (c) => {
        const inserted = await c.query(
          `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request)
           VALUES ($1, 'clip', $2, $3, $4, $5) ON CONFLICT (workflow_id) DO NOTHING RETURNING workflow_id`,
          [workflowId, projectId, userId, backend, JSON.stringify(extended)],
        );
        if (inserted.rowCount === 0) return false;
        await client.enqueueInTransaction(
          c,
          { queueName: QUEUES.render, workflowName: WORKFLOWS.extend, workflowID: workflowId },
          workflowInput,
        );
        return true;
      });
      return { workflowId, duplicate: !created, durationSeconds: extended.durationSeconds };
    },

    async close() {
      await client.destroy();
    },
  };
  return service;
}

/** Where a validated LUT's canonical `.cube` lives. */
export function lutFile(mediaId: string): string {
  return path.join(dataDir(), "luts", `${mediaId}.cube`);
}
