import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { Rng } from "../prng.ts";
import type { Style } from "../understand.ts";
import { type Ctx, hex, mixRGB, type RGB } from "./color.ts";
import type { Scene } from "./scene.ts";

/**
 * The look of a style: the grader every painted colour goes through, the screen-space finish
 * (vignette + grain), and the per-frame grade. Style treatments plug in here (see `StyleTreatment`).
 */

/** Style grading applied to every colour the scene uses. */
export function grader(style: Style): (c: RGB | string, alpha?: number) => string {
  const cache = new Map<string, string>();
  return (c, alpha = 1) => {
    const rgb = typeof c === "string" ? hex(c) : c;
    const key = `${rgb.join(",")}|${alpha}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let [r, g, b] = rgb;
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    switch (style) {
      case "noir": {
        const v = Math.min(255, Math.max(0, (l - 128) * 1.35 + 120));
        [r, g, b] = [v, v, v * 1.02];
        break;
      }
      case "pastel-symmetric":
        [r, g, b] = mixRGB([r, g, b], [255, 228, 225], 0.35);
        break;
      case "vintage":
        [r, g, b] = mixRGB([r, g, b], [l * 1.07 + 12, l * 0.95 + 6, l * 0.78], 0.55);
        break;
      case "documentary":
        [r, g, b] = mixRGB([r, g, b], [l, l, l], 0.25);
        break;
      case "anime": {
        const s = 1.3;
        [r, g, b] = [l + (r - l) * s, l + (g - l) * s, l + (b - l) * s];
        break;
      }
      case "neon":
        [r, g, b] = [r * 0.9 + 10, g * 0.8, b * 1.1 + 15];
        break;
      case "watercolor":
        [r, g, b] = mixRGB([r, g, b], [250, 245, 235], 0.2);
        break;
      default:
        // cinematic: teal shadows, warm highlights
        [r, g, b] = l < 110 ? [r * 0.92, g * 1.0, b * 1.08] : [r * 1.04, g * 1.0, b * 0.94];
    }
    const clamp = (x: number) => Math.round(Math.min(255, Math.max(0, x)));
    const out =
      alpha >= 1
        ? `rgb(${clamp(r)},${clamp(g)},${clamp(b)})`
        : `rgba(${clamp(r)},${clamp(g)},${clamp(b)},${alpha})`;
    cache.set(key, out);
    return out;
  };
}

/**
 * The screen-space finish, pre-rendered: a vignette with film grain on top, as a few variants that
 * alternate per frame. One plain drawImage a frame instead of two full-frame blends.
 */
export function makeFinish(W: number, H: number, vignette: number, grain: number, r: Rng): Canvas {
  const c = createCanvas(W, H);
  const ctx = c.getContext("2d");
  const grad = ctx.createRadialGradient(
    W / 2,
    H / 2,
    Math.min(W, H) * 0.35,
    W / 2,
    H / 2,
    Math.hypot(W, H) * 0.6,
  );
  grad.addColorStop(0, "rgba(0,0,0,0)");
  grad.addColorStop(1, `rgba(0,0,0,${vignette})`);
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, W, H);
  if (grain > 0) {
    const img = ctx.getImageData(0, 0, W, H);
    const d = img.data;
    for (let i = 0; i < W * H; i++) {
      // A dark or light speck over the vignette pixel ("over" compositing, straight alpha).
      const n = r.next();
      const ga = grain * Math.abs(n - 0.5) * 2;
      const v = n < 0.5 ? 0 : 255;
      const a0 = d[i * 4 + 3]! / 255;
      const a = ga + a0 * (1 - ga);
      const c0 = d[i * 4]!;
      const mixed = a > 0 ? (v * ga + c0 * a0 * (1 - ga)) / a : 0;
      d[i * 4] = mixed;
      d[i * 4 + 1] = mixed;
      d[i * 4 + 2] = mixed;
      d[i * 4 + 3] = Math.round(a * 255);
    }
    ctx.putImageData(img, 0, 0);
  }
  return c;
}

// ------------------------------------------------------------------ the renderer

/**
 * A style's picture treatment (the seam where art styles plug in): `layer` runs once on each static
 * layer right after it is painted (brush strokes, posterising, paper texture — free per frame);
 * `frame` runs on every finished frame before the caption (only what must move: keep it cheap).
 */
export interface StyleTreatment {
  layer?(ctx: Ctx, w: number, h: number, parallax: number): void;
  frame?(ctx: Ctx, W: number, H: number, frame: number): void;
}

/** The treatments by style; a style without one is the grader's colours alone. */
export const styleTreatments: Partial<Record<Style, StyleTreatment>> = {};

export function drawGrade(sc: Scene, frame: number) {
  const { ctx, world, P } = sc;
  if (P.spec.lighting.kind === "neon") {
    // Pulsing neon spill from both sides.
    ctx.globalCompositeOperation = "lighter";
    const sec = frame / sc.o.timeline.fps;
    const a = 0.1 + 0.04 * Math.sin(sec * 5) * Math.sin(sec * 1.7);
    const left = ctx.createLinearGradient(0, 0, world.W * 0.5, 0);
    left.addColorStop(0, `rgba(255,40,180,${a.toFixed(3)})`);
    left.addColorStop(1, "rgba(255,40,180,0)");
    ctx.fillStyle = left;
    ctx.fillRect(0, 0, world.W, world.H);
    const right = ctx.createLinearGradient(world.W, 0, world.W * 0.5, 0);
    right.addColorStop(0, `rgba(40,200,255,${a.toFixed(3)})`);
    right.addColorStop(1, "rgba(40,200,255,0)");
    ctx.fillStyle = right;
    ctx.fillRect(0, 0, world.W, world.H);
  }
  ctx.globalCompositeOperation = "source-over";
  ctx.drawImage(sc.finish[frame % sc.finish.length]!, 0, 0);
  if (P.spec.style === "cinematic" && world.W > world.H) {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, world.W, world.H * 0.06);
    ctx.fillRect(0, world.H * 0.94, world.W, world.H * 0.06);
  }
}
