import * as Y from "yjs";
import { z } from "zod";
import { DOC_KINDS, type DocKind, docName } from "../collab/docs.ts";
import { docToJSON, replaceContent } from "../collab/schema.ts";
import { type Pool, type PoolClient, transaction } from "../db/pool.server.ts";
import { isUuid } from "./db.server.ts";
import { appendUpdates, DOC_UPDATE_CHANNEL, loadDocState } from "./documents.server.ts";
import { InvalidError, NotFoundError } from "./errors.ts";
import { requireProjectRole } from "./projects.server.ts";

/**
 * Version history (docs/collab-spec.md [C20]-[C22]): named snapshots of all of a project's
 * documents — manual, automatic daily, and the one taken before every restore, which makes a
 * restore undoable (restore that one).
 */

export type SnapshotKind = "manual" | "auto" | "pre-restore";
export type Snapshot = {
  id: string;
  projectId: string;
  name: string;
  kind: SnapshotKind;
  createdBy: string | null;
  createdAt: Date;
};
type Row = {
  id: string;
  project_id: string;
  name: string;
  kind: SnapshotKind;
  created_by: string | null;
  created_at: Date;
};
const toSnap = (r: Row): Snapshot => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  kind: r.kind,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const nameSchema = z.string().trim().min(1).max(120);

async function takeSnapshot(
  c: PoolClient,
  projectId: string,
  name: string,
  kind: SnapshotKind,
  actorId: string | null,
): Promise<Snapshot> {
  const r = await c.query<Row>(
    "INSERT INTO project_snapshots (project_id, name, kind, created_by) VALUES ($1, $2, $3, $4) RETURNING *",
    [projectId, name, kind, actorId],
  );
  const snap = r.rows[0]!;
  for (const kindOfDoc of DOC_KINDS) {
    const { update } = await loadDocState(c, docName(projectId, kindOfDoc));
    await c.query(
      "INSERT INTO project_snapshot_docs (snapshot_id, doc, state) VALUES ($1, $2, $3)",
      [snap.id, kindOfDoc, Buffer.from(update)],
    );
  }
  return toSnap(snap);
}

export async function createSnapshot(pool: Pool, actorId: string, projectId: string, name: string) {
  const n = nameSchema.safeParse(name);
  if (!n.success) throw new InvalidError(`name: ${n.error.issues[0]?.message ?? "invalid"}`);
  await requireProjectRole(pool, actorId, projectId, "editor");
  return transaction(pool, (c) => takeSnapshot(c, projectId, n.data, "manual", actorId));
}

export async function listSnapshots(pool: Pool, actorId: string, projectId: string) {
  await requireProjectRole(pool, actorId, projectId, "viewer");
  const r = await pool.query<Row>(
    "SELECT * FROM project_snapshots WHERE project_id = $1 ORDER BY created_at DESC, id",
    [projectId],
  );
  return r.rows.map(toSnap);
}

async function snapshotRow(pool: Pool, snapshotId: string): Promise<Row> {
  if (!isUuid(snapshotId)) throw new NotFoundError("snapshot not found");
  const r = await pool.query<Row>("SELECT * FROM project_snapshots WHERE id = $1", [snapshotId]);
  if (!r.rows[0]) throw new NotFoundError("snapshot not found");
  return r.rows[0];
}

async function snapshotDocs(
  q: Pool | PoolClient,
  snapshotId: string,
): Promise<Map<DocKind, Y.Doc>> {
  const r = await q.query<{ doc: DocKind; state: Buffer }>(
    "SELECT doc, state FROM project_snapshot_docs WHERE snapshot_id = $1",
    [snapshotId],
  );
  const out = new Map<DocKind, Y.Doc>();
  for (const row of r.rows) {
    const d = new Y.Doc();
    Y.applyUpdate(d, new Uint8Array(row.state));
    out.set(row.doc, d);
  }
  return out;
}

/** Read-only JSON view of a snapshot's documents, for the history panel's preview. */
export async function previewSnapshot(pool: Pool, actorId: string, snapshotId: string) {
  const row = await snapshotRow(pool, snapshotId).catch(() => null);
  // Same answer for "no such snapshot" and "not yours": existence is not revealed.
  if (!row) throw new NotFoundError("snapshot not found");
  await requireProjectRole(pool, actorId, row.project_id, "viewer").catch((e) => {
    throw e instanceof NotFoundError ? new NotFoundError("snapshot not found") : e;
  });
  const docs = await snapshotDocs(pool, snapshotId);
  const out: Partial<Record<DocKind, Record<string, unknown>>> = {};
  for (const [k, d] of docs) out[k] = docToJSON(d, k);
  return { snapshot: toSnap(row), docs: out };
}

/**
 * Restores a snapshot: first snapshots the current state ("pre-restore", so the restore can be
 * undone), then appends to each document one ordinary Yjs update that makes its content equal to
 * the snapshot's, and notifies the collab server, which applies it to open documents.
 */
export async function restoreSnapshot(pool: Pool, actorId: string, snapshotId: string) {
  const row = await snapshotRow(pool, snapshotId).catch(() => null);
  if (!row) throw new NotFoundError("snapshot not found");
  await requireProjectRole(pool, actorId, row.project_id, "editor").catch((e) => {
    throw e instanceof NotFoundError ? new NotFoundError("snapshot not found") : e;
  });
  return transaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [row.project_id]);
    const undo = await takeSnapshot(
      c,
      row.project_id,
      `Before restoring “${row.name}”`,
      "pre-restore",
      actorId,
    );
    const docs = await snapshotDocs(c, snapshotId);
    for (const kind of DOC_KINDS) {
      const name = docName(row.project_id, kind);
      const current = new Y.Doc();
      Y.applyUpdate(current, (await loadDocState(c, name)).update);
      const target = docs.get(kind) ?? new Y.Doc();
      const updates: Uint8Array[] = [];
      current.on("update", (u: Uint8Array) => updates.push(u));
      replaceContent(current, target, kind, { kind: "restore", snapshotId });
      if (updates.length === 0) continue;
      await appendUpdates(c, [{ name, update: Y.mergeUpdates(updates), source: "restore" }]);
      await c.query("SELECT pg_notify($1, $2)", [DOC_UPDATE_CHANNEL, JSON.stringify({ name })]);
    }
    return { undoSnapshot: undo };
  });
}

/**
 * The automatic daily snapshot: taken when a project's documents are stored and no automatic
 * snapshot is younger than a day. Returns the new snapshot or null.
 */
export async function ensureDailySnapshot(pool: Pool, projectId: string): Promise<Snapshot | null> {
  if (!isUuid(projectId)) return null;
  return transaction(pool, async (c) => {
    await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [projectId]);
    const p = await c.query("SELECT 1 FROM projects WHERE id = $1", [projectId]);
    if (p.rowCount === 0) return null;
    const recent = await c.query(
      "SELECT 1 FROM project_snapshots WHERE project_id = $1 AND kind = 'auto' AND created_at > now() - interval '1 day'",
      [projectId],
    );
    if ((recent.rowCount ?? 0) > 0) return null;
    const day = new Date().toISOString().slice(0, 10);
    return takeSnapshot(c, projectId, `Daily ${day}`, "auto", null);
  });
}
