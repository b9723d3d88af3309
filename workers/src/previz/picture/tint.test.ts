import { describe, expect, test } from "vitest";
import { colorRGB, hslToRgb, rgbToHsl, tintMap, tintSvg } from "./tint.ts";

describe("tint", () => {
  test("named colours resolve, unknown words do not", () => {
    expect(colorRGB("Red")).toEqual([214, 40, 40]);
    expect(colorRGB("grey")).toEqual(colorRGB("gray"));
    expect(colorRGB("happy")).toBeUndefined();
  });

  test("hsl round-trips", () => {
    for (const c of [
      [214, 40, 40],
      [20, 140, 140],
      [245, 245, 245],
      [35, 35, 38],
    ] as const) {
      const back = hslToRgb(rgbToHsl([...c]));
      back.forEach((v, i) => {
        expect(Math.abs(v - c[i]!)).toBeLessThanOrEqual(1);
      });
    }
  });

  test("the dominant family takes the target hue and keeps its shading; eyes and other hues stay", () => {
    // A tan dog: body #d3883e (large), its shadow #a56953 (same hue family), black eye, pink tongue.
    const areas = new Map([
      ["#d3883e", 900],
      ["#b86e2a", 300],
      ["#1c1c1c", 20],
      ["#f92f60", 30],
    ]);
    const map = tintMap(["#d3883e", "#b86e2a", "#1c1c1c", "#f92f60"], [40, 90, 215], areas);
    expect(map.has("#1c1c1c")).toBe(false);
    expect(map.has("#f92f60")).toBe(false);
    const body = rgbToHsl(hexRGB(map.get("#d3883e")!));
    const shade = rgbToHsl(hexRGB(map.get("#b86e2a")!));
    expect(Math.abs(body.h - rgbToHsl([40, 90, 215]).h)).toBeLessThan(3);
    expect(shade.l).toBeLessThan(body.l);
  });

  test("black makes the body dark and grey; white makes it light", () => {
    const areas = new Map([["#d3883e", 900]]);
    const black = rgbToHsl(hexRGB(tintMap(["#d3883e"], colorRGB("black")!, areas).get("#d3883e")!));
    const white = rgbToHsl(hexRGB(tintMap(["#d3883e"], colorRGB("white")!, areas).get("#d3883e")!));
    expect(black.l).toBeLessThan(0.2);
    expect(black.s).toBeLessThan(0.1);
    expect(white.l).toBeGreaterThan(0.9);
  });

  test("tintSvg rewrites only the mapped colours in the SVG text", () => {
    const body = '<path fill="#D3883E" d="M0 0h4v4z"/><path fill="#1c1c1c" d="M1 1h1v1z"/>';
    const out = tintSvg(body, [214, 40, 40], new Map([["#d3883e", 10]]));
    expect(out).not.toContain("#D3883E");
    expect(out).toContain('fill="#1c1c1c"');
    expect(out).toContain('d="M0 0h4v4z"');
  });
});

function hexRGB(h: string): [number, number, number] {
  const n = Number.parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
