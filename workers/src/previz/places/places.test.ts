import { describe, expect, it } from "vitest";
import { renderStill } from "../still.ts";
import { type SettingKind, type ShotSpec, understand } from "../understand.ts";
import { INTERIOR_PLACES, placePainters } from "./index.ts";

/**
 * Every place of issue 11 paints its own scene: unlike the generic setting and unlike every other
 * place, with the signature a viewer would name (water below the horizon, white snow, warm sand,
 * blue depths, a green pitch). Rendered small.
 */
const W = 108;
const H = 192;
const PLACES = Object.keys(placePainters) as SettingKind[];

function at(kind: SettingKind): Uint8ClampedArray {
  const s: ShotSpec = understand({ text: "a person standing", sections: {} });
  s.setting = { kind, text: kind, interior: INTERIOR_PLACES.includes(kind) };
  s.timeOfDay = "day";
  s.weather = "clear";
  return renderStill(s, { width: W, height: H }).getContext("2d").getImageData(0, 0, W, H).data;
}

const cache = new Map<SettingKind, Uint8ClampedArray>();
const frame = (k: SettingKind) => {
  if (!cache.has(k)) cache.set(k, at(k));
  return cache.get(k)!;
};

function diff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 4)
    s +=
      Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
  return s / ((a.length / 4) * 3);
}

/** Mean RGB of the bottom-left corner region (ground, away from the subject in the middle). */
function ground(d: Uint8ClampedArray): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(H * 0.8); y < H; y++)
    for (let x = 0; x < Math.floor(W * 0.3); x++) {
      const i = (y * W + x) * 4;
      for (let c = 0; c < 3; c++) s[c]! += d[i + c]!;
      n++;
    }
  return [s[0]! / n, s[1]! / n, s[2]! / n];
}

describe("places", () => {
  it("registers the places issue 11 names", () => {
    for (const k of [
      "ocean",
      "coast",
      "lake",
      "river",
      "field",
      "farm",
      "desert",
      "snow",
      "underwater",
      "skyline",
      "office",
      "classroom",
      "stadium",
      "sky",
      "jungle",
      "road",
      "library",
      "bedroom",
      "restaurant",
    ] as SettingKind[])
      expect(placePainters[k], k).toBeDefined();
  });

  it("paints every place unlike the generic setting and unlike every other place", () => {
    const generic = frame("generic");
    for (const k of PLACES) expect(diff(frame(k), generic), k).toBeGreaterThan(5);
    for (let i = 0; i < PLACES.length; i++)
      for (let j = i + 1; j < PLACES.length; j++)
        expect(
          diff(frame(PLACES[i]!), frame(PLACES[j]!)),
          `${PLACES[i]} vs ${PLACES[j]}`,
        ).toBeGreaterThan(4);
  });

  it("shows what a viewer names: blue sea, white snow, warm sand, deep blue water, green pitch", () => {
    const [or, og, ob] = ground(frame("ocean"));
    expect(ob).toBeGreaterThan(or + 40);
    expect(ob).toBeGreaterThan(og);
    const snow = ground(frame("snow"));
    expect(Math.min(...snow)).toBeGreaterThan(160);
    expect(Math.min(...ground(frame("generic")))).toBeLessThan(120);
    const [dr, , db] = ground(frame("desert"));
    expect(dr).toBeGreaterThan(db + 60);
    const deep = frame("underwater");
    const top = [0, 0, 0];
    for (let i = 0; i < W * 20 * 4; i += 4) for (let c = 0; c < 3; c++) top[c]! += deep[i + c]!;
    expect(top[2]!).toBeGreaterThan(top[0]! * 2);
    const [sr, sg, sb] = ground(frame("stadium"));
    expect(sg).toBeGreaterThan(sr + 40);
    expect(sg).toBeGreaterThan(sb + 40);
  });
});
