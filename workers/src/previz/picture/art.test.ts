import { describe, expect, test } from "vitest";
import { analysis, artIds, artSprite, hasArt } from "./art.ts";
import { artFacing } from "./art-facing.ts";

describe("art", () => {
  test("the Fluent Emoji Flat set is there, ids and aliases resolve, unknown ids do not", () => {
    expect(artIds().length).toBeGreaterThan(3000);
    for (const id of ["horse", "airplane", "sailboat", "red-apple", "bicycle", "dog"])
      expect(hasArt(id), id).toBe(true);
    expect(hasArt("no-such-drawing")).toBe(false);
    expect(() => artSprite("no-such-drawing", 64)).toThrow(/No drawing "no-such-drawing"/);
  });

  test("a sprite's drawing (not its padding) is the asked height, and sprites are cached", () => {
    const a = artSprite("horse", 200);
    expect(Math.abs(a.box.h - 200)).toBeLessThanOrEqual(200 / 64 + 2);
    expect(a.box.w).toBeGreaterThan(50);
    expect(artSprite("horse", 200)).toBe(a);
    expect(artSprite("horse", 200, "red")).not.toBe(a);
    const box = analysis("horse");
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(1);
    expect(box.bottom - box.top).toBeGreaterThan(0.5);
  });

  test("a tint shows: a red umbrella is mostly red, a black dog mostly dark", () => {
    const share = (
      id: string,
      color: string | null,
      is: (r: number, g: number, b: number) => boolean,
    ) => {
      const s = artSprite(id, 96, color);
      const d = s.canvas.getContext("2d").getImageData(0, 0, s.canvas.width, s.canvas.height).data;
      let n = 0;
      let hit = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3]! < 200) continue;
        n++;
        if (is(d[i]!, d[i + 1]!, d[i + 2]!)) hit++;
      }
      return hit / n;
    };
    const red = (r: number, g: number, b: number) => r > 150 && g < 90 && b < 90;
    const dark = (r: number, g: number, b: number) => r + g + b < 200;
    expect(share("umbrella", null, red)).toBeLessThan(0.1);
    expect(share("umbrella", "red", red)).toBeGreaterThan(0.5);
    expect(share("dog", null, dark)).toBeLessThan(0.2);
    expect(share("dog", "black", dark)).toBeGreaterThan(0.6);
  });

  test("facing: emoji animals and vehicles face left unless listed; a plane climbs to the right", () => {
    expect(artFacing("horse")).toEqual({ facing: -1, heading: 0 });
    expect(artFacing("airplane").facing).toBe(1);
    expect(artFacing("airplane").heading).toBeLessThan(0);
  });
});
