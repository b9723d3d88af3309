import type { Anchor } from "@reelhouse/shared/collab/schema";
import * as Y from "yjs";

/**
 * Text-range anchors for comments, in the shared format of schema.ts (base64 of
 * Y.encodeRelativePosition for start and end) but without Node's Buffer, so they work in the
 * browser. A range is anchored inside one paragraph of the prompt: the relative positions follow
 * the text as people edit around it.
 */
function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
function unb64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The Y.XmlText holding the text of top-level block `blockIndex` of the prompt, if simple. */
function blockText(doc: Y.Doc, blockIndex: number): Y.XmlText | null {
  const el = doc.getXmlFragment("prompt").get(blockIndex);
  if (!(el instanceof Y.XmlElement) || el.length !== 1) return null;
  const t = el.get(0);
  return t instanceof Y.XmlText ? t : null;
}

/** Anchor for [from, to) within top-level block `blockIndex`; null if the block is not plain text. */
export function makeTextAnchor(
  doc: Y.Doc,
  blockIndex: number,
  from: number,
  to: number,
): Anchor | null {
  const t = blockText(doc, blockIndex);
  if (!t || from >= to || to > t.length) return null;
  const enc = (i: number, assoc: number) =>
    b64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, i, assoc)));
  return { kind: "text", doc: "prompt", start: enc(from, 0), end: enc(to, -1) };
}

export interface ResolvedRange {
  blockIndex: number;
  from: number;
  to: number;
  quote: string;
}

/** Where a text anchor points now, with the quoted text; null when that text was deleted. */
export function resolveAnchor(
  doc: Y.Doc,
  anchor: Extract<Anchor, { kind: "text" }>,
): ResolvedRange | null {
  try {
    const a = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(unb64(anchor.start)),
      doc,
    );
    const b = Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(unb64(anchor.end)),
      doc,
    );
    if (!a || !b || a.type !== b.type || b.index <= a.index) return null;
    if (!(a.type instanceof Y.XmlText)) return null;
    const parent = a.type.parent;
    const blocks = doc.getXmlFragment("prompt").toArray();
    const blockIndex = blocks.indexOf(parent as Y.XmlElement);
    if (blockIndex < 0) return null;
    const text = (a.type.toDelta() as { insert: unknown }[])
      .map((d) => (typeof d.insert === "string" ? d.insert : ""))
      .join("");
    return { blockIndex, from: a.index, to: b.index, quote: text.slice(a.index, b.index) };
  } catch {
    return null;
  }
}
