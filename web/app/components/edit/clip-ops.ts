/**
 * Timeline writes that Extend needs and the shared document model (shared/src/edit/doc.ts) does
 * not have yet: put a new clip after another, and swap a clip's source for its extended version.
 * They write the same fields as doc.ts's `clipMap` (draftId, in/out, transition, fractional
 * `order`), so `readEdit` validates the result like any other change; both belong in doc.ts.
 */
import { keyBetween } from "@reelhouse/shared/collab/fractional-index";
import type { TxOrigin } from "@reelhouse/shared/collab/schema";
import * as Y from "yjs";

const clipsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>("clips");

function orderedIds(doc: Y.Doc): string[] {
  return [...clipsMap(doc).entries()]
    .map(([id, m]) => ({ id, order: String(m.get("order")) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1))
    .map((c) => c.id);
}

/** A new clip of `draftId` (frames [0, frames), cut in) right after clip `afterId`. */
export function insertClipAfter(
  doc: Y.Doc,
  afterId: string,
  clip: { id: string; draftId: string; frames: number },
  origin: TxOrigin,
): void {
  if (!Number.isInteger(clip.frames) || clip.frames < 1)
    throw new RangeError("a clip keeps at least one whole frame");
  const clips = clipsMap(doc);
  if (clips.has(clip.id)) throw new Error(`clip ${clip.id} exists`);
  const ids = orderedIds(doc);
  const at = ids.indexOf(afterId);
  const before = at >= 0 ? ids[at] : ids.at(-1);
  const next = at >= 0 ? ids[at + 1] : undefined;
  const order = keyBetween(
    before ? String(clips.get(before)!.get("order")) : null,
    next ? String(clips.get(next)!.get("order")) : null,
  );
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set("draftId", clip.draftId);
    m.set("inFrame", 0);
    m.set("outFrame", clip.frames);
    m.set("transitionKind", "cut");
    m.set("transitionFrames", 0);
    m.set("order", order);
    clips.set(clip.id, m);
  }, origin);
}

/**
 * Clip `id` plays `draftId` instead — an extension of its source, which starts with the same
 * frames: its in point stays, its out point moves to the extension's end.
 */
export function swapToExtension(
  doc: Y.Doc,
  id: string,
  ext: { draftId: string; frames: number },
  origin: TxOrigin,
): void {
  const m = clipsMap(doc).get(id);
  if (!m) throw new Error(`no clip ${id}`);
  if ((m.get("inFrame") as number) >= ext.frames)
    throw new RangeError("the clip starts past the extension");
  doc.transact(() => {
    m.set("draftId", ext.draftId);
    m.set("outFrame", ext.frames);
  }, origin);
}
