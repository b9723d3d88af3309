import pg from "pg";
import { batched } from "../db/batch.server.ts";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import {
  POST_CARD_COLUMNS,
  POST_VIEW_JOINS,
  type PostCard,
  type PostCardRow,
  toCard,
} from "./posts.server.ts";

/**
 * Post cards: what a feed shows of a post that rarely changes (caption, media, the author's name
 * and photo, remix attribution), as opposed to what changes with every like (the counters, which
 * the feeds read from the indexes their candidate scans walk anyway, migration 0036) and what
 * depends on the viewer (liked).
 *
 * A web process keeps the cards it served in a PostCardCache, so a feed page costs Postgres the
 * candidate scans and the liked probes instead of four joins per post. The cache is exact up to
 * the commit of the last change it heard of: triggers (0036) NOTIFY `post_cards` at commit with
 * 'p:<post>' or 'u:<user>', the cache drops what they name, and a card loaded while a notification
 * arrived is not kept. While its LISTEN connection is down the cache is cleared and bypassed
 * (every card read from Postgres) until it listens again. Visibility never comes from a card: the
 * feeds' scans filter status, audience and blocks in Postgres on every page.
 */
export const POST_CARDS_CHANNEL = "post_cards";

/** Cards by id from Postgres; concurrent loads share one statement (db/batch.server.ts). */
const loadCards = batched<readonly string[], PostCard[]>(async (q, inputs) => {
  const ids = [...new Set(inputs.flat())];
  const r = await q.query<PostCardRow>({
    name: "social_post_cards",
    text: `SELECT ${POST_CARD_COLUMNS} FROM posts p ${POST_VIEW_JOINS} WHERE p.id = ANY($1::uuid[])`,
    values: [ids],
  });
  const byId = new Map(r.rows.map((row) => [row.id, toCard(row)]));
  return inputs.map((list) => list.map((id) => byId.get(id)).filter((c) => c !== undefined));
});

const caches = new WeakMap<Pool, PostCardCache>();

/**
 * Cards for `ids` (missing ones: gone). From the pool's cache when it has a listening one; from
 * Postgres otherwise, and always inside a transaction (a PoolClient), which must see its own writes.
 */
export async function postCards(
  q: Pool | PoolClient,
  ids: readonly string[],
): Promise<Map<string, PostCard>> {
  if (ids.length === 0) return new Map();
  // A transaction's client is never a key here: it reads Postgres, and so sees its own writes.
  const cache = caches.get(q as Pool);
  if (cache?.active) return cache.get(ids);
  const cards = await loadCards(q, ids);
  return new Map(cards.map((c) => [c.id, c]));
}

/** Starts the card cache of a web process's pool (stop it before ending the pool). */
export function enablePostCardCache(
  pool: Pool,
  connectionString: string,
  opts?: PostCardCacheOptions,
): PostCardCache {
  let cache = caches.get(pool);
  if (!cache) {
    cache = new PostCardCache(pool, connectionString, opts);
    caches.set(pool, cache);
    cache.start();
  }
  return cache;
}

export type PostCardCacheOptions = {
  /** Most cards kept; the oldest tenth goes when full. */
  max?: number;
  /** A card older than this is read again even without a notification (a safety net). */
  ttlMs?: number;
  /** Wait before reconnecting a lost LISTEN connection. */
  retryMs?: number;
  log?: (msg: string) => void;
};

type Entry = { card: PostCard; at: number };

export class PostCardCache {
  private readonly entries = new Map<string, Entry>();
  /** Card ids by the users (author or remixed author) and original posts they show. */
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byOriginal = new Map<string, Set<string>>();
  private client: pg.Client | null = null;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  /** Bumped by every notification and (re)connection: a load that spans one is not kept. */
  private epoch = 0;
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly log: (msg: string) => void;

  constructor(
    private readonly pool: Pool,
    private readonly connectionString: string,
    opts: PostCardCacheOptions = {},
  ) {
    this.max = opts.max ?? 50_000;
    this.ttlMs = opts.ttlMs ?? 60_000;
    this.retryMs = opts.retryMs ?? 1000;
    this.log = opts.log ?? ((msg) => console.error(`[post-cards] ${msg}`));
  }

  /** True while the LISTEN connection is up: only then are cards served from memory. */
  get active(): boolean {
    return this.listening && !this.stopped;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Connects and LISTENs; on failure retries in the background (the cache stays bypassed). */
  start(): Promise<void> {
    return this.connect().catch((e: Error) => {
      if (this.stopped) return; // stopped while connecting: nothing failed
      this.log(`listen failed: ${e.message}`);
      this.scheduleReconnect();
    });
  }

  /** Resolves once the cache listens (tests and start-up checks). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!this.active) {
      if (Date.now() > until) throw new Error("post card cache is not listening");
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async get(ids: readonly string[]): Promise<Map<string, PostCard>> {
    const out = new Map<string, PostCard>();
    const missing: string[] = [];
    const now = Date.now();
    for (const id of ids) {
      const e = this.entries.get(id);
      if (e && now - e.at <= this.ttlMs) out.set(id, e.card);
      else missing.push(id);
    }
    if (missing.length === 0) return out;
    const epoch = this.epoch;
    const loaded = await loadCards(this.pool, missing);
    // A notification since the load began may concern these rows: serve them, don't keep them.
    const keep = epoch === this.epoch && this.active;
    for (const card of loaded) {
      out.set(card.id, card);
      if (keep) this.put(card, now);
    }
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // The pool may get a fresh cache later (enablePostCardCache).
    if (caches.get(this.pool) === this) caches.delete(this.pool);
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.listening = false;
    this.clear();
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }

  private put(card: PostCard, at: number): void {
    this.drop(card.id);
    if (this.entries.size >= this.max) {
      let n = Math.max(1, Math.floor(this.max / 10));
      for (const id of this.entries.keys()) {
        if (n-- <= 0) break;
        this.drop(id);
      }
    }
    this.entries.set(card.id, { card, at });
    link(this.byUser, card.author.id, card.id);
    if (card.origAuthorId) link(this.byUser, card.origAuthorId, card.id);
    if (card.remixOf) link(this.byOriginal, card.remixOf.id, card.id);
  }

  private drop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    unlink(this.byUser, e.card.author.id, id);
    if (e.card.origAuthorId) unlink(this.byUser, e.card.origAuthorId, id);
    if (e.card.remixOf) unlink(this.byOriginal, e.card.remixOf.id, id);
  }

  private clear(): void {
    this.epoch++;
    this.entries.clear();
    this.byUser.clear();
    this.byOriginal.clear();
  }

  /** 'p:<post>': that post's card and its remixes' (they show its status); 'u:<user>': their cards. */
  private onNotification = (n: pg.Notification): void => {
    if (n.channel !== POST_CARDS_CHANNEL || !n.payload) return;
    this.epoch++;
    const id = n.payload.slice(2);
    if (n.payload.startsWith("p:")) {
      this.drop(id);
      for (const r of [...(this.byOriginal.get(id) ?? [])]) this.drop(r);
    } else if (n.payload.startsWith("u:")) {
      for (const c of [...(this.byUser.get(id) ?? [])]) this.drop(c);
    } else this.clear(); // an unknown payload: be safe
  };

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    const lost = (err: Error) => {
      if (this.client !== client) return;
      this.log(`connection lost: ${err.message}`);
      this.client = null;
      this.listening = false;
      this.clear();
      client.removeAllListeners("notification");
      void client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on("error", lost);
    client.on("end", () => lost(new Error("connection ended")));
    client.on("notification", this.onNotification);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${POST_CARDS_CHANNEL}`);
    } catch (e) {
      this.client = null;
      client.removeAllListeners();
      client.on("error", () => {});
      await client.end().catch(() => {});
      throw e;
    }
    if (this.stopped) return;
    // Nothing heard before LISTEN counts: start empty.
    this.clear();
    this.listening = true;
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch((e: Error) => {
        if (this.stopped) return;
        this.log(`reconnect failed: ${e.message}`);
        this.scheduleReconnect();
      });
    }, this.retryMs);
  }
}

function link(index: Map<string, Set<string>>, key: string, id: string): void {
  let s = index.get(key);
  if (!s) {
    s = new Set();
    index.set(key, s);
  }
  s.add(id);
}

function unlink(index: Map<string, Set<string>>, key: string, id: string): void {
  const s = index.get(key);
  if (!s) return;
  s.delete(id);
  if (s.size === 0) index.delete(key);
}
