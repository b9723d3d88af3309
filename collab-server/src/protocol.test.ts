import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MalformedMessageError, MESSAGE_TYPES, parseMessage, SYNC_TYPES } from "./protocol.ts";

function encode(parts: (number | Uint8Array | string)[]): Uint8Array {
  const out: number[] = [];
  const varUint = (n: number) => {
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
  };
  for (const p of parts) {
    if (typeof p === "number") varUint(p);
    else {
      const b = typeof p === "string" ? new TextEncoder().encode(p) : p;
      varUint(b.length);
      out.push(...b);
    }
  }
  return new Uint8Array(out);
}

describe("protocol reader", () => {
  it("[C8] classifies sync updates and extracts the Yjs update", () => {
    const d = new Y.Doc();
    d.getMap("m").set("k", "v".repeat(300));
    const update = Y.encodeStateAsUpdate(d);
    const parsed = parseMessage(
      encode(["project.x.prompt", MESSAGE_TYPES.sync, SYNC_TYPES.update, update]),
    );
    expect(parsed.docName).toBe("project.x.prompt");
    expect(parsed.syncType).toBe(SYNC_TYPES.update);
    expect(Array.from(parsed.update!)).toEqual(Array.from(update));
    expect(
      parseMessage(encode(["d", MESSAGE_TYPES.awareness, new Uint8Array([1])])).update,
    ).toBeUndefined();
    expect(
      parseMessage(encode(["d", MESSAGE_TYPES.sync, SYNC_TYPES.step1, new Uint8Array([0])])).update,
    ).toBeUndefined();
  });

  it("[C8] refuses truncated messages, bad UTF-8 names and unknown sync types", () => {
    const full = encode(["doc", MESSAGE_TYPES.sync, SYNC_TYPES.update, new Uint8Array(50)]);
    expect(() => parseMessage(full.subarray(0, full.length - 10))).toThrow(MalformedMessageError);
    expect(() => parseMessage(encode([new Uint8Array([0xff, 0xfe]), 0]))).toThrow(
      MalformedMessageError,
    );
    expect(() => parseMessage(encode(["doc", MESSAGE_TYPES.sync, 7]))).toThrow(
      /unknown sync message type/,
    );
    expect(() =>
      parseMessage(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80])),
    ).toThrow(MalformedMessageError);
    expect(() => parseMessage(new Uint8Array([]))).toThrow(MalformedMessageError);
  });
});
