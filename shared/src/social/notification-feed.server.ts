import type { Pool, PoolClient } from "../db/pool.server.ts";

/** The channel 0033_notification_events.sql's trigger notifies, with the user id as payload. */
export const NOTIFICATIONS_CHANNEL = "notifications_changed";

type Listener = () => void;

/**
 * One Postgres connection per web process LISTENing on `notifications_changed`, fanning each
 * event out to the subscribers of that user (the SSE streams of /notifications/stream). Same
 * approach as collab-server/src/feed.ts: a dedicated pooled client, released and reconnected after
 * an error, with every subscriber told to re-count afterwards so nothing missed while disconnected
 * is left stale. The connection is taken with the first subscriber and released with the last.
 */
export class NotificationFeed {
  private client: PoolClient | null = null;
  /** Releases `client` to the pool once, with our listeners removed. */
  private giveBack: ((err?: Error) => void) | null = null;
  private starting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly subscribers = new Map<string, Set<Listener>>();

  constructor(
    private readonly pool: Pool,
    private readonly log: (msg: string, err: Error) => void = (msg, err) =>
      console.error(`[notification-feed] ${msg}: ${err.message}`),
  ) {}

  /** Calls `onChange` whenever `userId`'s notifications change; returns the unsubscribe. */
  async subscribe(userId: string, onChange: Listener): Promise<() => void> {
    if (this.stopped) throw new Error("notification feed stopped");
    let set = this.subscribers.get(userId);
    if (!set) {
      set = new Set();
      this.subscribers.set(userId, set);
    }
    set.add(onChange);
    let done = false;
    const unsubscribe = () => {
      if (done) return;
      done = true;
      const s = this.subscribers.get(userId);
      s?.delete(onChange);
      if (s && s.size === 0) this.subscribers.delete(userId);
      if (this.subscribers.size === 0) void this.release();
    };
    try {
      await this.ensureStarted();
    } catch (e) {
      unsubscribe();
      throw e;
    }
    return unsubscribe;
  }

  /** Number of live subscriptions (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.size;
    return n;
  }

  get listening(): boolean {
    return this.client !== null;
  }

  private ensureStarted(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.starting ??= this.start().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const client = await this.pool.connect();
    // Our listeners come off before the client goes back to the pool (where an error of a later
    // user must not reach them), and the client is released exactly once.
    let released = false;
    const onNotification = (n: { channel: string; payload?: string }) => {
      if (n.channel !== NOTIFICATIONS_CHANNEL || !n.payload) return;
      for (const h of this.subscribers.get(n.payload) ?? []) h();
    };
    const onError = (err: Error) => {
      this.log("connection lost", err);
      if (this.client === client) this.client = null;
      giveBack(err);
      this.scheduleRestart();
    };
    const giveBack = (err?: Error) => {
      if (released) return;
      released = true;
      client.removeListener("notification", onNotification);
      client.removeListener("error", onError);
      client.release(err);
    };
    client.on("notification", onNotification);
    client.on("error", onError);
    try {
      await client.query(`LISTEN ${NOTIFICATIONS_CHANNEL}`);
    } catch (e) {
      giveBack(e as Error);
      throw e;
    }
    this.client = client;
    this.giveBack = giveBack;
    // Everyone left while we were connecting: give the connection back.
    if (this.subscribers.size === 0) await this.release();
  }

  private scheduleRestart(): void {
    if (this.stopped || this.retry || this.subscribers.size === 0) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.subscribers.size === 0) return;
      this.ensureStarted()
        .then(() => {
          for (const set of this.subscribers.values()) for (const h of set) h();
        })
        .catch((e: Error) => {
          this.log("reconnect failed", e);
          this.scheduleRestart();
        });
    }, 1000);
  }

  private async release(): Promise<void> {
    const c = this.client;
    if (!c || this.subscribers.size > 0) return;
    this.client = null;
    const giveBack = this.giveBack;
    this.giveBack = null;
    await c.query(`UNLISTEN ${NOTIFICATIONS_CHANNEL}`).catch(() => {});
    giveBack?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.subscribers.clear();
    await this.starting?.catch(() => {});
    await this.release();
  }
}
