/**
 * The edit as a collaborative Yjs document, so several people can cut one timeline live: every
 * field is its own Y.Map entry (a trim in one browser and a grade in another merge, they never
 * overwrite each other), clips are ordered by fractional index keys (a reorder is one write), and
 * each person gets a Y.UndoManager that undoes only their own changes. `readEdit` turns the
 * document back into a validated decision list (./schema.ts) — what the compiler and the render
 * take. Pure: no network; the sync transport is whatever carries the Y.Doc updates.
 */
import * as Y from "yjs";
import { keyBetween } from "../collab/fractional-index.ts";
import type { TxOrigin } from "../collab/schema.ts";
import {
  type Edit,
  editSchema,
  type Grade,
  type LoopSettings,
  type SpeedKey,
  type StabilizeSettings,
} from "./schema.ts";

/** Root types of an edit document (also what a restore replaces). */
export const EDIT_ROOTS = {
  settings: "map",
  clips: "map",
  speed: "map",
  grade: "map",
  loop: "map",
  stabilize: "map",
  audio: "map",
} as const;

type Clip = Edit["clips"][number];

const root = (doc: Y.Doc, name: keyof typeof EDIT_ROOTS) => doc.getMap<unknown>(name);
const clipsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>("clips");

function orderedClipIds(doc: Y.Doc): string[] {
  return [...clipsMap(doc).entries()]
    .map(([id, m]) => ({ id, order: String(m.get("order")) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id < b.id ? -1 : 1))
    .map((c) => c.id);
}

function clipMap(c: Clip, order: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set("draftId", c.draftId);
  m.set("inFrame", c.inFrame);
  m.set("outFrame", c.outFrame);
  m.set("transitionKind", c.transition.kind);
  m.set("transitionFrames", c.transition.frames);
  m.set("order", order);
  return m;
}

function setFields(map: Y.Map<unknown>, values: Record<string, unknown>) {
  for (const [k, v] of Object.entries(values)) if (map.get(k) !== v) map.set(k, v);
}

/** Fill an empty document from a decision list (the edit's first opening). */
export function initEditDoc(doc: Y.Doc, edit: Edit, origin: TxOrigin): void {
  doc.transact(() => {
    setFields(root(doc, "settings"), {
      version: 1,
      fps: edit.fps,
      width: edit.width,
      height: edit.height,
    });
    let prev: string | null = null;
    for (const c of edit.clips) {
      const key = keyBetween(prev, null);
      clipsMap(doc).set(c.id, clipMap(c, key));
      prev = key;
    }
    edit.speed.forEach((k, i) => {
      root(doc, "speed").set(`k${i}`, { ...k });
    });
    setFields(root(doc, "grade"), { ...edit.grade });
    if (edit.loop) setFields(root(doc, "loop"), { ...edit.loop });
    setFields(root(doc, "stabilize"), { ...edit.stabilize });
    setFields(root(doc, "audio"), { ...edit.audio });
  }, origin);
}

/** The document as a raw (unvalidated) decision list. */
export function editFromDoc(doc: Y.Doc): unknown {
  const settings = root(doc, "settings").toJSON();
  const clips = orderedClipIds(doc).map((id) => {
    const m = clipsMap(doc).get(id)!;
    return {
      id,
      draftId: m.get("draftId"),
      inFrame: m.get("inFrame"),
      outFrame: m.get("outFrame"),
      transition: { kind: m.get("transitionKind"), frames: m.get("transitionFrames") },
    };
  });
  const speed = [...root(doc, "speed").values()].sort(
    (a, b) => (a as SpeedKey).frame - (b as SpeedKey).frame,
  );
  const loop = root(doc, "loop").toJSON();
  return {
    ...settings,
    clips,
    speed,
    loop: Object.keys(loop).length ? loop : null,
    stabilize: root(doc, "stabilize").toJSON(),
    grade: root(doc, "grade").toJSON(),
    audio: root(doc, "audio").toJSON(),
  };
}

/** The document as a validated decision list; throws the zod error if concurrent edits broke it. */
export function readEdit(doc: Y.Doc): Edit {
  return editSchema.parse(editFromDoc(doc));
}

function clip(doc: Y.Doc, id: string): Y.Map<unknown> {
  const m = clipsMap(doc).get(id);
  if (!m) throw new Error(`no clip ${id}`);
  return m;
}

/** Trim: new in and/or out (source frames; out exclusive). Refuses an empty clip. */
export function trimClip(
  doc: Y.Doc,
  id: string,
  t: { inFrame?: number; outFrame?: number },
  origin: TxOrigin,
): void {
  const m = clip(doc, id);
  const inFrame = t.inFrame ?? (m.get("inFrame") as number);
  const outFrame = t.outFrame ?? (m.get("outFrame") as number);
  if (
    !Number.isInteger(inFrame) ||
    !Number.isInteger(outFrame) ||
    inFrame < 0 ||
    outFrame <= inFrame
  ) {
    throw new RangeError("a trim keeps at least one whole frame");
  }
  doc.transact(() => setFields(m, { inFrame, outFrame }), origin);
}

/** Split a clip at a source frame: the first part keeps its id, the second gets `newId`. */
export function splitClip(
  doc: Y.Doc,
  id: string,
  atFrame: number,
  newId: string,
  origin: TxOrigin,
): void {
  const m = clip(doc, id);
  const inFrame = m.get("inFrame") as number;
  const outFrame = m.get("outFrame") as number;
  if (!(atFrame > inFrame && atFrame < outFrame)) throw new RangeError("split inside the clip");
  if (clipsMap(doc).has(newId)) throw new Error(`clip ${newId} exists`);
  const ids = orderedClipIds(doc);
  const next = ids[ids.indexOf(id) + 1];
  const order = keyBetween(
    String(m.get("order")),
    next ? String(clipsMap(doc).get(next)!.get("order")) : null,
  );
  doc.transact(() => {
    m.set("outFrame", atFrame);
    clipsMap(doc).set(
      newId,
      clipMap(
        {
          id: newId,
          draftId: String(m.get("draftId")),
          inFrame: atFrame,
          outFrame,
          transition: { kind: "cut", frames: 0 },
        },
        order,
      ),
    );
  }, origin);
}

export function deleteClip(doc: Y.Doc, id: string, origin: TxOrigin): void {
  if (clipsMap(doc).size <= 1) throw new RangeError("an edit keeps at least one clip");
  doc.transact(() => clipsMap(doc).delete(id), origin);
}

/** Move a clip to position `index` (0-based, among the other clips). */
export function moveClip(doc: Y.Doc, id: string, index: number, origin: TxOrigin): void {
  const others = orderedClipIds(doc).filter((c) => c !== id);
  const i = Math.max(0, Math.min(others.length, index));
  const order = (cid: string | undefined) =>
    cid ? String(clipsMap(doc).get(cid)!.get("order")) : null;
  const key = keyBetween(order(others[i - 1]), order(others[i]));
  doc.transact(() => clip(doc, id).set("order", key), origin);
}

export function setTransition(
  doc: Y.Doc,
  id: string,
  t: Clip["transition"],
  origin: TxOrigin,
): void {
  doc.transact(
    () => setFields(clip(doc, id), { transitionKind: t.kind, transitionFrames: t.frames }),
    origin,
  );
}

/** Change grade fields (each field merges on its own). */
export function setGrade(doc: Y.Doc, patch: Partial<Grade>, origin: TxOrigin): void {
  doc.transact(() => setFields(root(doc, "grade"), patch), origin);
}

export function setStabilize(
  doc: Y.Doc,
  patch: Partial<StabilizeSettings>,
  origin: TxOrigin,
): void {
  doc.transact(() => setFields(root(doc, "stabilize"), patch), origin);
}

export function setLoop(doc: Y.Doc, loop: LoopSettings | null, origin: TxOrigin): void {
  doc.transact(() => {
    const m = root(doc, "loop");
    if (!loop) for (const k of [...m.keys()]) m.delete(k);
    else setFields(m, { ...loop });
  }, origin);
}

export function setAudioMode(doc: Y.Doc, mode: "pitch" | "mute", origin: TxOrigin): void {
  doc.transact(() => setFields(root(doc, "audio"), { mode }), origin);
}

/** Add or replace a speed key (by id) — ids keep two people's keys apart. */
export function setSpeedKey(doc: Y.Doc, keyId: string, key: SpeedKey, origin: TxOrigin): void {
  doc.transact(() => root(doc, "speed").set(keyId, { ...key }), origin);
}

export function removeSpeedKey(doc: Y.Doc, keyId: string, origin: TxOrigin): void {
  doc.transact(() => root(doc, "speed").delete(keyId), origin);
}

/**
 * Undo for one person: tracks every root, but only transactions whose origin is this person's
 * (`origin` must be the same object passed to the edit functions), so undo never takes back a
 * collaborator's change.
 */
export function editUndoManager(doc: Y.Doc, origin: TxOrigin): Y.UndoManager {
  const scope = (Object.keys(EDIT_ROOTS) as (keyof typeof EDIT_ROOTS)[]).map((k) => root(doc, k));
  return new Y.UndoManager(scope, { trackedOrigins: new Set([origin]), captureTimeout: 300 });
}
