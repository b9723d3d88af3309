import type { z } from "zod";
import type { Pool } from "../../db/pool.server.ts";
import { deleteDraft, renameDraft } from "../../generation/drafts.server.ts";
import { waitForDraftExport } from "../../provenance/export-wait.server.ts";
import { isUuid } from "../../workspaces/db.server.ts";
import { requireProjectRole } from "../../workspaces/projects.server.ts";
import { ApiError, exportPending, notFound } from "../errors.ts";
import { type ApiPrincipal, requireScope } from "../keys.server.ts";
import { parse } from "../videos.server.ts";
import { domain, requireOwnDraft, requireOwnProject } from "./access.server.ts";
import {
  draftContentSchema,
  type draftListSchema,
  type draftSchema,
  listDraftsSchema,
  updateDraftSchema,
} from "./schemas.ts";

/**
 * Drafts (the renders of a project) over REST: list, retrieve, download, rename and delete, with
 * the app's own rules (generation/drafts.server.ts: only the draft's maker or a workspace owner
 * renames or deletes; a published draft, one being published or under review is not deleted).
 */

type DraftObject = z.infer<typeof draftSchema>;

const SELECT = `
  SELECT d.id, d.project_id, d.title, d.kind, d.backend, d.prompt, d.duration_ms, d.width, d.height,
         d.created_by, d.created_at, COALESCE(d.export_path, d.video_path) AS video_path,
         d.poster_path, d.sprite_path,
         (SELECT p.id FROM posts p WHERE p.draft_id = d.id AND p.status <> 'deleted' LIMIT 1) AS post_id
    FROM drafts d`;

interface Row {
  id: string;
  project_id: string;
  title: string | null;
  kind: "clip" | "sequence";
  backend: string;
  prompt: string;
  duration_ms: number;
  width: number;
  height: number;
  created_by: string;
  created_at: Date;
  video_path: string;
  poster_path: string;
  sprite_path: string;
  post_id: string | null;
}

const toDraft = (r: Row): DraftObject => ({
  id: r.id,
  object: "draft",
  project_id: r.project_id,
  title: r.title,
  kind: r.kind,
  backend: r.backend,
  prompt: r.prompt,
  seconds: r.duration_ms / 1000,
  width: r.width,
  height: r.height,
  created_by: r.created_by,
  created_at: Math.floor(r.created_at.getTime() / 1000),
  post_id: r.post_id,
});

export function createDraftsApi(pool: Pool) {
  const row = async (p: ApiPrincipal, draftId: string): Promise<Row> => {
    const { projectId } = await requireOwnDraft(pool, p, draftId);
    await domain(() => requireProjectRole(pool, p.userId, projectId, "viewer"));
    const r = await pool.query<Row>(`${SELECT} WHERE d.id = $1`, [draftId]);
    if (!r.rows[0]) throw notFound("draft", draftId);
    return r.rows[0];
  };
  return {
    /** Newest first; `after` is the last id of the previous page. */
    async list(
      p: ApiPrincipal,
      projectId: string,
      rawQuery: unknown,
    ): Promise<z.infer<typeof draftListSchema>> {
      requireScope(p, "workspace:read");
      const q = parse(listDraftsSchema, rawQuery);
      await requireOwnProject(pool, p, projectId);
      await domain(() => requireProjectRole(pool, p.userId, projectId, "viewer"));
      let cursor: { created_at: Date; id: string } | null = null;
      if (q.after) {
        const c = isUuid(q.after)
          ? await pool.query<{ created_at: Date; id: string }>(
              "SELECT created_at, id FROM drafts WHERE id = $1 AND project_id = $2",
              [q.after, projectId],
            )
          : null;
        if (!c?.rows[0]) throw notFound("draft", q.after, "after");
        cursor = c.rows[0];
      }
      const r = await pool.query<Row>(
        `${SELECT} WHERE d.project_id = $1
           AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2, $3::uuid))
         ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
        [projectId, cursor?.created_at ?? null, cursor?.id ?? null, q.limit + 1],
      );
      return {
        object: "list",
        data: r.rows.slice(0, q.limit).map(toDraft),
        has_more: r.rows.length > q.limit,
      };
    },

    async retrieve(p: ApiPrincipal, draftId: string): Promise<DraftObject> {
      requireScope(p, "workspace:read");
      return toDraft(await row(p, draftId));
    },

    /**
     * The file to send: relative to DATA_DIR, from the draft row (never from the request). The
     * video is the draft's marked, signed export (steps/draft-export.ts), never the internal master.
     */
    async content(p: ApiPrincipal, draftId: string, rawQuery: unknown) {
      requireScope(p, "workspace:read");
      const { variant } = parse(draftContentSchema, rawQuery);
      let d = await row(p, draftId);
      if (variant === "video") {
        // The marked export is written just after the draft appears: wait for it.
        if ((await waitForDraftExport(pool, draftId)) === "pending") throw exportPending();
        d = await row(p, draftId);
      }
      const relPath =
        variant === "video"
          ? d.video_path
          : variant === "thumbnail"
            ? d.poster_path
            : d.sprite_path;
      if (!relPath) throw new ApiError(404, "not_found", `This draft has no ${variant}.`);
      return {
        relPath,
        contentType: variant === "video" ? "video/mp4" : "image/jpeg",
        filename: `${d.id}${variant === "video" ? ".mp4" : `-${variant}.jpg`}`,
      };
    },

    async update(p: ApiPrincipal, draftId: string, raw: unknown): Promise<DraftObject> {
      requireScope(p, "workspace:write");
      const body = parse(updateDraftSchema, raw);
      const { projectId } = await requireOwnDraft(pool, p, draftId);
      await domain(() => renameDraft(pool, p.userId, { projectId, draftId, title: body.title }));
      return toDraft(await row(p, draftId));
    },

    async remove(p: ApiPrincipal, draftId: string) {
      requireScope(p, "workspace:write");
      const { projectId } = await requireOwnDraft(pool, p, draftId);
      await domain(() => deleteDraft(pool, p.userId, { projectId, draftId }));
      return { id: draftId, object: "draft.deleted" as const, deleted: true as const };
    },
  };
}
export type DraftsApi = ReturnType<typeof createDraftsApi>;
