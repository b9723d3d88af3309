import type { Ctx, RGB } from "../picture/color.ts";
import type { Painter } from "../picture/scenery.ts";
import { mix } from "../styles/color.ts";

/**
 * Shapes the place painters share. Coordinates: a layer canvas with the world origin (the frame
 * centre at zoom 1) at (ox, oy); `P.world` has the horizon and ground lines in world units.
 * Every colour goes through `P.g` (the style's grade); `lit` darkens it at night or in dim light.
 */
export type { Ctx, Painter, RGB };

export function lit(P: Painter, c: RGB, k = 0.6): RGB {
  return P.pal.night ? mix(c, [10, 12, 28], k) : c;
}

export function fill(P: Painter, ctx: Ctx, c: RGB, alpha = 1) {
  ctx.fillStyle = P.g(lit(P, c), alpha);
}

/** A vertical gradient band from y0 to y1 (layer px), full width. */
export function band(
  P: Painter,
  ctx: Ctx,
  w: number,
  y0: number,
  y1: number,
  top: RGB,
  bottom: RGB,
) {
  const g = ctx.createLinearGradient(0, y0, 0, y1);
  g.addColorStop(0, P.g(lit(P, top)));
  g.addColorStop(1, P.g(lit(P, bottom)));
  ctx.fillStyle = g;
  ctx.fillRect(0, y0, w, y1 - y0);
}

/** A rolling ridge line at y with amplitude amp, filled downward by `depth`. */
export function ridge(
  P: Painter,
  ctx: Ctx,
  w: number,
  y: number,
  amp: number,
  c: RGB,
  waves = 3,
  depth = 2000,
) {
  const ph = [P.r.next() * 6, P.r.next() * 6];
  fill(P, ctx, c);
  ctx.beginPath();
  ctx.moveTo(0, y + depth);
  for (let x = 0; x <= w; x += 6) {
    const k = x / w;
    const v = Math.sin(k * waves * 3.1 + ph[0]!) * 0.65 + Math.sin(k * waves * 7.7 + ph[1]!) * 0.35;
    ctx.lineTo(x, y - amp * (0.5 + 0.5 * v));
  }
  ctx.lineTo(w, y + depth);
  ctx.closePath();
  ctx.fill();
}

/** A conifer: stacked triangles, snow-capped if asked. */
export function pine(
  P: Painter,
  ctx: Ctx,
  x: number,
  base: number,
  size: number,
  c: RGB,
  snow = false,
) {
  fill(P, ctx, [80, 55, 35]);
  ctx.fillRect(x - size * 0.04, base - size * 0.15, size * 0.08, size * 0.15);
  for (let i = 0; i < 3; i++) {
    const y = base - size * (0.12 + i * 0.25);
    const half = size * (0.32 - i * 0.08);
    fill(P, ctx, mix(c, [0, 0, 0], i * 0.08));
    ctx.beginPath();
    ctx.moveTo(x - half, y);
    ctx.lineTo(x, y - size * 0.38);
    ctx.lineTo(x + half, y);
    ctx.fill();
    if (snow) {
      fill(P, ctx, [245, 248, 255]);
      ctx.beginPath();
      ctx.moveTo(x - half * 0.45, y - size * 0.22);
      ctx.lineTo(x, y - size * 0.38);
      ctx.lineTo(x + half * 0.45, y - size * 0.22);
      ctx.fill();
    }
  }
}

/** A round tree (trunk and a crown of blobs). */
export function roundTree(P: Painter, ctx: Ctx, x: number, base: number, size: number, leaf: RGB) {
  fill(P, ctx, [90, 62, 40]);
  ctx.fillRect(x - size * 0.05, base - size * 0.5, size * 0.1, size * 0.5);
  for (let i = 0; i < 5; i++) {
    fill(P, ctx, mix(leaf, [255, 255, 200], P.r.range(0, 0.15)));
    ctx.beginPath();
    ctx.arc(
      x + P.r.range(-0.22, 0.22) * size,
      base - size * P.r.range(0.55, 0.85),
      size * P.r.range(0.18, 0.28),
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
}

/** Light wave crests: rows of shallow arcs, denser toward the horizon. */
export function waves(
  P: Painter,
  ctx: Ctx,
  w: number,
  y0: number,
  y1: number,
  c: RGB,
  alpha = 0.5,
) {
  ctx.strokeStyle = P.g(lit(P, c), alpha);
  for (let y = y0; y < y1; ) {
    const t = (y - y0) / Math.max(1, y1 - y0);
    const len = P.world.W * (0.03 + 0.09 * t);
    ctx.lineWidth = Math.max(1, P.world.W * (0.002 + 0.004 * t));
    ctx.beginPath();
    for (let x = P.r.range(-len, 0); x < w; x += len * P.r.range(1.6, 3)) {
      ctx.moveTo(x, y);
      ctx.quadraticCurveTo(x + len / 2, y - len * 0.18, x + len, y);
    }
    ctx.stroke();
    y += P.world.H * (0.008 + 0.03 * t);
  }
}

/** A box with a darker outline (furniture, buildings). */
export function box(P: Painter, ctx: Ctx, x: number, y: number, bw: number, bh: number, c: RGB) {
  fill(P, ctx, c);
  ctx.fillRect(x, y, bw, bh);
  ctx.strokeStyle = P.g(lit(P, mix(c, [0, 0, 0], 0.4)));
  ctx.lineWidth = Math.max(1, P.world.W * 0.003);
  ctx.strokeRect(x, y, bw, bh);
}
