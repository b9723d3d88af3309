import type { Pool, PoolClient } from "@reelhouse/shared/db/pool.server";
import {
  DOC_UPDATE_CHANNEL,
  REVOCATION_CHANNEL,
} from "@reelhouse/shared/workspaces/documents.server";
import type { Logger } from "./log.ts";

type Handler = (payload: unknown) => void;

/**
 * One dedicated Postgres connection LISTENing for revocations and document updates written by
 * other processes (restores). Reconnects after errors and then calls the resync handlers, so
 * nothing missed while disconnected is left unchecked.
 */
export class ChangeFeed {
  private client: PoolClient | null = null;
  /** Releases `client` to the pool once, with our listeners removed. */
  private giveBack: ((err?: Error) => void) | null = null;
  private stopped = false;
  private readonly handlers = new Map<string, Handler[]>();
  private readonly resync: (() => void)[] = [];
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
  ) {}

  on(channel: typeof DOC_UPDATE_CHANNEL | typeof REVOCATION_CHANNEL, h: Handler): void {
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), h]);
  }
  onResync(h: () => void): void {
    this.resync.push(h);
  }

  async start(): Promise<void> {
    const client = await this.pool.connect();
    this.client = client;
    // Our listeners come off before the client goes back to the pool (where a later user's error
    // must not reach them), and the client is released exactly once.
    let released = false;
    const onNotification = (n: { channel: string; payload?: string }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(n.payload ?? "null");
      } catch {
        this.log("warn", "unparseable notification", { channel: n.channel });
        return;
      }
      for (const h of this.handlers.get(n.channel) ?? []) h(payload);
    };
    const onError = (err: Error) => {
      this.log("error", "change feed connection lost", { error: err.message });
      giveBack(err);
      if (this.client === client) this.client = null;
      this.scheduleRestart();
    };
    const giveBack = (err?: Error) => {
      if (released) return;
      released = true;
      client.removeListener("notification", onNotification);
      client.removeListener("error", onError);
      client.release(err);
    };
    this.giveBack = giveBack;
    client.on("notification", onNotification);
    client.on("error", onError);
    await client.query(`LISTEN ${DOC_UPDATE_CHANNEL}`);
    await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
  }

  private scheduleRestart(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.start()
        .then(() => {
          for (const h of this.resync) h();
        })
        .catch((e: Error) => {
          this.log("error", "change feed reconnect failed", { error: e.message });
          this.scheduleRestart();
        });
    }, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    const giveBack = this.giveBack;
    this.client = null;
    this.giveBack = null;
    if (c) {
      await c.query("UNLISTEN *").catch(() => {});
      giveBack?.();
    }
  }
}
