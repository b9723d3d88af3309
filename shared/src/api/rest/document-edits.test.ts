import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addShot,
  listShots,
  promptFragment,
  promptPlainText,
  userOrigin,
} from "../../collab/schema.ts";
import { ApiError } from "../errors.ts";
import { replaceShots, type ShotInput, setPromptText } from "./document-edits.ts";

const origin = userOrigin("00000000-0000-4000-8000-000000000001");
const shot = (s: Partial<ShotInput>): ShotInput => ({
  prompt: "",
  duration_seconds: 4,
  camera: "",
  transition: "cut",
  notes: "",
  ...s,
});

/** Two replicas that exchange updates, like a live editor and the stored document. */
function replicas() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array, o: unknown) => o !== "sync" && Y.applyUpdate(b, u, "sync"));
  b.on("update", (u: Uint8Array, o: unknown) => o !== "sync" && Y.applyUpdate(a, u, "sync"));
  return { a, b };
}

describe("setPromptText", () => {
  it("writes one paragraph per line and reads back as the same text", () => {
    const doc = new Y.Doc();
    expect(setPromptText(doc, "Subject: a fox\r\nAction: runs\n\nCamera: low", origin)).toBe(true);
    expect(promptPlainText(doc)).toBe("Subject: a fox\nAction: runs\n\nCamera: low");
    expect(promptFragment(doc).length).toBe(4);
    expect(setPromptText(doc, "Subject: a fox\nAction: runs\n\nCamera: low", origin)).toBe(false);
  });

  it("keeps unchanged paragraphs, so a concurrent edit inside one of them survives", () => {
    const { a, b } = replicas();
    setPromptText(a, "Subject: a fox\nAction: runs\nCamera: low", origin);
    const first = promptFragment(a).get(0);
    // b (a live editor) types into the first paragraph while a rewrites only the last one.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(a));
    const text = (promptFragment(b).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, " in the snow");
    setPromptText(offline, "Subject: a fox\nAction: runs\nCamera: high, drone", origin);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(offline));
    expect(promptPlainText(a)).toBe(
      "Subject: a fox in the snow\nAction: runs\nCamera: high, drone",
    );
    expect(promptPlainText(b)).toBe(promptPlainText(a));
    expect(promptFragment(a).get(0)).toBe(first);
  });
});

describe("replaceShots", () => {
  it("updates listed shots in place, adds new ones, removes the rest, in the given order", () => {
    const doc = new Y.Doc();
    const one = addShot(doc, { prompt: "one" }, origin);
    const two = addShot(doc, { prompt: "two", latestRenderId: "r2" }, origin);
    const three = addShot(doc, { prompt: "three" }, origin);
    const ids = replaceShots(
      doc,
      [shot({ id: three, prompt: "three!" }), shot({ prompt: "new" }), shot({ id: two })],
      origin,
    );
    const shots = listShots(doc);
    expect(shots.map((s) => s.prompt)).toEqual(["three!", "new", ""]);
    expect(shots.map((s) => s.id)).toEqual(ids);
    expect(ids[0]).toBe(three);
    expect(ids[2]).toBe(two);
    expect(shots.find((s) => s.id === one)).toBeUndefined();
    // The render link is not the API's to change.
    expect(shots[2]!.latestRenderId).toBe("r2");
  });

  it("keeps the order keys of shots that did not move (a concurrent move elsewhere is not undone)", () => {
    const doc = new Y.Doc();
    const a = addShot(doc, { prompt: "a" }, origin);
    const b = addShot(doc, { prompt: "b" }, origin);
    const before = new Map(listShots(doc).map((s) => [s.id, s.order]));
    replaceShots(
      doc,
      [shot({ id: a, prompt: "a" }), shot({ prompt: "mid" }), shot({ id: b, prompt: "b" })],
      origin,
    );
    const after = listShots(doc);
    expect(after.map((s) => s.prompt)).toEqual(["a", "mid", "b"]);
    expect(after[0]!.order).toBe(before.get(a));
    expect(after[2]!.order).toBe(before.get(b));
  });

  it("refuses an unknown or repeated id with a 400 naming the shot, and changes nothing", () => {
    const doc = new Y.Doc();
    const a = addShot(doc, { prompt: "a" }, origin);
    const state = Y.encodeStateVector(doc);
    const refusal = (shots: ShotInput[]) => {
      try {
        replaceShots(doc, shots, origin);
      } catch (err) {
        return err as ApiError;
      }
      throw new Error("expected a refusal");
    };
    expect(refusal([shot({ id: "nope" })])).toMatchObject({ status: 400, param: "shots.0.id" });
    expect(refusal([shot({ id: a }), shot({ id: a })])).toBeInstanceOf(ApiError);
    expect(Y.encodeStateVector(doc)).toEqual(state);
  });
});
