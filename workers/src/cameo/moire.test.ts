import { describe, expect, it } from "vitest";
import { gratingScore, moireScore, PATCH } from "./moire.ts";

/** A smooth face-like patch: a lit oval with soft shading and a little noise (seeded). */
function smooth(seed = 1): Float64Array {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const g = new Float64Array(PATCH * PATCH);
  for (let y = 0; y < PATCH; y++)
    for (let x = 0; x < PATCH; x++) {
      const d = Math.hypot((x - 32) / 26, (y - 32) / 30);
      g[y * PATCH + x] = 160 - 60 * d * d + 8 * Math.sin(x / 5) + (rnd() - 0.5) * 12;
    }
  return g;
}

describe("the screen-pattern (moiré) score", () => {
  it("is low for a smooth face and high once a fine screen grating lies over it", () => {
    const face = smooth();
    const screen = face.map(
      (v, i) => v * (0.92 + 0.08 * Math.sin((i % PATCH) * 1.8 + Math.floor(i / PATCH) * 0.45)),
    );
    expect(gratingScore(face)).toBeLessThan(24);
    expect(gratingScore(screen)).toBeGreaterThan(24 * 1.5);
  });

  it("reads the patch at the centre of the face box, and gives 0 for a face too small to judge", () => {
    const W = 160;
    const H = 120;
    const rgb = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const v = 120 + 40 * Math.sin(x * 1.8 + y * 0.45);
        rgb.fill(Math.round(v), (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    expect(moireScore(rgb, W, H, [40, 20, 80, 80])).toBeGreaterThan(36);
    expect(moireScore(rgb, W, H, [40, 20, 30, 30])).toBe(0);
  });
});
