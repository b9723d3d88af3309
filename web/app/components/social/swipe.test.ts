import { describe, expect, it } from "vitest";
import { releaseVelocity, SWIPE, swipeTarget } from "./swipe.ts";

const h = 800;
const at = (dy: number, vy = 0, from = 3, count = 10) =>
  swipeTarget({ from, dy, vy, height: h, count });

describe("swipeTarget", () => {
  it("a tap or a wobble inside the slop stays on the same item, even if quick", () => {
    expect(at(0)).toBe(3);
    expect(at(-(SWIPE.slopPx - 1), -5)).toBe(3);
  });

  it("a slow short drag springs back; a slow drag over a fifth of the screen moves one item", () => {
    expect(at(-0.1 * h, -0.05)).toBe(3);
    expect(at(0.1 * h, 0.05)).toBe(3);
    expect(at(-0.25 * h, -0.05)).toBe(4);
    expect(at(0.25 * h, 0.05)).toBe(2);
  });

  it("a quick short flick moves one item in its direction", () => {
    expect(at(-40, -0.8)).toBe(4);
    expect(at(40, 0.8)).toBe(2);
  });

  it("a flick across the whole screen, however fast, moves exactly one item", () => {
    expect(at(-0.95 * h, -30)).toBe(4);
    expect(at(0.95 * h, 30)).toBe(2);
    expect(at(-3 * h, -100)).toBe(4);
  });

  it("a drag flicked back against its direction before release stays, however far it went", () => {
    expect(at(-0.1 * h, 0.8)).toBe(3);
    expect(at(-0.6 * h, 0.8)).toBe(3);
    expect(at(0.6 * h, -0.8)).toBe(3);
  });

  it("never leaves the list", () => {
    expect(at(0.5 * h, 1, 0)).toBe(0);
    expect(at(-0.5 * h, -1, 9, 10)).toBe(9);
  });
});

describe("releaseVelocity", () => {
  it("measures only the last moments of the drag", () => {
    const samples = [
      { t: 0, y: 500 },
      { t: 300, y: 490 }, // a slow start…
      { t: 350, y: 440 },
      { t: 400, y: 390 }, // …then a flick: 100 px in 100 ms
    ];
    expect(releaseVelocity(samples)).toBeCloseTo(-1, 5);
  });

  it("is 0 without movement in time", () => {
    expect(releaseVelocity([])).toBe(0);
    expect(releaseVelocity([{ t: 5, y: 1 }])).toBe(0);
  });
});
