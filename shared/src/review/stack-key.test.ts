import { describe, expect, it } from "vitest";
import { stackKeyFor } from "./stack-key.ts";

const src = "0b9f1c2e-1111-4c6d-9a55-0123456789ab";

describe("stackKeyFor: which stack a draft becomes a version of", () => {
  it("a shot's render stacks on that shot", () => {
    expect(stackKeyFor({ kind: "clip", shotId: "s1", metadata: {} })).toEqual({
      by: "key",
      itemKey: "shot:s1",
      kind: "clip",
    });
  });
  it("a sequence stacks on the project's sequence, a plain render on the prompt clip", () => {
    expect(stackKeyFor({ kind: "sequence", shotId: null, metadata: {} })).toMatchObject({
      itemKey: "sequence",
    });
    expect(stackKeyFor({ kind: "clip", shotId: null, metadata: null })).toMatchObject({
      itemKey: "prompt",
    });
  });
  it("an edit stacks on its first source draft's item, whatever its kind", () => {
    const metadata = { edit: { editId: "e1", sourceDraftIds: [src, "x"] } };
    expect(stackKeyFor({ kind: "sequence", shotId: "s9", metadata })).toEqual({
      by: "source",
      sourceDraftId: src,
    });
  });
  it("an uploaded version stacks on the version it was uploaded to", () => {
    const metadata = { upload: { stackDraftId: src, fileName: "cut.mp4" } };
    expect(stackKeyFor({ kind: "clip", shotId: null, metadata })).toEqual({
      by: "source",
      sourceDraftId: src,
    });
    expect(
      stackKeyFor({ kind: "clip", shotId: null, metadata: { upload: { stackDraftId: "x" } } }),
    ).toMatchObject({ itemKey: "prompt" });
  });
  it("a malformed edit record is ignored rather than trusted", () => {
    for (const edit of [{ sourceDraftIds: [] }, { sourceDraftIds: ["not-a-uuid"] }, { x: 1 }, 7])
      expect(stackKeyFor({ kind: "clip", shotId: "s1", metadata: { edit } })).toMatchObject({
        itemKey: "shot:s1",
      });
  });
});
