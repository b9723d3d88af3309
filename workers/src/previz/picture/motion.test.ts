import { describe, expect, test } from "vitest";
import type { Motion } from "../understand.ts";
import { MAX_TRAVEL, motionPose, TRAVEL } from "./motion.ts";

const ALL = Object.keys(TRAVEL) as Motion[];
const base = { half: 2.5, size: 200, frameW: 1280, phase: 0 };

describe("motion", () => {
  test("every motion is exactly at the planned place at mid-shot", () => {
    for (const motion of ALL)
      for (const facing of [1, -1] as const) {
        const p = motionPose({ ...base, motion, t: 0, facing });
        expect(Math.abs(p.dx), motion).toBeLessThan(1e-9);
        expect(Math.abs(p.dy), motion).toBeLessThan(1e-9);
      }
  });

  test("travellers move the way they face, and stay within the frame over the shot", () => {
    for (const motion of ALL.filter((m) => TRAVEL[m] > 0))
      for (const facing of [1, -1] as const) {
        const a = motionPose({ ...base, motion, t: -base.half, facing });
        const b = motionPose({ ...base, motion, t: base.half, facing });
        expect(Math.sign(b.dx - a.dx), motion).toBe(facing);
        expect(Math.abs(b.dx), motion).toBeLessThanOrEqual(MAX_TRAVEL * base.frameW + 1e-6);
      }
  });

  test("a long shot slows travel rather than leaving the frame", () => {
    const p = motionPose({ ...base, half: 30, motion: "drive", t: 30, facing: 1 });
    expect(p.dx).toBeCloseTo(MAX_TRAVEL * base.frameW, 6);
  });

  test("still, spin and sway stay in place; spin turns; fall goes down", () => {
    for (const motion of ["still", "spin", "sway"] as const)
      expect(motionPose({ ...base, motion, t: 1.3, facing: 1 }).dx).toBe(0);
    expect(
      Math.abs(motionPose({ ...base, motion: "spin", t: 0.5, facing: 1 }).rot),
    ).toBeGreaterThan(1);
    expect(motionPose({ ...base, motion: "fall", t: 1, facing: 1 }).dy).toBeGreaterThan(0);
    expect(motionPose({ ...base, motion: "fall", t: -1, facing: 1 }).dy).toBeLessThan(0);
  });

  test("a flyer is highest at mid-shot (an arc); a gallop and a hop leave the ground", () => {
    const ends = motionPose({ ...base, motion: "fly", t: base.half, facing: 1 }).dy;
    expect(ends).toBeGreaterThan(base.size * 0.5);
    const lifts = (m: Motion) =>
      Math.min(
        ...[0.1, 0.2, 0.3, 0.4].map((t) => motionPose({ ...base, motion: m, t, facing: 1 }).dy),
      );
    expect(lifts("gallop")).toBeLessThan(-base.size * 0.05);
    expect(lifts("hop")).toBeLessThan(-base.size * 0.2);
  });

  test("rolling turns by distance over radius", () => {
    const p = motionPose({ ...base, motion: "roll", t: 1, facing: 1 });
    expect(p.rot).toBeCloseTo(p.dx / (base.size / 2), 9);
  });
});
