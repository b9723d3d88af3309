import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { ffmpegPath } from "./ffmpeg-path.server.ts";
import { rgbaToYuv420p, yuv420pSize } from "./yuv420.ts";

/** A frame with what previz draws: smooth gradients, flat shapes with hard edges, and grain. */
function testFrame(w: number, h: number): Uint8Array {
  const px = new Uint8Array(w * h * 4);
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 16) % 17;
  };
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const block = ((x >> 3) + (y >> 3)) % 4;
      const flat: [number, number, number][] = [
        [220, 40, 40],
        [40, 180, 60],
        [40, 80, 220],
        [250, 250, 250],
      ];
      const [r, g, b] = y < h / 2 ? [(x * 255) / w, (y * 255) / h, 128] : flat[block]!;
      px[i] = Math.min(255, Math.round(r) + noise());
      px[i + 1] = Math.min(255, Math.round(g) + noise());
      px[i + 2] = Math.min(255, Math.round(b) + noise());
      px[i + 3] = 255;
    }
  return px;
}

function ffmpegYuv(rgba: Uint8Array, w: number, h: number): Uint8Array {
  const r = spawnSync(
    ffmpegPath(),
    [
      ...["-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgba"],
      ...["-s", `${w}x${h}`, "-i", "pipe:0", "-pix_fmt", "yuv420p", "-f", "rawvideo", "pipe:1"],
    ],
    { input: rgba, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return new Uint8Array(r.stdout);
}

describe("rgbaToYuv420p", () => {
  const w = 96;
  const h = 64;
  const rgba = testFrame(w, h);
  const ours = rgbaToYuv420p(rgba, w, h, new Uint8Array(yuv420pSize(w, h)));
  const theirs = ffmpegYuv(rgba, w, h);

  test("gives ffmpeg's own luma, to the rounding of a level", () => {
    expect(theirs.length).toBe(yuv420pSize(w, h));
    let max = 0;
    for (let i = 0; i < w * h; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i]!));
    expect(max).toBeLessThanOrEqual(1);
  });

  test("gives ffmpeg's chroma: the same on average, within a few levels at hard colour edges", () => {
    const from = w * h;
    let sum = 0;
    let max = 0;
    for (let i = from; i < theirs.length; i++) {
      const d = Math.abs(ours[i]! - theirs[i]!);
      sum += d;
      max = Math.max(max, d);
    }
    // swscale filters chroma over a wider footprint than the 2×2 mean: only edges differ.
    expect(sum / (theirs.length - from)).toBeLessThan(1.5);
    expect(max).toBeLessThanOrEqual(16);
  });

  test("an unaligned view gives the same bytes as an aligned one", () => {
    const shifted = new Uint8Array(rgba.length + 1);
    shifted.set(rgba, 1);
    const unaligned = shifted.subarray(1);
    expect(unaligned.byteOffset % 4).not.toBe(0);
    const again = rgbaToYuv420p(unaligned, w, h, new Uint8Array(yuv420pSize(w, h)));
    expect(Buffer.compare(Buffer.from(again), Buffer.from(ours))).toBe(0);
  });

  test("refuses odd sizes, short frames and a short output, naming the problem", () => {
    const out = new Uint8Array(yuv420pSize(w, h));
    expect(() => rgbaToYuv420p(rgba, w - 1, h, out)).toThrow(/even width and height/);
    expect(() => rgbaToYuv420p(rgba.subarray(0, 100), w, h, out)).toThrow(/fewer than/);
    expect(() => rgbaToYuv420p(rgba, w, h, out.subarray(0, 10))).toThrow(/cannot hold/);
    expect(() => rgbaToYuv420p(rgba, 0, h, out)).toThrow(/at least 2x2/);
  });
});
