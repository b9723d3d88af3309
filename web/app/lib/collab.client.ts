import {
  HocuspocusProvider,
  HocuspocusProviderWebsocket,
  WebSocketStatus,
} from "@hocuspocus/provider";
import { type DocKind, docName } from "@reelhouse/shared/collab/docs";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { colorFor, initialsOf } from "../components/project/colors";

/**
 * The browser side of a project's collaboration session: one Y.Doc per document kind, each with a
 * local IndexedDB copy (offline-first) and a Hocuspocus provider, all multiplexed over ONE
 * WebSocket to the collab server. Tokens are short-lived; the provider asks `getToken` for a fresh
 * one on every (re)connection.
 *
 * Status, as shown by the indicator:
 * - `offline`: no connection (network down, server unreachable); edits are kept in IndexedDB.
 * - `syncing`: connected, but the server has not yet acknowledged every local change.
 * - `saved`: connected and every local change acknowledged by the server.
 * - `denied`: the server refused us (revoked link, removed from the workspace, expired session).
 */
export type SyncStatus = "connecting" | "offline" | "syncing" | "saved" | "denied";

export interface PresenceUser {
  id: string;
  name: string;
  color: string;
  initials: string;
}

export interface PresenceState {
  clientId: number;
  user: PresenceUser;
  /** The shot this person is looking at (storyboard focus), if any. */
  shotId: string | null;
  self: boolean;
}

export interface SessionOptions {
  url: string;
  projectId: string;
  kinds: readonly DocKind[];
  user: Omit<PresenceUser, "color" | "initials"> & { color?: string };
  /** The token issued with the page, used for the first connection. */
  token: string;
  /** Resource route answering `{ token }` with a fresh token, for every later (re)connection. */
  tokenPath: string;
  /** Keep a local IndexedDB copy (default true). */
  offline?: boolean;
}

export { colorFor, initialsOf };

type Listener = () => void;

export class ProjectSession {
  readonly docs = {} as Record<DocKind, Y.Doc>;
  readonly providers = {} as Record<DocKind, HocuspocusProvider>;
  readonly user: PresenceUser;
  private readonly local: IndexeddbPersistence[] = [];
  private readonly socket: HocuspocusProviderWebsocket;
  private readonly listeners = new Set<Listener>();
  private socketStatus: WebSocketStatus = WebSocketStatus.Connecting;
  private deniedReason: string | null = null;
  private online = typeof navigator === "undefined" ? true : navigator.onLine;
  private cachedStatus: SyncStatus = "connecting";
  private cachedPresence: PresenceState[] = [];
  private readonly localLoaded: Promise<void>;

  constructor(opts: SessionOptions) {
    this.user = {
      id: opts.user.id,
      name: opts.user.name,
      color: opts.user.color ?? colorFor(opts.user.id),
      initials: initialsOf(opts.user.name),
    };
    this.socket = new HocuspocusProviderWebsocket({
      url: opts.url,
      // Reconnect quickly after the network comes back; Hocuspocus backs off up to maxDelay.
      delay: 500,
      minDelay: 250,
      maxDelay: 5000,
    });
    this.socket.on("status", ({ status }: { status: WebSocketStatus }) => {
      this.socketStatus = status;
      this.emit();
    });
    const getToken = tokenFetcher(opts.tokenPath, opts.token);
    const loads: Promise<unknown>[] = [];
    for (const kind of opts.kinds) {
      const doc = new Y.Doc();
      const name = docName(opts.projectId, kind);
      this.docs[kind] = doc;
      if (opts.offline !== false && typeof indexedDB !== "undefined") {
        const idb = new IndexeddbPersistence(`reelhouse:${name}`, doc);
        this.local.push(idb);
        loads.push(idb.whenSynced);
      }
      const provider = new HocuspocusProvider({
        websocketProvider: this.socket,
        name,
        document: doc,
        token: getToken,
        onAuthenticationFailed: ({ reason }) => {
          this.deniedReason = deniedMessage(0, reason);
          this.emit();
        },
        onAuthenticated: () => {
          this.deniedReason = null;
          this.emit();
        },
        onSynced: () => this.emit(),
        onUnsyncedChanges: () => this.emit(),
        onClose: ({ event }) => {
          // A refusal closes the socket with a named code (shared/src/names.ts), or — when the
          // socket is shared by several documents — closes just this document with a reason that
          // starts with the code ("4410 share link revoked or expired").
          const message = deniedMessage(event.code, event.reason);
          if (message) {
            this.deniedReason = message;
            this.emit();
          }
        },
      });
      provider.attach();
      this.providers[kind] = provider;
    }
    this.localLoaded = Promise.all(loads).then(() => undefined);

    const presence = this.presenceAwareness();
    if (presence) {
      presence.setLocalStateField("user", this.user);
      presence.setLocalStateField("shotId", null);
      presence.on("change", () => {
        this.cachedPresence = this.computePresence();
        this.emit();
      });
    }
    if (typeof window !== "undefined") {
      window.addEventListener("online", this.onOnline);
      window.addEventListener("offline", this.onOffline);
    }
    this.cachedPresence = this.computePresence();
    this.cachedStatus = this.computeStatus();
  }

  /** Resolves once the local IndexedDB copies are loaded into the documents. */
  whenLocalLoaded(): Promise<void> {
    return this.localLoaded;
  }

  private onOnline = () => {
    this.online = true;
    // Reconnect right away instead of waiting for the backoff timer.
    void this.socket.connect();
    this.emit();
  };

  private onOffline = () => {
    this.online = false;
    this.emit();
  };

  /** Awareness carrying presence: the prompt document's (its carets live there too). */
  presenceAwareness() {
    const p = this.providers.prompt ?? this.providers.storyboard;
    return p?.awareness ?? null;
  }

  /** Which shot the local person is looking at (shown to others on that shot's card). */
  setViewingShot(shotId: string | null): void {
    const a = this.presenceAwareness();
    if (a && a.getLocalState()?.shotId !== shotId) a.setLocalStateField("shotId", shotId);
  }

  private computePresence(): PresenceState[] {
    const a = this.presenceAwareness();
    if (!a) return [];
    const out: PresenceState[] = [];
    const seen = new Set<string>();
    for (const [clientId, state] of a.getStates()) {
      const u = state?.user as PresenceUser | undefined;
      if (!u?.id) continue;
      const self = clientId === a.clientID;
      // One avatar per person even with several tabs open; keep the self entry first.
      const key = `${u.id}`;
      if (seen.has(key) && !self) continue;
      seen.add(key);
      out.push({
        clientId,
        user: u,
        shotId: typeof state.shotId === "string" ? state.shotId : null,
        self,
      });
    }
    return out.sort((x, y) => (x.self ? -1 : y.self ? 1 : x.user.name.localeCompare(y.user.name)));
  }

  private computeStatus(): SyncStatus {
    if (this.deniedReason) return "denied";
    if (!this.online || this.socketStatus === WebSocketStatus.Disconnected) return "offline";
    if (this.socketStatus === WebSocketStatus.Connecting) return "connecting";
    const providers = Object.values(this.providers);
    if (providers.some((p) => !p.synced || p.hasUnsyncedChanges)) return "syncing";
    return "saved";
  }

  get status(): SyncStatus {
    return this.cachedStatus;
  }

  get denied(): string | null {
    return this.deniedReason;
  }

  get presence(): PresenceState[] {
    return this.cachedPresence;
  }

  /** useSyncExternalStore-compatible subscription. */
  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  private emit(): void {
    this.cachedStatus = this.computeStatus();
    for (const fn of this.listeners) fn();
  }

  destroy(): void {
    if (typeof window !== "undefined") {
      window.removeEventListener("online", this.onOnline);
      window.removeEventListener("offline", this.onOffline);
    }
    for (const p of Object.values(this.providers)) p.destroy();
    this.socket.destroy();
    for (const l of this.local) void l.destroy();
    for (const d of Object.values(this.docs)) d.destroy();
    this.listeners.clear();
  }
}

/**
 * The message for a refusal by the collab server, from a close code or a reason that starts with
 * one; null when the close is not a refusal (a network drop: keep reconnecting).
 */
export function deniedMessage(code: number, reason: string | undefined): string | null {
  const fromReason = /^(4\d{3})\b/.exec(reason ?? "");
  const c = fromReason ? Number(fromReason[1]) : code;
  switch (c) {
    case 4410:
      return "This share link was revoked or has expired.";
    case 4403:
      return "You no longer have access to this project.";
    case 4401:
      return "Your session expired. Reload the page to sign in again.";
    case 4429:
      return "Too many connections right now. Reload the page in a moment.";
    default:
      return code === 0
        ? `The collab server refused this session${reason ? ` (${reason})` : ""}.`
        : null;
  }
}

/** Fetches a fresh collab token from a resource route that answers `{ token }`. */
export function tokenFetcher(path: string, initial?: string): () => Promise<string> {
  // The page's token serves every document's first connection (they authenticate together);
  // reconnections later fetch a fresh one, since tokens are short-lived.
  const issuedAt = Date.now();
  return async () => {
    if (initial && Date.now() - issuedAt < 60_000) return initial;
    const res = await fetch(path, { headers: { accept: "application/json" } });
    if (!res.ok) throw new Error(`collab token: HTTP ${res.status}`);
    const body = (await res.json()) as { token?: unknown };
    if (typeof body.token !== "string") throw new Error("collab token: malformed answer");
    return body.token;
  };
}
