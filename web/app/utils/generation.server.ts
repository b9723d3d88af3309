import type { Readable } from "node:stream";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { env } from "@reelhouse/shared/env.server";
import {
  listWorkspaceBackends,
  projectWorkspace,
} from "@reelhouse/shared/generation/backend-settings.server";
import { DEFAULT_BACKEND, describeBackends } from "@reelhouse/shared/generation/registry.server";
import {
  createGenerationService,
  GenerationRefusal,
  type GenerationService,
  type JobView,
} from "@reelhouse/shared/generation/service.server";
import { type AppLoadContext, data } from "react-router";
import type { BackendJson, JobJson, Refusal, SpriteJson } from "../components/generation/types.ts";

/** Glue between the generation service (shared/src/generation) and the project page's routes. */

let service: Promise<GenerationService> | undefined;
/** One DBOS client per web process, created on first use (the web tier enqueues by name only). */
export function generationServiceFor(context: AppLoadContext): Promise<GenerationService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to generate");
  service ??= createGenerationService({ pool: context.services.pool, databaseUrl: url }).catch(
    (err: unknown) => {
      service = undefined;
      throw err;
    },
  );
  return service;
}

/**
 * The backends a person may pick in a project: built in, set up by the operator, or set up in the
 * project's workspace (Settings → Model backends), each with its capabilities; and the workspace's
 * default.
 */
export async function availableBackends(
  pool: Pool,
  projectId: string,
): Promise<{ backends: BackendJson[]; defaultBackend: string }> {
  const workspaceId = await projectWorkspace(pool, projectId);
  const ws = workspaceId
    ? await listWorkspaceBackends(pool, workspaceId)
    : { configured: [], defaultBackend: null };
  const backends = describeBackends(ws.configured.map((c) => c.backend))
    .filter((b) => b.available)
    .map((b) => ({ name: b.name, label: b.label, capabilities: b.capabilities }));
  const defaultBackend =
    ws.defaultBackend && backends.some((b) => b.name === ws.defaultBackend)
      ? ws.defaultBackend
      : DEFAULT_BACKEND;
  return { backends, defaultBackend };
}
export { DEFAULT_BACKEND };

/** A refusal as `{ ok: false, error, code, field }` with its HTTP status; anything else rethrown. */
export function refusalResponse(err: unknown) {
  if (err instanceof GenerationRefusal) {
    return data<Refusal>(
      {
        ok: false,
        error: err.message,
        code: err.code,
        ...(err.field ? { field: err.field } : {}),
      },
      { status: err.status },
    );
  }
  throw err;
}

export function draftFileUrl(projectId: string, draftId: string, file: string): string {
  return `/projects/${projectId}/drafts/${draftId}/${file}`;
}

function labelOf(kind: JobView["kind"], request: unknown): string {
  const r = (request ?? {}) as {
    prompt?: { text?: string; sections?: Record<string, string> };
    shots?: unknown[];
  };
  if (kind === "edit") {
    const clips = (r as { edl?: { clips?: unknown[] } }).edl?.clips?.length ?? 0;
    return `Edit of ${clips} ${clips === 1 ? "clip" : "clips"}`;
  }
  if (kind === "upload") {
    const name = (r as { fileName?: string }).fileName;
    return `Uploaded version${name ? `: ${name}` : ""}`;
  }
  if (kind === "sequence") {
    const n = Array.isArray(r.shots) ? r.shots.length : 0;
    return `Sequence of ${n} ${n === 1 ? "shot" : "shots"}`;
  }
  const text = [r.prompt?.text ?? "", ...Object.values(r.prompt?.sections ?? {})].join("\n").trim();
  const first = text.split("\n")[0] ?? "";
  return first.length > 90 ? `${first.slice(0, 89)}…` : first || "(no prompt)";
}

function sizeOf(request: unknown): string {
  const r = (request ?? {}) as {
    size?: unknown;
    shots?: { request?: { size?: unknown } }[];
    edl?: { width?: number; height?: number };
  };
  const size =
    r.size ?? r.shots?.[0]?.request?.size ?? (r.edl ? `${r.edl.width}x${r.edl.height}` : undefined);
  return typeof size === "string" && /^\d+x\d+$/.test(size) ? size : "720x1280";
}

function seedOf(request: unknown): number | null {
  const r = (request ?? {}) as { seed?: unknown; shots?: { request?: { seed?: unknown } }[] };
  const seed = r.seed ?? r.shots?.[0]?.request?.seed;
  return typeof seed === "number" && Number.isInteger(seed) ? seed : null;
}

function isSprite(s: unknown): s is SpriteJson {
  const o = s as Record<string, unknown> | null;
  return Boolean(
    o &&
      ["columns", "rows", "tileWidth", "tileHeight", "intervalSeconds", "count"].every(
        (k) => typeof o[k] === "number",
      ),
  );
}

/** Jobs as the browser sees them: draft files as access-checked URLs, never paths. */
export async function jobsJson(pool: Pool, jobs: JobView[]): Promise<JobJson[]> {
  if (jobs.length === 0) return [];
  const r = await pool.query<{ workflow_id: string; request: unknown }>(
    "SELECT workflow_id, request FROM generation_jobs WHERE workflow_id = ANY($1::text[])",
    [jobs.map((j) => j.workflowId)],
  );
  const requests = new Map(r.rows.map((x) => [x.workflow_id, x.request]));
  const u = await pool.query<{ id: string; username: string | null }>(
    "SELECT id, username FROM users WHERE id = ANY($1::uuid[])",
    [[...new Set(jobs.map((j) => j.userId))]],
  );
  const names = new Map(u.rows.map((x) => [x.id, x.username ?? ""]));
  return jobs.map((j) => ({
    ...jobJson(j, requests.get(j.workflowId)),
    username: names.get(j.userId) ?? "",
  }));
}

export function jobJson(j: JobView, request: unknown): JobJson {
  return {
    workflowId: j.workflowId,
    kind: j.kind,
    userId: j.userId,
    username: "",
    backend: j.backend,
    status: j.status,
    stage: j.stage,
    progress: j.progress,
    error: j.error,
    shotId: j.shotId,
    parentWorkflowId: j.parentWorkflowId,
    label: j.draft?.title ?? labelOf(j.kind, request),
    renamed: !!j.draft?.title,
    size: sizeOf(request),
    seed: seedOf(request),
    shotCount:
      j.kind === "sequence"
        ? ((request as { shots?: unknown[] } | null)?.shots?.length ?? null)
        : null,
    createdAt: new Date(j.createdAt).toISOString(),
    draft: j.draft
      ? {
          id: j.draft.id,
          videoUrl: draftFileUrl(j.projectId, j.draft.id, "video.mp4"),
          posterUrl: draftFileUrl(j.projectId, j.draft.id, "poster.jpg"),
          spriteUrl: draftFileUrl(j.projectId, j.draft.id, "sprite.jpg"),
          sprite: isSprite(j.draft.sprite) ? j.draft.sprite : null,
          durationMs: j.draft.durationMs,
          width: j.draft.width,
          height: j.draft.height,
          createdBy: j.draft.createdBy,
        }
      : null,
  };
}

/** Reads an uploaded file stream into memory, keeping at most `max + 1` bytes (the service refuses more). */
export async function collectUpload(stream: Readable, max: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (n > max) continue; // drain, keep nothing more
    chunks.push(chunk);
    n += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, max + 1);
}
