import type {
  afterStoreDocumentPayload,
  beforeHandleMessagePayload,
  Document,
  Extension,
  Hocuspocus,
  onConfigurePayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from "@hocuspocus/server";
import { parseDocName } from "@reelhouse/shared/collab/docs";
import { parseReviewDocName } from "@reelhouse/shared/collab/review-doc";
import type { TxOrigin } from "@reelhouse/shared/collab/schema";
import type { Pool, PoolClient } from "@reelhouse/shared/db/pool.server";
import { appendUpdates, loadDocState } from "@reelhouse/shared/workspaces/documents.server";
import { ensureDailySnapshot } from "@reelhouse/shared/workspaces/snapshots.server";
import * as Y from "yjs";
import { CollabRefusal } from "../context.ts";
import type { Logger } from "../log.ts";
import { parseMessageCached } from "../protocol.ts";

export type PersistenceOptions = {
  pool: Pool;
  log: Logger;
  /** Rows per group-commit INSERT (default 500). */
  maxBatch?: number;
  /** How often a project's automatic daily snapshot is considered, ms (default 10 min). */
  dailyCheckMs?: number;
};

type Pending = {
  name: string;
  update: Uint8Array;
  resolve: () => void;
  reject: (e: Error) => void;
};
type DocBook = { loadedUpTo: number; foreign: Set<number> };

const FEED_ORIGIN: TxOrigin = { kind: "server", reason: "update from another process" };

/**
 * Durable Yjs storage in Postgres (docs/collab-spec.md [C7]).
 *
 * "Acknowledged" in Hocuspocus means the server sent SyncStatus(true) for an update, which it does
 * right after applying it. This extension runs in `beforeHandleMessage`, i.e. before that: it
 * applies the update to the document (so other clients receive it at once), appends it to
 * `yjs_updates` and only then lets Hocuspocus continue (re-applying is a no-op) and acknowledge.
 * Appends from all connections are group-committed: while one INSERT is in flight the next batch
 * accumulates, so the database sees one round trip per batch, not per keystroke.
 *
 * Compaction (`onStoreDocument`, on Hocuspocus' debounce, on unload and on shutdown) writes the
 * full state to `yjs_documents` and deletes the updates it contains.
 */
export class PersistenceExtension implements Extension {
  extensionName = "reelhouse-persistence";
  priority = 100;
  private instance: Hocuspocus | null = null;
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private client: PoolClient | null = null;
  /** Highest yjs_updates id this process has committed (all lower client ids are applied). */
  private clientMax = 0;
  private readonly books = new Map<string, DocBook>();
  private readonly dailyChecked = new Map<string, number>();
  appendedRows = 0;
  appendBatches = 0;

  constructor(private readonly opts: PersistenceOptions) {}

  async onConfigure({ instance }: onConfigurePayload) {
    this.instance = instance;
  }

  async onLoadDocument({ document, documentName }: onLoadDocumentPayload) {
    const { pool } = this.opts;
    const stored = await loadDocState(pool, documentName);
    Y.applyUpdate(document, stored.update, FEED_ORIGIN);
    this.books.set(documentName, { loadedUpTo: stored.lastUpdateId, foreign: new Set() });
  }

  async beforeHandleMessage({
    update: data,
    connection,
    document,
    documentName,
  }: beforeHandleMessagePayload) {
    if (connection.readOnly) return;
    const { update } = parseMessageCached(data);
    if (!update) return;
    let changed = false;
    const mark = () => {
      changed = true;
    };
    document.on("update", mark);
    try {
      // Apply now with the connection as origin: Hocuspocus broadcasts it and schedules storage.
      Y.applyUpdate(document, update, connection);
    } finally {
      document.off("update", mark);
    }
    const pending = document.store.pendingStructs !== null || document.store.pendingDs !== null;
    if (!changed && !pending) return;
    try {
      await this.append(documentName, update);
    } catch (e) {
      this.opts.log("error", "could not persist update; not acknowledging", {
        doc: documentName,
        error: (e as Error).message,
      });
      // 1011: the WebSocket "internal error" code; the client keeps the edit and resends it.
      throw new CollabRefusal(1011, "storage unavailable, retry");
    }
  }

  private append(name: string, update: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ name, update, resolve, reject });
      if (!this.draining) this.draining = this.drain().finally(() => (this.draining = null));
    });
  }

  /**
   * The append connection: one dedicated client with a prepared single-row INSERT, which costs
   * about half the CPU of a pooled, re-parsed query (the hot path of every edit). Replaced after
   * an error.
   */
  private async appendClient(): Promise<PoolClient> {
    if (this.client) return this.client;
    const c = await this.opts.pool.connect();
    c.on("error", (err) => {
      this.opts.log("error", "append connection lost", { error: err.message });
      this.dropClient(c, err);
    });
    this.client = c;
    return c;
  }

  private dropClient(c: PoolClient, err?: Error): void {
    if (this.client !== c) return;
    this.client = null;
    c.release(err ?? true);
  }

  private async drain(): Promise<void> {
    const max = this.opts.maxBatch ?? 500;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, max);
      let c: PoolClient | null = null;
      try {
        c = await this.appendClient();
        let ids: number[];
        if (batch.length === 1) {
          const r = await c.query<{ id: number }>({
            name: "reelhouse_yjs_append_1",
            text: "INSERT INTO yjs_updates (name, update, source) VALUES ($1, $2, 'client') RETURNING id::int8 AS id",
            values: [batch[0]!.name, Buffer.from(batch[0]!.update)],
          });
          ids = r.rows.map((row) => row.id);
        } else {
          ids = await appendUpdates(
            c,
            batch.map((b) => ({ name: b.name, update: b.update })),
          );
        }
        this.clientMax = Math.max(this.clientMax, ...ids);
        this.appendedRows += batch.length;
        this.appendBatches += 1;
        for (const b of batch) b.resolve();
      } catch (e) {
        if (c) this.dropClient(c, e as Error);
        for (const b of batch) b.reject(e as Error);
      }
    }
  }

  /** Releases the append connection (shutdown, after drained()). */
  releaseClient(): void {
    const c = this.client;
    this.client = null;
    c?.release();
  }

  /** Waits until every queued append has been committed. */
  async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async onStoreDocument({ document, documentName }: onStoreDocumentPayload) {
    await this.compact(document, documentName);
  }

  async compact(document: Document, name: string) {
    await this.drained();
    const book = this.books.get(name) ?? { loadedUpTo: 0, foreign: new Set<number>() };
    const upTo = this.clientMax;
    const foreign = [...book.foreign];
    const state = Y.encodeStateAsUpdate(document);
    const c = await this.opts.pool.connect();
    try {
      await c.query("BEGIN");
      // A document of a deleted project (or a review document of a deleted version) is not
      // written back (its sessions are being closed).
      await c.query(
        `INSERT INTO yjs_documents (name, state)
         SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM projects WHERE id = $3)
                          OR EXISTS (SELECT 1 FROM drafts WHERE id = $4)
         ON CONFLICT (name) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [
          name,
          Buffer.from(state),
          parseDocName(name)?.projectId ?? null,
          parseReviewDocName(name)?.draftId ?? null,
        ],
      );
      // Only updates known to be in `state`: loaded at open, committed by us, or applied from the feed.
      await c.query(
        `DELETE FROM yjs_updates WHERE name = $1
           AND (id <= $2 OR (source = 'client' AND id <= $3) OR id = ANY($4::int8[]))`,
        [name, book.loadedUpTo, upTo, foreign],
      );
      await c.query("COMMIT");
      for (const id of foreign) book.foreign.delete(id);
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async afterStoreDocument({ documentName }: afterStoreDocumentPayload) {
    const ref = parseDocName(documentName);
    if (!ref) return;
    const now = Date.now();
    if (now - (this.dailyChecked.get(ref.projectId) ?? 0) < (this.opts.dailyCheckMs ?? 600_000))
      return;
    this.dailyChecked.set(ref.projectId, now);
    try {
      const snap = await ensureDailySnapshot(this.opts.pool, ref.projectId);
      if (snap)
        this.opts.log("info", "daily snapshot taken", {
          project: ref.projectId,
          snapshot: snap.id,
        });
    } catch (e) {
      this.opts.log("error", "daily snapshot failed", {
        project: ref.projectId,
        error: (e as Error).message,
      });
    }
  }

  /** Applies updates other processes appended for a loaded document (e.g. a version restore). */
  async pullForeign(name: string): Promise<void> {
    const doc = this.instance?.documents.get(name);
    const book = this.books.get(name);
    if (!doc || !book) return;
    const r = await this.opts.pool.query<{ id: number; update: Buffer }>(
      `SELECT id::int8 AS id, update FROM yjs_updates
        WHERE name = $1 AND source <> 'client' AND id > $2 ORDER BY id`,
      [name, book.loadedUpTo],
    );
    for (const row of r.rows) {
      if (book.foreign.has(row.id)) continue;
      Y.applyUpdate(doc, new Uint8Array(row.update), FEED_ORIGIN);
      book.foreign.add(row.id);
    }
  }

  async pullAllForeign(): Promise<void> {
    for (const name of this.instance?.documents.keys() ?? []) await this.pullForeign(name);
  }

  async afterUnloadDocument({ documentName }: { documentName: string }) {
    this.books.delete(documentName);
  }

  /** Compacts every open document (shutdown). */
  async flushAll(): Promise<void> {
    await this.drained();
    for (const [name, doc] of this.instance?.documents ?? []) {
      await doc.saveMutex
        .runExclusive(() => this.compact(doc, name))
        .catch((e: Error) =>
          this.opts.log("error", "flush failed", { doc: name, error: e.message }),
        );
    }
  }
}
