import { describe, expect, it } from "vitest";
import { renderStill } from "../still.ts";
import { type ShotSpec, type Style, understand } from "../understand.ts";
import { styleTreatments, treatmentFor } from "./index.ts";
import { pixelSize } from "./pixel-art.ts";

/**
 * The art styles, looked at as pixels: each of the named styles gives a frame of its own kind
 * (greyscale, square pixels, neon magenta/cyan, strokes, outlines, paper…), all distinct from one
 * another, and deterministic. Frames are rendered small (144x256) to keep the tests quick; the
 * treatments scale with the frame width.
 */

const W = 144;
const H = 256;
const ART: Style[] = [
  "van-gogh",
  "oil-painting",
  "ukiyo-e",
  "black-and-white",
  "pixel-art",
  "cyberpunk",
  "cartoon",
  "watercolor",
  "surreal",
];
const EVERY: Style[] = [
  ...ART,
  "cinematic",
  "documentary",
  "anime",
  "noir",
  "neon",
  "pastel-symmetric",
  "vintage",
  "plain",
  "claymation",
  "comic",
  "sketch",
];

function spec(text: string, style: Style): ShotSpec {
  return { ...understand({ text, sections: {} }), style };
}

function still(s: ShotSpec, seed = 0) {
  const c = renderStill(s, { width: W, height: H, seed });
  return c.getContext("2d").getImageData(0, 0, W, H).data;
}

const PROMPT = "a dog playing in a park on a sunny day";
const frames = new Map<Style, Uint8ClampedArray>();
const frameOf = (style: Style) => {
  let f = frames.get(style);
  if (!f) {
    f = still(spec(PROMPT, style));
    frames.set(style, f);
  }
  return f;
};

function meanAbsDiff(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 4)
    s +=
      Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!);
  return s / ((a.length / 4) * 3);
}

/** Mean |difference| between horizontally neighbouring pixels in rows [y0, y1): texture. */
function texture(d: Uint8ClampedArray, y0: number, y1: number): number {
  let s = 0;
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = 1; x < W; x++) {
      const i = (y * W + x) * 4;
      s += Math.abs(d[i]! - d[i - 4]!) + Math.abs(d[i + 1]! - d[i - 3]!);
      n++;
    }
  return s / n;
}

function share(d: Uint8ClampedArray, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (test(d[i]!, d[i + 1]!, d[i + 2]!)) n++;
  return n / (d.length / 4);
}

describe("style registry", () => {
  it("has a treatment for every style understanding can name, under its own id", () => {
    for (const s of EVERY) expect(treatmentFor(s).id).toBe(s);
    expect(styleTreatments.size).toBe(EVERY.length);
  });
});

describe("art styles as picture treatments", () => {
  it("gives each of the nine named art styles a frame clearly unlike every other one and unlike the default look", () => {
    const looks: Style[] = [...ART, "cinematic"];
    for (let i = 0; i < looks.length; i++)
      for (let j = i + 1; j < looks.length; j++) {
        const d = meanAbsDiff(frameOf(looks[i]!), frameOf(looks[j]!));
        expect(d, `${looks[i]} vs ${looks[j]}`).toBeGreaterThan(8);
      }
  });

  it("black and white has no colour anywhere, subjects included", () => {
    const d = frameOf("black-and-white");
    expect(share(d, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 6)).toBe(0);
    // ...and the default look of the same prompt is colourful.
    expect(
      share(frameOf("cinematic"), (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 30),
    ).toBeGreaterThan(0.5);
  });

  it("pixel art is made of square blocks of one colour each", () => {
    const d = frameOf("pixel-art");
    const p = pixelSize(W, H);
    expect(p).toBeGreaterThan(1);
    let off = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = (y * W + x) * 4;
        const k = ((y - (y % p)) * W + (x - (x % p))) * 4;
        if (d[i] !== d[k] || d[i + 1] !== d[k + 1] || d[i + 2] !== d[k + 2]) off++;
      }
    expect(off).toBe(0);
  });

  it("cyberpunk turns the scene neon magenta and cyan with scanlines", () => {
    const d = frameOf("cyberpunk");
    const neon = share(d, (r, g, b) => (r > g + 40 && b > g + 20) || (b > r + 40 && g > r + 20));
    expect(neon).toBeGreaterThan(0.25);
    expect(share(frameOf("cinematic"), (r, g, b) => r > g + 40 && b > g + 20)).toBeLessThan(0.05);
    // Scanlines: alternate rows differ in brightness across the whole width.
    let dark = 0;
    for (let y = 10; y < H - 10; y++) {
      let a = 0;
      let b = 0;
      for (let x = 0; x < W; x++) {
        a += d[(y * W + x) * 4 + 1]!;
        b += d[((y + 1) * W + x) * 4 + 1]!;
      }
      if (Math.abs(a - b) / W > 3) dark++;
    }
    expect(dark).toBeGreaterThan((H - 20) * 0.3);
  });

  it("Van Gogh and oil paint the smooth sky and lawn in visible brush strokes and canvas", () => {
    // Against the plain look (no grain): the same sky and lawn as gradients.
    const sky = (s: Style) => texture(frameOf(s), 20, 60);
    const lawn = (s: Style) => texture(frameOf(s), 200, 250);
    expect(sky("van-gogh")).toBeGreaterThan(sky("plain") * 2);
    expect(lawn("van-gogh")).toBeGreaterThan(lawn("plain") * 2);
    expect(sky("oil-painting")).toBeGreaterThan(sky("plain") * 1.3);
    expect(lawn("oil-painting")).toBeGreaterThan(lawn("plain") * 1.3);
  });

  it("cartoon outlines its shapes in near-black lines the default look does not have", () => {
    const ink = (s: Style) => share(frameOf(s), (r, g, b) => r < 40 && g < 40 && b < 45);
    expect(ink("cartoon")).toBeGreaterThan(ink("cinematic") + 0.02);
  });

  it("ukiyo-e prints a dark indigo band across the top of the sky", () => {
    const d = frameOf("ukiyo-e");
    let r = 0;
    let b = 0;
    for (let i = 0; i < W * 8 * 4; i += 4) {
      r += d[i]!;
      b += d[i + 2]!;
    }
    expect(b).toBeGreaterThan(r * 1.3);
    expect(b / (W * 8)).toBeLessThan(140);
  });

  it("watercolour is lighter and paler than the default look, on grained paper", () => {
    const light = (s: Style) => share(frameOf(s), (r, g, b) => (r + g + b) / 3 > 150);
    expect(light("watercolor")).toBeGreaterThan(light("cinematic"));
  });

  it("is deterministic: the same shot and seed give the same pixels, another seed other strokes", () => {
    const s = spec(PROMPT, "van-gogh");
    const a = still(s, 7);
    expect(Buffer.from(a).equals(Buffer.from(still(s, 7)))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(still(s, 8)))).toBe(false);
  });
});
