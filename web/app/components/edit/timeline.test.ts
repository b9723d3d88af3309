import { applyGrade } from "@reelhouse/shared/edit/grade";
import { type Edit, editSchema, gradeSchema } from "@reelhouse/shared/edit/schema";
import { describe, expect, it } from "vitest";
import {
  fitToLength,
  locate,
  outputAxis,
  placeClips,
  previewColorMatrix,
  sequenceAtOutput,
  sequenceFrameOf,
  sequenceLength,
  spriteTile,
  timecode,
} from "./timeline";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const sources = { [A]: { fps: 24, frames: 96 }, [B]: { fps: 24, frames: 48 } };

function edit(over: Partial<Edit> = {}): Edit {
  return editSchema.parse({
    version: 1,
    fps: 24,
    width: 720,
    height: 1280,
    clips: [
      { id: "c1", draftId: A, inFrame: 10, outFrame: 58 },
      {
        id: "c2",
        draftId: B,
        inFrame: 0,
        outFrame: 48,
        transition: { kind: "crossfade", frames: 8 },
      },
    ],
    ...over,
  });
}

describe("timeline", () => {
  it("lays clips out like the compiler: a transition overlaps the clip before", () => {
    const p = placeClips(edit(), sources);
    expect(p.map((c) => [c.start, c.length, c.overlap])).toEqual([
      [0, 48, 0],
      [40, 48, 8],
    ]);
    expect(sequenceLength(p)).toBe(88);
  });

  it("finds the source frame at a sequence frame, exactly, and back", () => {
    const p = placeClips(edit(), sources);
    expect(locate(p, sources, 24, 0)).toMatchObject({ clip: { id: "c1" }, sourceFrame: 10 });
    expect(locate(p, sources, 24, 39)).toMatchObject({ clip: { id: "c1" }, sourceFrame: 49 });
    expect(locate(p, sources, 24, 40)).toMatchObject({ clip: { id: "c2" }, sourceFrame: 0 });
    expect(locate(p, sources, 24, 500)).toMatchObject({ clip: { id: "c2" }, sourceFrame: 47 });
    expect(sequenceFrameOf(p[1]!, sources, 24, 5)).toBe(45);
  });

  it("maps output frames back through a 2× section", () => {
    const axis = outputAxis([{ frame: 0, speed: 2, ease: "hold" }], 48);
    expect(axis[48]).toBeCloseTo(24);
    expect(sequenceAtOutput(axis, 12)).toBe(24);
    expect(sequenceAtOutput(axis, 0)).toBe(0);
  });

  it("fits to a target length in proportion, and refuses what the drafts cannot give", () => {
    const e = edit({
      clips: edit().clips.map((c) => ({ ...c, transition: { kind: "cut", frames: 0 } })),
    });
    const r = fitToLength(e, sources, 48);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const fitted = {
      ...e,
      clips: e.clips.map((c) => ({ ...c, outFrame: r.outFrames[c.id] ?? c.outFrame })),
    };
    expect(sequenceLength(placeClips(fitted, sources))).toBe(48);
    expect(fitted.clips.map((c) => c.outFrame - c.inFrame)).toEqual([24, 24]);
    expect(fitToLength(e, sources, 1000)).toMatchObject({ ok: false });
    expect(fitToLength(e, sources, 1)).toMatchObject({ ok: false });
  });

  it("previews the grade with the same numbers as applyGrade", () => {
    const grades = [
      gradeSchema.parse({
        exposure: 0.4,
        contrast: 1.2,
        saturation: 0.6,
        temperature: 0.5,
        tint: -0.3,
      }),
      gradeSchema.parse({ preset: "teal-orange", exposure: -0.3 }),
      gradeSchema.parse({ preset: "noir" }),
    ];
    const colours: [number, number, number][] = [
      [0.5, 0.4, 0.3],
      [0.2, 0.6, 0.5],
      [0.45, 0.45, 0.45],
    ];
    for (const g of grades) {
      const m = previewColorMatrix(g);
      expect(m).toHaveLength(20);
      for (const rgb of colours) {
        const want = applyGrade(g, rgb);
        const got = [0, 1, 2].map((r) =>
          Math.min(
            1,
            Math.max(
              0,
              m[r * 5]! * rgb[0] + m[r * 5 + 1]! * rgb[1] + m[r * 5 + 2]! * rgb[2] + m[r * 5 + 4]!,
            ),
          ),
        );
        for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i]!, 3);
      }
    }
  });

  it("formats timecodes and picks sprite tiles", () => {
    expect(timecode(0, 24)).toBe("00:00:00");
    expect(timecode(24 * 61 + 5, 24)).toBe("01:01:05");
    const sprite = { columns: 5, rows: 2, intervalSeconds: 0.5, count: 8 };
    expect(spriteTile(sprite, 0)).toEqual({ column: 0, row: 0 });
    expect(spriteTile(sprite, 2.6)).toEqual({ column: 0, row: 1 });
    expect(spriteTile(sprite, 99)).toEqual({ column: 2, row: 1 });
  });
});
