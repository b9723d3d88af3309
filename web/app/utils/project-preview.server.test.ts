import {
  addRole,
  addShot,
  addThread,
  docToJSON,
  moveShot,
  userOrigin,
} from "@reelhouse/shared/collab/schema";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { guestName } from "./guest";
import { toPreview } from "./project-preview.server";

describe("version preview", () => {
  it("shows the prompt text, the shots in storyboard order, and the counts", () => {
    const me = userOrigin("u1");
    const prompt = new Y.Doc();
    const frag = prompt.getXmlFragment("prompt");
    const p1 = new Y.XmlElement("paragraph");
    p1.insert(0, [new Y.XmlText("A fox runs <fast> & low")]);
    const p2 = new Y.XmlElement("paragraph");
    p2.insert(0, [new Y.XmlText("Camera: drone")]);
    frag.insert(0, [p1, p2]);
    const board = new Y.Doc();
    const first = addShot(board, { prompt: "First", durationSeconds: 5 }, me);
    addShot(board, { prompt: "Second", camera: "dolly" }, me);
    moveShot(board, first, 1, me);
    const casting = new Y.Doc();
    addRole(casting, { name: "Fox", description: "" }, me);
    const comments = new Y.Doc();
    addThread(comments, { kind: "shot", shotId: first }, { id: "u1", name: "Ann" }, "Nice", me);

    const preview = toPreview({
      prompt: docToJSON(prompt, "prompt"),
      storyboard: docToJSON(board, "storyboard"),
      casting: docToJSON(casting, "casting"),
      comments: docToJSON(comments, "comments"),
    });
    expect(preview.promptText).toBe("A fox runs <fast> & low\nCamera: drone");
    expect(preview.shots.map((s) => [s.prompt, s.durationSeconds, s.camera])).toEqual([
      ["Second", 4, "dolly"],
      ["First", 5, ""],
    ]);
    expect(preview.roles).toBe(1);
    expect(preview.threads).toBe(1);
  });

  it("copes with a snapshot that lacks some documents", () => {
    expect(toPreview({})).toEqual({ promptText: "", shots: [], roles: 0, threads: 0 });
  });
});

describe("guest display names", () => {
  it("are trimmed, stripped of control characters, capped at 40 characters, and default to Guest", () => {
    expect(guestName("  Dana  ")).toBe("Dana");
    expect(guestName("Da\u0000na\u200b")).toBe("Dana");
    expect(guestName("x".repeat(60))).toHaveLength(40);
    expect(guestName("   ")).toBe("Guest");
    expect(guestName(null)).toBe("Guest");
  });
});
