import * as Y from "yjs";
import type { Pool } from "../db/pool.server.ts";
import type { Queryable } from "./db.server.ts";

/**
 * Durable Yjs document storage (docs/collab-spec.md [C7]). A document's content is its compacted
 * `yjs_documents.state` plus every row of `yjs_updates` for it. The collab server appends each
 * update BEFORE acknowledging it, and compacts on a debounce.
 */

export type StoredDoc = { update: Uint8Array; lastUpdateId: number };

/**
 * The whole durable state of a document as one update (empty document if never stored). ONE
 * statement, so it reads one snapshot: with two, a compaction committing between them (state
 * written, its updates deleted) would make the document read as if those updates never happened.
 */
export async function loadDocState(q: Queryable, name: string): Promise<StoredDoc> {
  const r = await q.query<{ id: number; data: Buffer }>(
    `SELECT 0::int8 AS id, state AS data FROM yjs_documents WHERE name = $1
     UNION ALL
     SELECT id::int8, update FROM yjs_updates WHERE name = $1
     ORDER BY id`,
    [name],
  );
  const parts = r.rows.map((row) => new Uint8Array(row.data));
  const lastUpdateId = Number(r.rows.at(-1)?.id ?? 0);
  if (parts.length === 0) return { update: Y.encodeStateAsUpdate(new Y.Doc()), lastUpdateId };
  if (parts.length === 1) return { update: parts[0]!, lastUpdateId };
  return { update: Y.mergeUpdates(parts), lastUpdateId };
}

export async function loadYDoc(q: Queryable, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, (await loadDocState(q, name)).update);
  return doc;
}

/** Appends updates (one multi-row INSERT); returns their ids in order. */
export async function appendUpdates(
  q: Queryable,
  rows: { name: string; update: Uint8Array; source?: "client" | "restore" | "server" }[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const values: string[] = [];
  const params: unknown[] = [];
  rows.forEach((r, i) => {
    values.push(`($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`);
    params.push(r.name, Buffer.from(r.update), r.source ?? "client");
  });
  const res = await q.query<{ id: number }>(
    `INSERT INTO yjs_updates (name, update, source) VALUES ${values.join(", ")} RETURNING id::int8 AS id`,
    params,
  );
  return res.rows.map((r) => r.id).sort((a, b) => a - b);
}

/**
 * Stores `state` (which must include every update up to `upToId`) and drops those updates. Updates
 * appended after `upToId` stay and are replayed on top at the next load.
 */
export async function compactDoc(pool: Pool, name: string, state: Uint8Array, upToId: number) {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    await c.query(
      `INSERT INTO yjs_documents (name, state) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
      [name, Buffer.from(state)],
    );
    await c.query("DELETE FROM yjs_updates WHERE name = $1 AND id <= $2", [name, upToId]);
    await c.query("COMMIT");
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

/** Channel on which the collab server hears about updates written by other processes (restores). */
export const DOC_UPDATE_CHANNEL = "collab_doc_update";
export const REVOCATION_CHANNEL = "collab_revocation";
