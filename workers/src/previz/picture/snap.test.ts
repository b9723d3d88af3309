import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import { GLIDE_PHASES, glidePlace, type Layer } from "./layers.ts";
import { PictureRenderer } from "./renderer.ts";

function renderer(prompt: string, seconds = 2) {
  const spec = understand({ text: prompt, sections: {} });
  const tl = buildTimeline(spec, { durationSeconds: seconds, fps: 30, seed: 3 });
  const r = new PictureRenderer({ spec, timeline: tl, width: 360, height: 640, mouth: () => 0 });
  const layers = (r as unknown as { layers: { back: Layer[]; front: Layer[] } }).layers;
  return { r, tl, layers: [...layers.back, ...layers.front] };
}

/**
 * PSNR (dB) of two 360-wide RGBA frames' 8×8 block means: a shift by a fraction of a pixel moves
 * texture within a block, not the block's colour, so this measures the picture, not the phase.
 */
function blockPsnr(a: Uint8Array, b: Uint8Array, w = 360): number {
  const h = a.length / 4 / w;
  let se = 0;
  let n = 0;
  for (let by = 0; by + 8 <= h; by += 8)
    for (let bx = 0; bx + 8 <= w; bx += 8)
      for (let c = 0; c < 3; c++) {
        let sa = 0;
        let sb = 0;
        for (let y = by; y < by + 8; y++)
          for (let x = bx; x < bx + 8; x++) {
            sa += a[(y * w + x) * 4 + c]!;
            sb += b[(y * w + x) * 4 + c]!;
          }
        se += ((sa - sb) / 64) ** 2;
        n++;
      }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

describe("still layers are blitted at whole pixels", () => {
  test("a still shot's sky is blitted on every frame; a panned shot's near layers never", () => {
    const still = renderer("a lighthouse on a rocky coast at sunset");
    expect(still.layers[0]!.snap?.at.every(Boolean)).toBe(true);
    const pan = renderer("a red car on a desert road, the camera pans right fast");
    // The ground and the foreground travel several pixels a frame: always resampled.
    for (const l of pan.layers.filter((l) => l.p >= 0.9)) expect(l.snap).toBeUndefined();
  });

  test.each([
    "a lighthouse on a rocky coast at sunset",
    "a sailboat on a lake at dawn, Van Gogh style",
    "a fox in a snowy forest, pixel art",
  ])("a blitted frame is the resampled one within half a pixel: %s", (prompt) => {
    const { r, tl, layers } = renderer(prompt);
    const f = Math.floor(tl.frames / 2);
    const snapped = Buffer.from(r.draw(f).data());
    expect(layers.some((l) => l.snap?.at[f])).toBe(true);
    for (const l of layers) l.snap = undefined;
    const exact = r.draw(f).data();
    // Not the same bytes (a test that cannot fail compares nothing)...
    expect(Buffer.compare(snapped, exact)).not.toBe(0);
    // ...but the same picture: the sky moved by less than a pixel, nothing else changed.
    expect(blockPsnr(snapped, exact)).toBeGreaterThan(40);
  });
});

/** PSNR (dB) of two RGBA frames, pixel by pixel (colour channels). */
function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    se += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / n));
}

describe("gliding layers are blitted from sub-pixel phases", () => {
  test("the nearest phase is never more than half a phase from the exact position", () => {
    for (let x = -40; x <= 40; x += 0.037) {
      const { x: ix, phase } = glidePlace(x, GLIDE_PHASES);
      expect(Number.isInteger(ix)).toBe(true);
      expect(phase).toBeGreaterThanOrEqual(0);
      expect(phase).toBeLessThan(GLIDE_PHASES);
      expect(Math.abs(ix + phase / GLIDE_PHASES - x)).toBeLessThanOrEqual(
        0.5 / GLIDE_PHASES + 1e-9,
      );
    }
  });

  test.each([
    "a red car on a desert road, the camera pans right fast",
    "A golden retriever puppy playing in a sunlit garden, cinematic camera following the action",
  ])("a travelling shot glides its moving layers, and looks as resampled: %s", (prompt) => {
    const { r, tl, layers } = renderer(prompt);
    const moving = layers.filter((l) => !l.snap && l.canvas.width > 1);
    expect(moving.length).toBeGreaterThan(0);
    for (const l of moving) expect(l.glide?.at.every(Boolean)).toBe(true);
    const f = Math.floor(tl.frames / 2) + 1;
    const glided = Buffer.from(r.draw(f).data());
    const kept = layers.map((l) => l.glide);
    for (const l of layers) l.glide = undefined;
    const exact = r.draw(f).data();
    layers.forEach((l, i) => {
      l.glide = kept[i];
    });
    expect(Buffer.compare(glided, exact)).not.toBe(0);
    // A quarter-pixel phase of the same bilinear resampling: the picture, to within rounding.
    expect(psnr(glided, exact)).toBeGreaterThan(50);
  });

  test("a push-in changes the zoom every frame: its layers are resampled, never glided", () => {
    const { layers } = renderer("a lighthouse on a rocky coast, slow push in", 4);
    for (const l of layers.filter((l) => l.p >= 0.25)) expect(l.glide).toBeUndefined();
  });
});
