import {
  createEditService,
  EditRefusal,
  type EditService,
} from "@reelhouse/shared/edit/service.server";
import { env } from "@reelhouse/shared/env.server";
import { type AppLoadContext, data } from "react-router";

/** The edit API (shared/src/edit/service.server.ts), one per process. */
let service: Promise<EditService> | undefined;

export function editServiceFor(context: AppLoadContext): Promise<EditService> {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required to edit");
  service ??= createEditService({ pool: context.services.pool, databaseUrl: url }).catch(
    (err: unknown) => {
      service = undefined;
      throw err;
    },
  );
  return service;
}

/** An edit refusal as `{ ok: false, error, code, field }` with its HTTP status; anything else rethrown. */
export function editRefusalResponse(err: unknown) {
  if (err instanceof EditRefusal) {
    return data(
      {
        ok: false as const,
        error: err.message,
        code: err.code,
        ...(err.field ? { field: err.field } : {}),
      },
      { status: err.status },
    );
  }
  throw err;
}

/** What the editor knows of a draft beyond the edit service's view: its backend and lineage. */
export interface DraftFacts {
  draftId: string;
  backend: string;
  /** Set when the draft is an Extend of another draft (`metadata.extend`). */
  extendOf: string | null;
}

/** A draft of the project as the editor's loader maps it (the edit service's columns). */
export interface DraftRow {
  id: string;
  backend: string;
  sprite: unknown;
  width: number;
  height: number;
  fps: number;
  frames: number;
  prompt: string;
  extendOf: string | null;
}

/**
 * The drafts `ids` of a project and every Extend result of them (`metadata.extend.sourceDraftId`),
 * so a finished extension can go on the timeline without reloading the page. fps and frames are
 * read from the probe exactly as the edit service reads them (its `drafts`), since the render and
 * the server's range checks use those numbers.
 */
export async function draftsWithExtensions(
  context: AppLoadContext,
  projectId: string,
  ids: readonly string[],
): Promise<DraftRow[]> {
  const r = await context.services.pool.query(
    `SELECT id, backend, sprite, probe, width, height, duration_ms, prompt,
            metadata->'extend'->>'sourceDraftId' AS extend_of
       FROM drafts
      WHERE project_id = $1
        AND (id = ANY($2::uuid[]) OR metadata->'extend'->>'sourceDraftId' = ANY($2::text[]))
      ORDER BY created_at`,
    [projectId, [...new Set(ids)]],
  );
  return r.rows.map((row) => {
    const video = (row.probe?.video ?? {}) as { fps?: number; frames?: number };
    const fps = Math.round(video.fps ?? 30);
    return {
      id: row.id,
      backend: row.backend,
      sprite: row.sprite,
      width: row.width,
      height: row.height,
      fps,
      frames: video.frames ?? Math.round((row.duration_ms / 1000) * fps),
      prompt: row.prompt ?? "",
      extendOf: row.extend_of ?? null,
    };
  });
}
