/**
 * Client side of bench/collab.ts, run as ONE child process per scenario:
 *   node --import tsx bench/lib-collab-driver.ts '<json DriverConfig>'
 * Opens N real providers (@hocuspocus/provider, or y-websocket's WebsocketProvider for the
 * baseline) on one document, replays a real typing trace (josephg/editing-traces, CC BY 4.0) from
 * the first `writers` clients at `editsPerSecond`, and measures, for every inserting edit and every
 * other client, the time from the local change to its arrival. Prints one JSON line.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { HocuspocusProvider } from "@hocuspocus/provider";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

export type DriverConfig = {
  kind: "hocuspocus" | "y-websocket";
  url: string;
  docName: string;
  token?: string;
  clients: number;
  writers: number;
  editsPerSecond: number;
  durationMs: number;
  traceFile: string;
};

export type DriverResult = {
  kind: DriverConfig["kind"];
  clients: number;
  edits: number;
  samples: number;
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  connectMs: number;
  converged: boolean;
  /** Every latency sample, ms (2 decimals), so the caller can pool rounds. */
  latencies: number[];
};

export type Patch = [number, number, string];
const LOCAL = Symbol("bench-local");

/** Patches of the gzip trace (josephg/editing-traces format), or of a plain JSON array of them. */
export function loadPatches(file: string, n: number): Patch[] {
  const raw = readFileSync(file);
  const json = JSON.parse((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as
    | Patch[]
    | { txns: { patches: Patch[] }[] };
  if (Array.isArray(json)) return json.slice(0, n);
  const out: Patch[] = [];
  for (const t of json.txns) {
    for (const p of t.patches) out.push(p);
    if (out.length >= n) break;
  }
  return out.slice(0, n);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

type Client = { doc: Y.Doc; id: number; destroy(): void; synced: Promise<void> };

function open(cfg: DriverConfig): Client {
  const doc = new Y.Doc();
  if (cfg.kind === "hocuspocus") {
    let resolve!: () => void;
    const synced = new Promise<void>((r) => {
      resolve = r;
    });
    const p = new HocuspocusProvider({
      url: cfg.url,
      name: cfg.docName,
      document: doc,
      token: cfg.token ?? "",
      WebSocketPolyfill: WebSocket,
      onSynced: () => resolve(),
      onAuthenticationFailed: ({ reason }: { reason: string }) => {
        throw new Error(`auth failed: ${reason}`);
      },
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    return { doc, id: doc.clientID, synced, destroy: () => p.destroy() };
  }
  const p = new WebsocketProvider(cfg.url, cfg.docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const synced = new Promise<void>((r) => {
    const h = (s: boolean) => {
      if (s) {
        p.off("sync", h);
        r();
      }
    };
    p.on("sync", h);
  });
  return { doc, id: doc.clientID, synced, destroy: () => p.destroy() };
}

export async function drive(cfg: DriverConfig): Promise<DriverResult> {
  const totalEdits = Math.round((cfg.editsPerSecond * cfg.durationMs) / 1000);
  const patches = loadPatches(cfg.traceFile, totalEdits);

  const t0 = performance.now();
  const clients: Client[] = [];
  for (let i = 0; i < cfg.clients; i += 10) {
    const batch = Array.from({ length: Math.min(10, cfg.clients - i) }, () => open(cfg));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.synced));
  }
  const connectMs = performance.now() - t0;

  // sent[clientId] = [{ clock, t }] in clock order; seen[receiver][sender] = index of next unseen.
  const sent = new Map<number, { clock: number; t: number }[]>();
  const latencies: number[] = [];
  let pendingSendTime = 0;
  for (const c of clients) {
    const seen = new Map<number, number>();
    c.doc.on("update", (u: Uint8Array, origin: unknown) => {
      const now = performance.now();
      const meta = Y.parseUpdateMeta(u);
      if (origin === LOCAL) {
        const clock = meta.to.get(c.id);
        if (clock !== undefined) {
          let list = sent.get(c.id);
          if (!list) {
            list = [];
            sent.set(c.id, list);
          }
          list.push({ clock, t: pendingSendTime });
        }
        return;
      }
      for (const [sender, clock] of meta.to) {
        if (sender === c.id) continue;
        const list = sent.get(sender);
        if (!list) continue;
        let i = seen.get(sender) ?? 0;
        while (i < list.length && list[i]!.clock <= clock) {
          latencies.push(now - list[i]!.t);
          i++;
        }
        seen.set(sender, i);
      }
    });
  }

  const writers = clients.slice(0, Math.max(1, Math.min(cfg.writers, clients.length)));
  let done = 0;
  let inserts = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(
        patches.length,
        Math.floor(((performance.now() - start) / 1000) * cfg.editsPerSecond),
      );
      while (done < due) {
        const [pos, del, ins] = patches[done]!;
        const w = writers[done % writers.length]!;
        const text = w.doc.getText("content");
        const at = Math.min(pos, text.length);
        pendingSendTime = performance.now();
        w.doc.transact(() => {
          if (del > 0) text.delete(at, Math.min(del, text.length - at));
          if (ins) text.insert(at, ins);
        }, LOCAL);
        if (ins) inserts++;
        done++;
      }
      if (done >= patches.length) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });

  const expected = inserts * (clients.length - 1);
  const drainUntil = performance.now() + 5000;
  while (latencies.length < expected && performance.now() < drainUntil)
    await new Promise((r) => setTimeout(r, 20));
  const ref = clients[0]!.doc.getText("content").toString();
  const converged = clients.every((c) => c.doc.getText("content").toString() === ref);
  for (const c of clients) c.destroy();

  const sorted = latencies.slice().sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    kind: cfg.kind,
    clients: cfg.clients,
    edits: done,
    samples: sorted.length,
    missing: Math.max(0, expected - sorted.length),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
    connectMs: Math.round(connectMs),
    converged,
    latencies: sorted.map(round),
  };
}

// Run as a child process by bench/collab.ts (not when imported for its helpers).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2]) {
  const cfg = JSON.parse(process.argv[2]) as DriverConfig;
  drive(cfg)
    .then((r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    })
    .catch((e: Error) => {
      process.stderr.write(`${e.stack ?? e.message}\n`);
      process.exit(1);
    });
}
