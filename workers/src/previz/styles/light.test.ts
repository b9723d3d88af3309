import { describe, expect, it } from "vitest";
import { palette } from "../picture/palette.ts";
import { renderStill } from "../still.ts";
import { type ShotSpec, understand } from "../understand.ts";
import { lightColors, relight } from "./light.ts";

/**
 * Every word about light, weather, time and mood changes the picture, in the direction it names.
 * Pairs of prompts that differ in one such word are rendered (small) and their regions compared.
 */

const W = 144;
const H = 256;
const spec = (text: string): ShotSpec => understand({ text, sections: {} });
const pixels = (s: ShotSpec) =>
  renderStill(s, { width: W, height: H }).getContext("2d").getImageData(0, 0, W, H).data;

/** Mean RGB over rows [y0, y1) (fractions of the height). */
function mean(d: Uint8ClampedArray, y0: number, y1: number): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(y0 * H); y < Math.floor(y1 * H); y++)
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      s[0]! += d[i]!;
      s[1]! += d[i + 1]!;
      s[2]! += d[i + 2]!;
      n++;
    }
  return [s[0]! / n, s[1]! / n, s[2]! / n];
}

describe("named light colours", () => {
  const street = "A woman walks through a city street at night, ";
  it("reads the colour words of the lighting clause as colours, and leaves mood words out", () => {
    expect(lightColors(spec(`${street}moody blue and purple lighting`))).toHaveLength(2);
    expect(lightColors({ lighting: { kind: "neon", colors: ["warm", "orange"] } })).toEqual([
      [255, 140, 30],
    ]);
  });

  it("leaves the palette alone when the prompt names no light colour and no mood", () => {
    const s = spec("a dog in a park");
    const base = palette({ ...s, lighting: { ...s.lighting, colors: [] }, mood: [] });
    expect(relight(base, { lighting: { kind: "natural", colors: [] }, mood: [] })).toEqual(base);
  });

  it("blue and purple lighting gives a blue-violet sky, green and gold a green-gold one", () => {
    const cool = mean(pixels(spec(`${street}moody blue and purple lighting`)), 0, 0.3);
    const warm = mean(pixels(spec(`${street}green and gold lighting`)), 0, 0.3);
    expect(cool[2]).toBeGreaterThan(cool[1] + 20);
    expect(warm[1]).toBeGreaterThan(warm[2] + 10);
    expect(warm[1]).toBeGreaterThan(cool[1] + 15);
    expect(cool[2]).toBeGreaterThan(warm[2] + 25);
  });

  it("spills onto the subject's plane too: the street and figure take the colours", () => {
    const cool = mean(pixels(spec(`${street}blue lighting`)), 0.55, 0.9);
    const red = mean(pixels(spec(`${street}red lighting`)), 0.55, 0.9);
    expect(red[0] - red[2]).toBeGreaterThan(cool[0] - cool[2] + 30);
  });
});

describe("mood, time of day and weather", () => {
  it("a warm mood is warmer than a melancholic one", () => {
    const warm = mean(pixels(spec("a man standing in a park, warm mood")), 0, 1);
    const sad = mean(pixels(spec("a man standing in a park, melancholic mood")), 0, 1);
    expect(warm[0] - warm[2]).toBeGreaterThan(sad[0] - sad[2] + 10);
  });

  it("night is darker than day", () => {
    const day = mean(pixels(spec("a man standing in a park during the day")), 0, 1);
    const night = mean(pixels(spec("a man standing in a park at night")), 0, 1);
    expect(day[0] + day[1] + day[2]).toBeGreaterThan((night[0] + night[1] + night[2]) * 1.5);
  });

  it("snow falling shows on a cyberpunk street: white flakes a rainy one does not have", () => {
    const base = spec("Cyberpunk city street at night, neon signs, a hooded figure walking");
    expect(base.style).not.toBe("plain");
    const flakes = (s: ShotSpec) => {
      const d = pixels(s);
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 200) n++;
      return n;
    };
    const snow = flakes({ ...base, weather: "snow" });
    const rain = flakes({ ...base, weather: "rain" });
    expect(snow).toBeGreaterThan(rain + 100);
  });
});
