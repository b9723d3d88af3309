import { describe, expect, it } from "vitest";
import {
  CODE_BITS,
  codeBits,
  crc16,
  DETECT_SIZE,
  detect,
  GRID,
  identify,
  layout,
  MATCH_Z,
  matchZ,
  patternFrame,
  payloadHex,
  payloadOf,
} from "./invisible-mark.ts";

/** A smooth synthetic picture (gradients and a few soft discs), w × h luma. */
function scene(w: number, h: number, seed: number): Float32Array {
  const img = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 60 + (100 * y) / h + 30 * Math.sin((x / w) * 3 + seed);
      const dx = x - w * (0.3 + 0.1 * Math.sin(seed));
      const dy = y - h * 0.6;
      if (dx * dx + dy * dy < (w * 0.2) ** 2) v += 50;
      img[y * w + x] = v;
    }
  return img;
}

/** Area-resamples the region (x0, y0, cw, ch) of a w × h image to s × s (what ffmpeg's scale does). */
function resample(
  img: Float32Array,
  w: number,
  x0: number,
  y0: number,
  cw: number,
  ch: number,
  s: number,
) {
  const out = new Float32Array(s * s);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++) {
      let sum = 0;
      let n = 0;
      for (let yy = Math.floor(y0 + (y * ch) / s); yy < Math.floor(y0 + ((y + 1) * ch) / s); yy++)
        for (
          let xx = Math.floor(x0 + (x * cw) / s);
          xx < Math.floor(x0 + ((x + 1) * cw) / s);
          xx++
        ) {
          sum += img[yy * w + xx] as number;
          n++;
        }
      out[y * s + x] = sum / Math.max(1, n);
    }
  return out;
}

function marked(payload: number, w: number, h: number, seed: number): Float32Array {
  const img = scene(w, h, seed);
  const p = patternFrame(payload, w, h);
  for (let i = 0; i < w * h; i++) img[i] = (img[i] as number) + (p[i] as number) - 128;
  return img;
}

describe("invisible mark", () => {
  it("payload: the draft id's first 32 bits; the code adds its CRC-16", () => {
    expect(payloadHex(payloadOf("3fa85f64-5717-4562-b3fc-2c963f66afa6"))).toBe("3fa85f64");
    expect(() => payloadOf("nope")).toThrow(/not a uuid/);
    // CRC-16/CCITT-FALSE check value of "123456789" is 0x29b1; of the 4 bytes "1234": 0x5349.
    expect(crc16(0x31323334)).toBe(0x5349);
    expect(crc16(0)).not.toBe(crc16(1));
    const bits = codeBits(0x80000001);
    expect(bits).toHaveLength(CODE_BITS);
    expect([bits[0], bits[1], bits[31]]).toEqual([1, -1, 1]);
  });

  it("layout: every code bit gets the same number of blocks (±1), chips are balanced", () => {
    const { bit, chip } = layout();
    const per = new Array(CODE_BITS).fill(0);
    for (const b of bit) per[b]++;
    expect(Math.max(...per) - Math.min(...per)).toBeLessThanOrEqual(1);
    const sum = chip.reduce((a, c) => a + c, 0);
    expect(Math.abs(sum)).toBeLessThan((GRID * GRID) / 8);
  });

  it("pattern: luma 128 ± amplitude in blocks, chroma untouched; odd sizes are refused", () => {
    const f = patternFrame(0xdeadbeef, 64, 32, { edge: 0 });
    expect(f).toHaveLength(64 * 32 * 1.5);
    expect(new Set(f.subarray(0, 64 * 32))).toEqual(new Set([125, 131]));
    expect(f.subarray(64 * 32).every((v) => v === 128)).toBe(true);
    expect(() => patternFrame(1, 63, 32)).toThrow(/even/);
  });

  it("pattern: no hard block edges (a smooth sky shows no grid), full level in the blocks' middles", () => {
    const w = 720;
    const h = 1280;
    const f = patternFrame(0xdeadbeef, w, h);
    const hard = patternFrame(0xdeadbeef, w, h, { edge: 0 });
    let maxStep = 0;
    for (let y = 0; y < h; y++)
      for (let x = 1; x < w; x++)
        maxStep = Math.max(
          maxStep,
          Math.abs((f[y * w + x] as number) - (f[y * w + x - 1] as number)),
        );
    for (let y = 1; y < h; y++)
      for (let x = 0; x < w; x++)
        maxStep = Math.max(
          maxStep,
          Math.abs((f[y * w + x] as number) - (f[(y - 1) * w + x] as number)),
        );
    // The hard pattern jumps 6 levels at a boundary between opposite blocks; the ramped one ≤ 1.
    expect(maxStep).toBeLessThanOrEqual(1);
    // What detection measures (each block's middle 60 %) keeps ≥ 95 % of the hard pattern's level.
    let kept = 0;
    let full = 0;
    for (let by = 0; by < GRID; by++)
      for (let bx = 0; bx < GRID; bx++)
        for (let y = Math.ceil(((by + 0.2) * h) / GRID); y < ((by + 0.8) * h) / GRID; y++)
          for (let x = Math.ceil(((bx + 0.2) * w) / GRID); x < ((bx + 0.8) * w) / GRID; x++) {
            const s = Math.sign((hard[y * w + x] as number) - 128);
            kept += s * ((f[y * w + x] as number) - 128);
            full += s * ((hard[y * w + x] as number) - 128);
          }
    expect(kept / full).toBeGreaterThan(0.95);
  });

  it("detects the payload blind (CRC) in a marked picture and matches it among candidates", () => {
    const w = 360;
    const h = 640;
    const img = resample(marked(0x3fa85f64, w, h, 1), w, 0, 0, w, h, DETECT_SIZE);
    const d = detect(img, DETECT_SIZE, DETECT_SIZE);
    expect(d.found).toBe(true);
    expect(d.payload).toBe(0x3fa85f64);
    expect(matchZ(d.z, 0x3fa85f64)).toBeGreaterThan(MATCH_Z);
    expect(identify(d, [1, 2, 0x3fa85f64, 3])?.payload).toBe(0x3fa85f64);
  });

  it("finds it after a 10 % crop at an offset, by searching crop hypotheses", () => {
    const w = 360;
    const h = 640;
    const img = marked(0x0badcafe, w, h, 2);
    const crop = resample(img, w, 20, 30, w * 0.9, h * 0.9, DETECT_SIZE);
    const d = detect(crop, DETECT_SIZE, DETECT_SIZE);
    expect(identify(d, [0x0badcafe, 0x12345678])?.payload).toBe(0x0badcafe);
    expect(d.crop.w).toBeCloseTo(0.9, 1);
    expect(d.crop.x).toBeCloseTo(20 / w, 1);
  });

  it("names nothing in an unmarked picture, against many candidates", () => {
    const img = resample(scene(360, 640, 3), 360, 0, 0, 360, 640, DETECT_SIZE);
    const d = detect(img, DETECT_SIZE, DETECT_SIZE);
    const candidates = Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 0);
    expect(d.found).toBe(false);
    expect(identify(d, candidates)).toBeNull();
  });
});
