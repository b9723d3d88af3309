import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { Rng } from "../prng.ts";
import { clamp255, nearest, type RGB } from "./color.ts";

/**
 * Pixel operations the style treatments run ONCE on a static layer (or on a small canvas per
 * frame): outlines from luminance/alpha edges, palette quantizing, cel bands, paper textures.
 * All work on RGBA bytes in place, row-major, as `getImageData` gives them.
 */

export interface Pixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Edge strength 0..1 per pixel (Sobel on luma, plus the alpha edge where a shape ends). */
export function edgeMap(px: Pixels): Float32Array {
  const { data, width: w, height: h } = px;
  const lum = new Float32Array(w * h);
  const alpha = new Float32Array(w * h);
  for (let i = 0, j = 0; i < lum.length; i++, j += 4) {
    const a = data[j + 3]! / 255;
    alpha[i] = a;
    lum[i] = ((0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!) / 255) * a;
  }
  const out = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const gx =
        lum[i - w + 1]! +
        2 * lum[i + 1]! +
        lum[i + w + 1]! -
        lum[i - w - 1]! -
        2 * lum[i - 1]! -
        lum[i + w - 1]!;
      const gy =
        lum[i + w - 1]! +
        2 * lum[i + w]! +
        lum[i + w + 1]! -
        lum[i - w - 1]! -
        2 * lum[i - w]! -
        lum[i - w + 1]!;
      const ax = alpha[i + 1]! - alpha[i - 1]!;
      const ay = alpha[i + w]! - alpha[i - w]!;
      out[i] = Math.min(1, Math.max(Math.hypot(gx, gy) * 0.5, Math.hypot(ax, ay) * 0.9));
    }
  }
  return out;
}

/**
 * Paint dark outlines where edges are stronger than `threshold`, `thickness` pixels wide (a max
 * filter). Transparent pixels next to a shape become ink too, so shapes get a closed contour.
 */
export function inkOutlines(
  px: Pixels,
  ink: RGB,
  threshold: number,
  thickness: number,
  strength = 1,
): void {
  const { data, width: w, height: h } = px;
  const e = edgeMap(px);
  const rad = Math.max(0, Math.round((thickness - 1) / 2));
  const mask = new Float32Array(w * h);
  for (let i = 0; i < e.length; i++) {
    const v = (e[i]! - threshold) / Math.max(0.01, threshold);
    mask[i] = v > 0 ? Math.min(1, v) : 0;
  }
  let grown = mask;
  if (rad > 0) {
    // Separable max filter: rows then columns.
    const tmp = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let m = 0;
        for (let k = -rad; k <= rad; k++) {
          const xx = x + k;
          if (xx >= 0 && xx < w) m = Math.max(m, mask[y * w + xx]!);
        }
        tmp[y * w + x] = m;
      }
    grown = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let m = 0;
        for (let k = -rad; k <= rad; k++) {
          const yy = y + k;
          if (yy >= 0 && yy < h) m = Math.max(m, tmp[yy * w + x]!);
        }
        grown[y * w + x] = m;
      }
  }
  for (let i = 0, j = 0; i < grown.length; i++, j += 4) {
    const a = grown[i]! * strength;
    if (a <= 0) continue;
    const a0 = data[j + 3]! / 255;
    const outA = a + a0 * (1 - a);
    for (let c = 0; c < 3; c++)
      data[j + c] = clamp255((ink[c]! * a + data[j + c]! * a0 * (1 - a)) / Math.max(1e-6, outA));
    data[j + 3] = clamp255(outA * 255);
  }
}

/** Snap every opaque pixel to the nearest colour of `palette` (a limited woodblock/pixel palette). */
export function quantize(px: Pixels, palette: readonly RGB[]): void {
  const { data } = px;
  const cache = new Map<number, RGB>();
  for (let j = 0; j < data.length; j += 4) {
    if (data[j + 3]! < 8) continue;
    // Cache on 5 bits a channel: a few thousand keys cover a whole layer.
    const key = ((data[j]! >> 3) << 10) | ((data[j + 1]! >> 3) << 5) | (data[j + 2]! >> 3);
    let c = cache.get(key);
    if (!c) {
      c = nearest([data[j]!, data[j + 1]!, data[j + 2]!], palette);
      cache.set(key, c);
    }
    data[j] = c[0];
    data[j + 1] = c[1];
    data[j + 2] = c[2];
  }
}

/** Cel shading: lightness in `bands` flat steps, hue kept (each channel scaled by the same factor). */
export function celBands(px: Pixels, bands: number): void {
  const { data } = px;
  for (let j = 0; j < data.length; j += 4) {
    if (data[j + 3]! < 8) continue;
    const r = data[j]!;
    const g = data[j + 1]!;
    const b = data[j + 2]!;
    const l = Math.max(1, 0.299 * r + 0.587 * g + 0.114 * b);
    const q = (Math.min(bands - 1, Math.floor((l / 256) * bands)) + 0.6) * (256 / bands);
    const k = q / l;
    data[j] = clamp255(r * k);
    data[j + 1] = clamp255(g * k);
    data[j + 2] = clamp255(b * k);
  }
}

/** Each channel in `levels` steps (the pixel-art palette of a small frame). */
export function posterize(px: Pixels, levels: number): void {
  const { data } = px;
  const step = 255 / (levels - 1);
  const lut = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.round(Math.round(v / step) * step);
  for (let j = 0; j < data.length; j += 4) {
    data[j] = lut[data[j]!]!;
    data[j + 1] = lut[data[j + 1]!]!;
    data[j + 2] = lut[data[j + 2]!]!;
  }
}

/** Smooth value noise in [0, 1], seeded: `noise(x, y)` with features about 1 unit wide. */
export function valueNoise(r: Rng): (x: number, y: number) => number {
  const N = 256;
  const perm = new Uint8Array(N * 2);
  const vals = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    perm[i] = i;
    vals[i] = r.next();
  }
  for (let i = N - 1; i > 0; i--) {
    const k = Math.floor(r.next() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[k]!;
    perm[k] = t;
  }
  for (let i = 0; i < N; i++) perm[N + i] = perm[i]!;
  const v = (x: number, y: number) => vals[perm[(perm[x & 255]! + (y & 255)) & 511]!]!;
  const fade = (t: number) => t * t * (3 - 2 * t);
  return (x, y) => {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    const u = fade(x - xi);
    const w = fade(y - yi);
    const a = v(xi, yi) + (v(xi + 1, yi) - v(xi, yi)) * u;
    const b = v(xi, yi + 1) + (v(xi + 1, yi + 1) - v(xi, yi + 1)) * u;
    return a + (b - a) * w;
  };
}

/**
 * A full-frame texture canvas, painted once: `kind` "paper" (cold-press grain and fibres, for
 * watercolour/ukiyo-e/sketch), "canvas" (a woven linen, for oil), "scanlines" (CRT rows, for
 * cyberpunk). Drawn per frame with a blend mode (one drawImage).
 */
export function texture(
  kind: "paper" | "canvas" | "scanlines",
  W: number,
  H: number,
  r: Rng,
  tone: RGB = [255, 255, 255],
): Canvas {
  const c = createCanvas(W, H);
  const ctx = c.getContext("2d");
  if (kind === "scanlines") {
    const pitch = Math.max(3, Math.round(H / 360));
    ctx.fillStyle = "rgba(0,0,0,0.28)";
    for (let y = 0; y < H; y += pitch) ctx.fillRect(0, y, W, Math.max(1, Math.floor(pitch / 2)));
    return c;
  }
  const img = ctx.createImageData(W, H);
  const d = img.data;
  const n = valueNoise(r);
  const scale = W / 720;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const j = (y * W + x) * 4;
      let v: number;
      if (kind === "paper") {
        const grain =
          n(x / (3 * scale), y / (3 * scale)) * 0.6 + n(x / (11 * scale), y / (11 * scale)) * 0.4;
        v = 1 - 0.16 * grain - 0.05 * n(x / (60 * scale), y / (60 * scale));
      } else {
        // Linen: over/under threads, a few px a thread.
        const p = 3 * scale;
        const wx = Math.sin((x / p) * Math.PI) ** 2;
        const wy = Math.sin((y / p) * Math.PI) ** 2;
        const over = (Math.floor(x / p) + Math.floor(y / p)) % 2 === 0 ? wx : wy;
        v = 0.86 + 0.1 * over + 0.04 * n(x / (2 * scale), y / (40 * scale));
      }
      d[j] = clamp255(tone[0] * v);
      d[j + 1] = clamp255(tone[1] * v);
      d[j + 2] = clamp255(tone[2] * v);
      d[j + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return c;
}

/** Soften a canvas in place (a blurred redraw): fine texture stops reading as edges. */
export function soften(canvas: Canvas, px: number): void {
  const copy = createCanvas(canvas.width, canvas.height);
  const c = copy.getContext("2d");
  c.filter = `blur(${px.toFixed(1)}px)`;
  c.drawImage(canvas, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(copy, 0, 0);
}
