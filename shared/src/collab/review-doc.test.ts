import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addNote,
  listNotes,
  notesAtFrame,
  parseReviewDocName,
  reviewDocName,
  shapeSchema,
} from "./review-doc.ts";

const id = "0b9f1c2e-1111-4c6d-9a55-0123456789ab";
const me = { id: "u1", name: "Ann", guest: false };

describe("review documents: names and schema", () => {
  it("names are review.<version id>.shared|team and nothing else parses", () => {
    expect(parseReviewDocName(reviewDocName(id, "team"))).toEqual({ draftId: id, kind: "team" });
    for (const bad of [
      `review.${id}.secret`,
      `review.${id}`,
      `project.${id}.shared`,
      "review.x.shared",
    ])
      expect(parseReviewDocName(bad)).toBeNull();
    expect(() => reviewDocName("nope", "shared")).toThrow();
  });

  it("shapes are normalized: points outside 0..1, unknown tools, bad colours and two-point rules are refused", () => {
    const ok = {
      tool: "rect",
      color: "#ffcc00",
      width: 0.01,
      points: [
        [0.1, 0.1],
        [0.5, 0.5],
      ],
    };
    expect(shapeSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      {
        ...ok,
        points: [
          [0.1, 0.1],
          [1.2, 0.5],
        ],
      },
      { ...ok, tool: "circle" },
      { ...ok, color: "red" },
      {
        ...ok,
        points: [
          [0, 0],
          [0.1, 0.1],
          [0.2, 0.2],
        ],
      },
      { ...ok, width: 0.5 },
      { ...ok, extra: 1 },
    ])
      expect(shapeSchema.safeParse(bad).success).toBe(false);
    expect(
      shapeSchema.safeParse({
        ...ok,
        tool: "pen",
        points: [
          [0, 0],
          [0.1, 0.1],
          [0.2, 0.2],
        ],
      }).success,
    ).toBe(true);
  });

  it("notes list in frame order; a range note covers its frames, a point note only its own", () => {
    const d = new Y.Doc();
    addNote(d, { anchor: { frame: 30, endFrame: 60 }, author: me, body: "range" });
    addNote(d, { anchor: { frame: 10 }, author: me, body: "point" });
    expect(() =>
      addNote(d, { anchor: { frame: 9, endFrame: 3 }, author: me, body: "x" }),
    ).toThrow();
    expect(() => addNote(d, { anchor: { frame: 1 }, author: me, body: "   " })).toThrow(
      /not empty/,
    );
    const notes = listNotes(d);
    expect(notes.map((n) => n.messages[0]!.body)).toEqual(["point", "range"]);
    expect(notesAtFrame(notes, 45).map((n) => n.messages[0]!.body)).toEqual(["range"]);
    expect(notesAtFrame(notes, 11)).toEqual([]);
  });
});
