import { describe, expect, it } from "vitest";
import { extendFacts, extendProblem, extendRoom, parseExtendSeconds } from "./extend-rules";
import type { EditorSource } from "./types";

const source = (over: Partial<EditorSource>): EditorSource => ({
  draftId: "d1",
  videoUrl: "",
  posterUrl: "",
  spriteUrl: "",
  peaksUrl: "",
  sprite: null,
  width: 720,
  height: 1280,
  fps: 30,
  frames: 120,
  label: "fox",
  backend: "previz",
  extendOf: null,
  ...over,
});

describe("Extend's rules before anything is sent", () => {
  it("lets an editor extend a 4 s previz clip by up to 16 s", () => {
    const s = source({});
    expect(extendProblem(extendFacts(s), true)).toBeNull();
    expect(extendRoom(s)).toBe(16);
    expect(parseExtendSeconds("16", s)).toBe(16);
    expect(parseExtendSeconds("1", s)).toBe(1);
  });

  it("refuses viewers, edit renders, backends that cannot continue a clip, and a full clip", () => {
    expect(extendProblem(extendFacts(source({})), false)).toMatch(/Only editors and owners/);
    expect(extendProblem(undefined, true)).toMatch(/Select a clip/);
    expect(extendProblem(extendFacts(source({ backend: "edit" })), true)).toMatch(
      /edited clip cannot be extended/,
    );
    expect(extendProblem(extendFacts(source({ backend: "veo" })), true)).toMatch(
      /Google Veo.*only previz clips can be extended/,
    );
    expect(extendProblem(extendFacts(source({ backend: "upload" })), true)).toMatch(
      /An uploaded clip cannot be continued/,
    );
    expect(extendProblem(extendFacts(source({ frames: 600 })), true)).toMatch(
      /already 20 s, the longest/,
    );
  });

  it("refuses seconds past the room, below one or not whole, with the limit (never clamps)", () => {
    const s = source({ frames: 18 * 30 });
    expect(parseExtendSeconds("3", s)).toBe(
      "A 18 s clip can be extended by at most 2 s (clips are at most 20 s).",
    );
    expect(parseExtendSeconds("0", s)).toBe("Extend by at least 1 second.");
    expect(parseExtendSeconds("1.5", s)).toBe("Extend by a whole number of seconds.");
    expect(parseExtendSeconds(" ", s)).toBe("Extend by a whole number of seconds.");
    expect(parseExtendSeconds("2", s)).toBe(2);
  });
});
