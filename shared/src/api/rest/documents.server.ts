import * as Y from "yjs";
import type { z } from "zod";
import { docName } from "../../collab/docs.ts";
import {
  addShot,
  listShots,
  promptPlainText,
  type Shot,
  totalDurationSeconds,
  userOrigin,
} from "../../collab/schema.ts";
import { type Pool, transaction } from "../../db/pool.server.ts";
import {
  appendUpdates,
  DOC_UPDATE_CHANNEL,
  loadDocState,
  loadYDoc,
} from "../../workspaces/documents.server.ts";
import { requireProjectRole } from "../../workspaces/projects.server.ts";
import type { ApiPrincipal } from "../keys.server.ts";
import { requireScope } from "../keys.server.ts";
import { parse } from "../videos.server.ts";
import { domain, requireOwnProject } from "./access.server.ts";
import { replaceShots, setPromptText } from "./document-edits.ts";
import {
  addShotSchema,
  type promptDocumentSchema,
  replaceStoryboardSchema,
  type shotSchema,
  type storyboardSchema,
  updatePromptSchema,
} from "./schemas.ts";

/**
 * The prompt and storyboard documents over REST. They are Yjs documents served by the collab
 * server; the API never keeps a copy. A read loads the durable state (`yjs_documents` plus every
 * `yjs_updates` row, which holds every edit the collab server has acknowledged). A write changes a
 * Y.Doc loaded from that state and stores the resulting Yjs update the way a version restore does
 * (snapshots.server.ts): appended to `yjs_updates` with source 'server' and announced on
 * DOC_UPDATE_CHANNEL in the same transaction, so the collab server applies it to the open document
 * and every live editor sees it at once; a document nobody has open picks it up at its next load.
 * Writes take the project's advisory lock (the one restores take), so two writes never compute
 * their change from the same state.
 */

export type PromptDocument = z.infer<typeof promptDocumentSchema>;
export type Storyboard = z.infer<typeof storyboardSchema>;

const toShot = (s: Shot): z.infer<typeof shotSchema> => ({
  id: s.id,
  prompt: s.prompt,
  duration_seconds: s.durationSeconds,
  camera: s.camera,
  transition: s.transition,
  notes: s.notes,
  latest_render_id: s.latestRenderId,
});

const promptView = (projectId: string, doc: Y.Doc): PromptDocument => ({
  object: "prompt",
  project_id: projectId,
  document: docName(projectId, "prompt"),
  text: promptPlainText(doc),
});

const storyboardView = (projectId: string, doc: Y.Doc): Storyboard => ({
  object: "storyboard",
  project_id: projectId,
  document: docName(projectId, "storyboard"),
  shots: listShots(doc).map(toShot),
  total_seconds: totalDurationSeconds(doc),
});

/** Loads, changes and stores one document as a single Yjs update (see above). */
async function changeDocument(
  pool: Pool,
  projectId: string,
  name: string,
  change: (doc: Y.Doc) => void,
): Promise<Y.Doc> {
  return transaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [projectId]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await loadDocState(c, name)).update);
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    change(doc);
    if (updates.length > 0) {
      await appendUpdates(c, [{ name, update: Y.mergeUpdates(updates), source: "server" }]);
      await c.query("SELECT pg_notify($1, $2)", [DOC_UPDATE_CHANNEL, JSON.stringify({ name })]);
    }
    return doc;
  });
}

async function readable(pool: Pool, p: ApiPrincipal, projectId: string) {
  requireScope(p, "workspace:read");
  await requireOwnProject(pool, p, projectId);
  await domain(() => requireProjectRole(pool, p.userId, projectId, "viewer"));
}

async function writable(pool: Pool, p: ApiPrincipal, projectId: string) {
  requireScope(p, "workspace:write");
  await requireOwnProject(pool, p, projectId);
  await domain(() => requireProjectRole(pool, p.userId, projectId, "editor"));
}

export function createDocumentsApi(pool: Pool) {
  return {
    async getPrompt(p: ApiPrincipal, projectId: string): Promise<PromptDocument> {
      await readable(pool, p, projectId);
      return promptView(projectId, await loadYDoc(pool, docName(projectId, "prompt")));
    },

    async setPrompt(p: ApiPrincipal, projectId: string, raw: unknown): Promise<PromptDocument> {
      requireScope(p, "workspace:write");
      const body = parse(updatePromptSchema, raw);
      await writable(pool, p, projectId);
      const doc = await changeDocument(pool, projectId, docName(projectId, "prompt"), (d) =>
        setPromptText(d, body.text, userOrigin(p.userId)),
      );
      return promptView(projectId, doc);
    },

    async getStoryboard(p: ApiPrincipal, projectId: string): Promise<Storyboard> {
      await readable(pool, p, projectId);
      return storyboardView(projectId, await loadYDoc(pool, docName(projectId, "storyboard")));
    },

    async replaceStoryboard(p: ApiPrincipal, projectId: string, raw: unknown): Promise<Storyboard> {
      requireScope(p, "workspace:write");
      const body = parse(replaceStoryboardSchema, raw);
      await writable(pool, p, projectId);
      const doc = await changeDocument(pool, projectId, docName(projectId, "storyboard"), (d) => {
        replaceShots(d, body.shots, userOrigin(p.userId));
      });
      return storyboardView(projectId, doc);
    },

    async addShot(
      p: ApiPrincipal,
      projectId: string,
      raw: unknown,
    ): Promise<z.infer<typeof shotSchema>> {
      requireScope(p, "workspace:write");
      const { index, ...s } = parse(addShotSchema, raw);
      await writable(pool, p, projectId);
      let id = "";
      const doc = await changeDocument(pool, projectId, docName(projectId, "storyboard"), (d) => {
        id = addShot(
          d,
          {
            prompt: s.prompt,
            durationSeconds: s.duration_seconds,
            camera: s.camera,
            transition: s.transition,
            notes: s.notes,
          },
          userOrigin(p.userId),
          index,
        );
      });
      return toShot(listShots(doc).find((x) => x.id === id)!);
    },
  };
}
export type DocumentsApi = ReturnType<typeof createDocumentsApi>;
