import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { userOrigin } from "../collab/schema.ts";
import { compileEdit, type EditSource } from "./compile.ts";
import {
  deleteClip,
  editUndoManager,
  initEditDoc,
  moveClip,
  readEdit,
  setGrade,
  setSpeedKey,
  splitClip,
  trimClip,
} from "./doc.ts";
import { editSchema } from "./schema.ts";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const start = editSchema.parse({
  version: 1,
  fps: 30,
  width: 320,
  height: 240,
  clips: [
    { id: "c1", draftId: A, inFrame: 0, outFrame: 120 },
    { id: "c2", draftId: B, inFrame: 0, outFrame: 90 },
  ],
});
const src = (draftId: string): EditSource => ({
  draftId,
  path: `/m/${draftId}.mp4`,
  width: 320,
  height: 240,
  fps: 30,
  frames: 300,
  hasAudio: true,
  keyframes: [0],
});

/** Two replicas that exchange every update, as two browsers through the collab server do. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on(
    "update",
    (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(b, u, "remote"),
  );
  b.on(
    "update",
    (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(a, u, "remote"),
  );
  return { a, b };
}

describe("the edit document", () => {
  it("round-trips a decision list", () => {
    const doc = new Y.Doc();
    initEditDoc(doc, start, userOrigin("u1"));
    expect(readEdit(doc)).toEqual(start);
  });

  it("a trim in one replica and a grade in the other: both see both, and the render has both", () => {
    const { a, b } = pair();
    const ana = userOrigin("ana");
    const ben = userOrigin("ben");
    initEditDoc(a, start, ana);
    // Concurrently (neither has seen the other's change when making it).
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(b));
    trimClip(a, "c1", { inFrame: 12, outFrame: 100 }, ana);
    setGrade(offline, { preset: "noir", exposure: 0.5 }, ben);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(offline), "remote");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b), "remote");
    const ea = readEdit(a);
    const eb = readEdit(b);
    expect(ea).toEqual(eb);
    expect(ea.clips[0]).toMatchObject({ inFrame: 12, outFrame: 100 });
    expect(ea.grade).toMatchObject({ preset: "noir", exposure: 0.5 });
    const graph = compileEdit(ea, {
      sources: { [A]: src(A), [B]: src(B) },
      output: "/o.mp4",
    }).renderArgs.join(" ");
    expect(graph).toContain("trim=start_frame=12:end_frame=100");
    // Noir: the contrast in the RGB table, the colour removed on the chroma planes.
    expect(graph).toContain("-127.5)*1.35+128,0,255)'");
    expect(graph).toContain("eq=saturation=0");
  });

  it("split, reorder and delete keep frame-exact clips in the right order", () => {
    const doc = new Y.Doc();
    const o = userOrigin("u");
    initEditDoc(doc, start, o);
    splitClip(doc, "c1", 50, "c1b", o);
    expect(readEdit(doc).clips.map((c) => [c.id, c.inFrame, c.outFrame])).toEqual([
      ["c1", 0, 50],
      ["c1b", 50, 120],
      ["c2", 0, 90],
    ]);
    moveClip(doc, "c2", 0, o);
    expect(readEdit(doc).clips.map((c) => c.id)).toEqual(["c2", "c1", "c1b"]);
    deleteClip(doc, "c1", o);
    expect(readEdit(doc).clips.map((c) => c.id)).toEqual(["c2", "c1b"]);
    expect(() => splitClip(doc, "c2", 0, "x", o)).toThrow(RangeError);
    expect(() => trimClip(doc, "c2", { inFrame: 90 }, o)).toThrow(RangeError);
  });

  it("undo takes back only my own changes, never a collaborator's", () => {
    const { a, b } = pair();
    const ana = userOrigin("ana");
    const ben = userOrigin("ben");
    initEditDoc(a, start, ana);
    const undoAna = editUndoManager(a, ana);
    trimClip(a, "c1", { inFrame: 30 }, ana);
    undoAna.stopCapturing();
    setGrade(b, { saturation: 1.5 }, ben);
    setSpeedKey(b, "k1", { frame: 10, speed: 2, ease: "ease" }, ben);
    undoAna.undo();
    for (const d of [a, b]) {
      const e = readEdit(d);
      expect(e.clips[0]!.inFrame).toBe(0);
      expect(e.grade.saturation).toBe(1.5);
      expect(e.speed).toEqual([{ frame: 10, speed: 2, ease: "ease" }]);
    }
    undoAna.redo();
    expect(readEdit(b).clips[0]!.inFrame).toBe(30);
  });

  it("a document broken by out-of-range values is refused when read", () => {
    const doc = new Y.Doc();
    const o = userOrigin("u");
    initEditDoc(doc, start, o);
    setGrade(doc, { exposure: 9 }, o);
    expect(() => readEdit(doc)).toThrow();
  });
});
