/**
 * Minimal reader for the Hocuspocus wire format (lib0 varints), enough to classify an incoming
 * message before Hocuspocus applies it: `<docName varString><type varUint>[<syncType varUint>
 * <update varUint8Array>]`. Pure; throws MalformedMessageError on anything that does not parse.
 */

/** Hocuspocus MessageType values (packages/server/src/types.ts). */
export const MESSAGE_TYPES = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  syncReply: 4,
  stateless: 5,
  broadcastStateless: 6,
  close: 7,
  syncStatus: 8,
} as const;

/** y-protocols sync sub-types. */
export const SYNC_TYPES = { step1: 0, step2: 1, update: 2 } as const;

export class MalformedMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "MalformedMessageError";
  }
}

export type ParsedMessage = {
  docName: string;
  type: number;
  /** For sync messages: step1 / step2 / update. */
  syncType?: number;
  /** For sync step2 and update messages: the Yjs update they carry. */
  update?: Uint8Array;
  /** For awareness messages: the y-protocols awareness update they carry. */
  awareness?: Uint8Array;
};

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varUint(): number {
    let num = 0;
    let mult = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.buf.length) throw new MalformedMessageError("truncated varint");
      const b = this.buf[this.pos++]!;
      num += (b & 0x7f) * mult;
      if (b < 0x80) return num;
      mult *= 128;
    }
    throw new MalformedMessageError("varint too long");
  }
  bytes(): Uint8Array {
    const len = this.varUint();
    if (this.pos + len > this.buf.length) throw new MalformedMessageError("truncated byte array");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  string(): string {
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes());
  }
}

export function parseMessage(data: Uint8Array): ParsedMessage {
  const r = new Reader(data);
  let docName: string;
  try {
    docName = r.string();
  } catch (e) {
    throw e instanceof MalformedMessageError
      ? e
      : new MalformedMessageError("document name is not UTF-8");
  }
  const type = r.varUint();
  if (type === MESSAGE_TYPES.awareness) return { docName, type, awareness: r.bytes() };
  if (type !== MESSAGE_TYPES.sync && type !== MESSAGE_TYPES.syncReply) return { docName, type };
  const syncType = r.varUint();
  if (syncType === SYNC_TYPES.step1) return { docName, type, syncType };
  if (syncType !== SYNC_TYPES.step2 && syncType !== SYNC_TYPES.update)
    throw new MalformedMessageError(`unknown sync message type ${syncType}`);
  return { docName, type, syncType, update: r.bytes() };
}

/** One client's entry in an awareness update: its state is null when the client left. */
export type AwarenessEntry = { clientId: number; clock: number; state: unknown };

/**
 * Reads a y-protocols awareness update: `<count varUint>` then per client `<clientID varUint>
 * <clock varUint><state JSON varString>`. Throws MalformedMessageError.
 */
export function parseAwarenessUpdate(data: Uint8Array): AwarenessEntry[] {
  const r = new Reader(data);
  const count = r.varUint();
  const out: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = r.varUint();
    const clock = r.varUint();
    let state: unknown;
    try {
      state = JSON.parse(r.string());
    } catch (e) {
      throw e instanceof MalformedMessageError ? e : new MalformedMessageError("state is not JSON");
    }
    out.push({ clientId, clock, state });
  }
  return out;
}

const cache = new WeakMap<Uint8Array, ParsedMessage>();

/** parseMessage, memoised per message buffer so the extensions parse each message once. */
export function parseMessageCached(data: Uint8Array): ParsedMessage {
  let p = cache.get(data);
  if (!p) {
    p = parseMessage(data);
    cache.set(data, p);
  }
  return p;
}
