import type { Canvas } from "@napi-rs/canvas";
import type { Rng } from "../prng.ts";
import { css, mix, type RGB, saturate } from "./color.ts";

/**
 * The paint-stroke engine of the painted styles (Van Gogh, oil): covers an already painted layer
 * with strokes that each take the colour under their start and follow a flow field, so a sky
 * swirls and a field ripples in strokes instead of gradients. Runs once per static layer.
 */
export interface BrushOptions {
  /** Distance between stroke starts, px. */
  spacing: number;
  /** Stroke length, px. */
  length: number;
  /** Stroke width, px. */
  width: number;
  /** Flow direction at a layer pixel, radians. */
  angle: (x: number, y: number) => number;
  /** Lightness jitter per stroke, 0..1 (thick, uneven dabs). */
  jitter: number;
  /** Opacity of a stroke. */
  alpha: number;
  /** Saturation factor on the sampled colour. */
  saturation: number;
  /** Draw a thin lighter ridge along the stroke (impasto). */
  ridge: boolean;
  /** Recolour a sampled colour (the painter's palette); identity if absent. */
  recolor?: (c: RGB) => RGB;
  /** Skip pixels more transparent than this (0..255). */
  minAlpha?: number;
  r: Rng;
}

export function brushStrokes(canvas: Canvas, o: BrushOptions): void {
  const ctx = canvas.getContext("2d");
  const { width: w, height: h } = canvas;
  const src = ctx.getImageData(0, 0, w, h).data;
  const minAlpha = o.minAlpha ?? 110;
  ctx.save();
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  const steps = 3;
  for (let gy = 0; gy < h; gy += o.spacing) {
    for (let gx = 0; gx < w; gx += o.spacing) {
      const x0 = gx + o.r.next() * o.spacing;
      const y0 = gy + o.r.next() * o.spacing;
      const xi = Math.min(w - 1, Math.max(0, Math.floor(x0)));
      const yi = Math.min(h - 1, Math.max(0, Math.floor(y0)));
      const j = (yi * w + xi) * 4;
      const a = src[j + 3]!;
      if (a < minAlpha) continue;
      let c: RGB = [src[j]!, src[j + 1]!, src[j + 2]!];
      if (o.recolor) c = o.recolor(c);
      c = saturate(c, o.saturation);
      const jit = (o.r.next() - 0.5) * 2 * o.jitter;
      c = jit > 0 ? mix(c, [255, 250, 235], jit) : mix(c, [10, 10, 30], -jit);
      // Follow the field: the stroke bends as the flow turns.
      const len = o.length * (0.7 + 0.6 * o.r.next());
      const pts: [number, number][] = [[x0, y0]];
      let x = x0;
      let y = y0;
      for (let s = 0; s < steps; s++) {
        const ang = o.angle(x, y);
        x += (Math.cos(ang) * len) / steps;
        y += (Math.sin(ang) * len) / steps;
        pts.push([x, y]);
      }
      const width = o.width * (0.75 + 0.5 * o.r.next());
      ctx.strokeStyle = css(c, o.alpha * (a / 255));
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.moveTo(pts[0]![0], pts[0]![1]);
      ctx.quadraticCurveTo(
        pts[1]![0],
        pts[1]![1],
        (pts[1]![0] + pts[2]![0]) / 2,
        (pts[1]![1] + pts[2]![1]) / 2,
      );
      ctx.quadraticCurveTo(pts[2]![0], pts[2]![1], pts[3]![0], pts[3]![1]);
      ctx.stroke();
      if (o.ridge && o.r.next() < 0.45) {
        ctx.strokeStyle = css(mix(c, [255, 255, 240], 0.35), 0.55 * o.alpha);
        ctx.lineWidth = Math.max(1, width * 0.22);
        ctx.beginPath();
        const off = width * 0.25;
        ctx.moveTo(pts[0]![0] - off, pts[0]![1] - off);
        ctx.quadraticCurveTo(
          pts[1]![0] - off,
          pts[1]![1] - off,
          pts[2]![0] - off,
          pts[2]![1] - off,
        );
        ctx.stroke();
      }
    }
  }
  ctx.restore();
}

/**
 * A swirling flow field: vortices at `centres` (the Starry Night turbulence) over a base flow of
 * `base` radians; each vortex's pull fades with distance `radius`.
 */
export function swirlField(
  centres: { x: number; y: number; radius: number; spin: 1 | -1 }[],
  base: (x: number, y: number) => number,
): (x: number, y: number) => number {
  return (x, y) => {
    let vx = Math.cos(base(x, y));
    let vy = Math.sin(base(x, y));
    for (const c of centres) {
      const dx = x - c.x;
      const dy = y - c.y;
      const d = Math.hypot(dx, dy);
      const k = Math.exp(-((d / c.radius) ** 2)) * 3;
      // Tangent to the circle around the centre.
      vx += (-dy / (d + 1e-3)) * k * c.spin;
      vy += (dx / (d + 1e-3)) * k * c.spin;
    }
    return Math.atan2(vy, vx);
  };
}
