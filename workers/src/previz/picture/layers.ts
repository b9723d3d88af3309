import { type Canvas, createCanvas } from "@napi-rs/canvas";
import type { Cam } from "./camera.ts";
import type { Ctx, RGB } from "./color.ts";

/**
 * Static layers: painted once into canvases big enough for the whole camera path, then composited
 * each frame under a per-layer camera transform (parallax).
 */

export interface Layer {
  canvas: Canvas;
  /** Parallax: 0 = at infinity (never moves), 1 = the subject's plane, > 1 in front of it. */
  p: number;
  /** World origin inside the layer canvas. */
  ox: number;
  oy: number;
  alpha?: number;
  composite?: GlobalCompositeOperation;
  /**
   * The first row (layer canvas pixels) of the layer's opaque floor: every pixel of it and of
   * every row below is fully opaque across the whole width. Undefined when there is none.
   */
  opaqueTop?: number;
  /** The layer pre-scaled once, for the frames it can be blitted at whole pixels (`withSnap`). */
  snap?: Snap;
  /** The layer pre-scaled at quarter-pixel phases, for the frames it glides sideways (`withGlide`). */
  glide?: Glide;
}

/**
 * A nearly still layer (the sky, mostly) as a canvas pre-scaled once to its shot zoom, and per
 * frame the whole-pixel screen offset to blit it at, where that is within 0.6 px of the exact
 * camera transform (0.1 px of zoom error, rounding) and the layer creeps at most 0.1 px a frame
 * (so the whole-pixel steps are ten or more frames apart). Undefined frames use the transform.
 */
export interface Snap {
  canvas: Canvas;
  at: ({ x: number; y: number } | undefined)[];
}

/**
 * A layer that travels sideways at a steady zoom and height (a tracking shot, a pan, an orbit):
 * pre-scaled once at GLIDE_PHASES horizontal sub-pixel offsets, so each frame blits the phase
 * nearest its exact position at whole pixels instead of resampling the layer: the position is off
 * by at most 1/(2·GLIDE_PHASES) px, so nothing steps, and a blit costs a seventh of a bilinear
 * pass (measured on a 720x1280 frame: 0.34 ms against 2.3 ms).
 */
export interface Glide {
  phases: Canvas[];
  at: ({ x: number; y: number; phase: number } | undefined)[];
}

export type GlobalCompositeOperation =
  | "source-over"
  | "lighter"
  | "screen"
  | "multiply"
  | "overlay"
  | "soft-light";

/** World geometry shared by the layers and the subjects (world units = internal pixels at zoom 1). */
export interface World {
  W: number;
  H: number;
  horizon: number;
  ground: number;
  figure: number;
}

export function makeLayer(
  world: World,
  cams: Cam[],
  p: number,
  paint: (ctx: Ctx, w: number, h: number, ox: number, oy: number) => void,
  blurPx = 0,
  wash?: { rgb: RGB; alpha: number },
  treat?: (ctx: Ctx, w: number, h: number, parallax: number, ox: number, oy: number) => void,
): Layer {
  const { W, H } = world;
  const zs = cams.map((c) => layerZoom(c.zoom, p));
  const zMin = Math.min(...zs);
  const xs = cams.map((c) => layerShiftX(c, p, world));
  const ys = cams.map((c) => c.y * Math.min(p, 1.2));
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const orbitSpan = p < 1 ? W * 0.5 : W * 0.2;
  const w = Math.ceil(
    (W * 1.15) / zMin + spanX + (cams.some((c) => c.orbit !== 0) ? orbitSpan : 0) + W * 0.1,
  );
  const h = Math.ceil((H * 1.15) / zMin + spanY + H * 0.12);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  const ox = w / 2 + cx;
  const oy = h / 2 + cy;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  paint(ctx, w, h, ox, oy);
  if (wash && wash.alpha > 0) {
    // The lighting's colour wash is baked into the static layer once, not blended every frame.
    ctx.globalCompositeOperation = "source-atop";
    ctx.globalAlpha = 1;
    ctx.fillStyle = `rgba(${wash.rgb.map(Math.round).join(",")},${(wash.alpha * 0.8).toFixed(3)})`;
    ctx.fillRect(0, 0, w, h);
    ctx.globalCompositeOperation = "source-over";
  }
  // The style's treatment of a static layer happens here, once, before the depth-of-field blur.
  treat?.(ctx, w, h, p, ox, oy);
  if (blurPx > 0.5) {
    const blurred = createCanvas(w, h);
    const bctx = blurred.getContext("2d");
    bctx.filter = `blur(${blurPx.toFixed(1)}px)`;
    bctx.drawImage(canvas, 0, 0);
    return withGlide(withSnap(cropped({ canvas: blurred, p, ox, oy }), cams, world), cams, world);
  }
  return withGlide(withSnap(cropped({ canvas, p, ox, oy }), cams, world), cams, world);
}

/** The layer's exact camera transform at `c`: zoom and the world point at the frame centre. */
export function layerTransform(
  c: Cam,
  p: number,
  world: World,
): { z: number; sx: number; sy: number } {
  const z = layerZoom(c.zoom, p);
  const focusY =
    (world.ground - world.figure * 0.62) * Math.min(1, (c.zoom - 1) / 1.4) * Math.min(1, p);
  return { z, sx: layerShiftX(c, p, world), sy: c.y * Math.min(p, 1.2) + Math.max(0, focusY) };
}

/** Most frames' bilinear resampling of a still layer is a whole-frame pass that a blit replaces. */
export const SNAP_ZOOM_ERROR_PX = 0.1;
export const SNAP_SPEED_PX = 0.1;
const SNAP_MIN_FRAMES = 15;
export const GLIDE_PHASES = 4;
/**
 * Pixels (of all glide phases together, every layer of one picture) the phases may hold: four
 * phases of the three middle layers of a 720x1280 tracking shot are about 17 million (68 MB).
 * A layer that would pass it is resampled as before.
 */
const GLIDE_BUDGET_PX = 24_000_000;

/** `layer` with its `snap`, when at least a few frames can blit it (see `Snap`). */
/**
 * The layer's camera transform at every frame, its zoom at mid-shot (`zc`, what a pre-scaled copy
 * is scaled by) and the screen position of its canvas's origin at each frame's exact shift.
 */
function screenTrack(layer: Layer, cams: Cam[], world: World) {
  const { W, H } = world;
  const ts = cams.map((c) => layerTransform(c, layer.p, world));
  const zc = ts[Math.floor(cams.length / 2)]!.z;
  const X = ts.map((t) => W / 2 - zc * (layer.ox + t.sx));
  const Y = ts.map((t) => H / 2 - zc * (layer.oy + t.sy));
  return { ts, zc, X, Y };
}

export function withSnap(layer: Layer, cams: Cam[], world: World): Layer {
  const { W, H } = world;
  const n = cams.length;
  const { ts, zc, X, Y } = screenTrack(layer, cams, world);
  const still = (f: number, g: number) =>
    g < 0 ||
    g >= n ||
    (Math.abs(X[f]! - X[g]!) <= SNAP_SPEED_PX && Math.abs(Y[f]! - Y[g]!) <= SNAP_SPEED_PX);
  const at = ts.map((t, f) =>
    cams[f]!.rot === 0 &&
    Math.abs(t.z - zc) * (Math.max(W, H) / 2) <= SNAP_ZOOM_ERROR_PX &&
    still(f, f - 1) &&
    still(f, f + 1)
      ? { x: Math.round(X[f]!), y: Math.round(Y[f]!) }
      : undefined,
  );
  if (at.filter(Boolean).length < SNAP_MIN_FRAMES) return layer;
  const { width: w, height: h } = layer.canvas;
  const canvas = createCanvas(Math.max(1, Math.round(w * zc)), Math.max(1, Math.round(h * zc)));
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "low";
  ctx.drawImage(layer.canvas, 0, 0, w * zc, h * zc);
  // Rasterise the deferred drawing now, once, so no frame replays the resampling.
  ctx.getImageData(0, 0, 1, 1);
  return { ...layer, snap: { canvas, at } };
}

/** Glide phases' pixels allotted so far, per world (one picture). */
const glideSpent = new WeakMap<World, number>();

/**
 * `layer` with its `glide` (see `Glide`), for the frames that neither blit it still (`snap`) nor
 * change its zoom, height or turn; when at least SNAP_MIN_FRAMES frames can use it and the
 * picture's GLIDE_BUDGET_PX allows it.
 */
export function withGlide(layer: Layer, cams: Cam[], world: World): Layer {
  const { W, H } = world;
  const { ts, zc, X, Y } = screenTrack(layer, cams, world);
  const yc = Y[Math.floor(cams.length / 2)]!;
  const usable = (f: number) =>
    !layer.snap?.at[f] &&
    cams[f]!.rot === 0 &&
    Math.abs(ts[f]!.z - zc) * (Math.max(W, H) / 2) <= SNAP_ZOOM_ERROR_PX &&
    Math.abs(Y[f]! - yc) <= SNAP_ZOOM_ERROR_PX;
  const frames = ts.map((_, f) => usable(f));
  if (frames.filter(Boolean).length < SNAP_MIN_FRAMES) return layer;
  const { width: w, height: h } = layer.canvas;
  const pw = Math.ceil(w * zc) + 2;
  const ph = Math.ceil(h * zc) + 2;
  const cost = pw * ph * GLIDE_PHASES;
  const spent = glideSpent.get(world) ?? 0;
  if (spent + cost > GLIDE_BUDGET_PX) return layer;
  glideSpent.set(world, spent + cost);
  const iy = Math.floor(yc);
  const fy = yc - iy;
  const phases = Array.from({ length: GLIDE_PHASES }, (_, q) => {
    const canvas = createCanvas(pw, ph);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = "low";
    ctx.setTransform(zc, 0, 0, zc, q / GLIDE_PHASES, fy);
    ctx.drawImage(layer.canvas, 0, 0);
    ctx.getImageData(0, 0, 1, 1); // rasterise now, once
    return canvas;
  });
  const at = X.map((x, f) => {
    if (!frames[f]) return undefined;
    const placed = glidePlace(x, GLIDE_PHASES);
    return { x: placed.x, y: iy, phase: placed.phase };
  });
  return { ...layer, glide: { phases, at } };
}

/** The whole pixel and the phase (of `phases` per pixel) nearest the screen position `x`. */
export function glidePlace(x: number, phases: number): { x: number; phase: number } {
  let ix = Math.floor(x);
  let q = Math.round((x - ix) * phases);
  if (q === phases) {
    ix += 1;
    q = 0;
  }
  return { x: ix, phase: q };
}

/**
 * The layer cut to the box of its painted pixels (plus a transparent margin, so edges resample
 * the same): a band of hills or a strip of foreground then costs its own pixels to composite each
 * frame, not a whole frame of transparency. Measured once, when the layer is made.
 */
function cropped(layer: Layer): Layer {
  const { canvas } = layer;
  const { width: w, height: h } = canvas;
  const img = canvas.getContext("2d").getImageData(0, 0, w, h).data;
  // One 32-bit word a pixel; the alpha byte is the top one (little-endian RGBA).
  const px = new Uint32Array(img.buffer, img.byteOffset, w * h);
  let top = h;
  let bottom = -1;
  let left = w;
  let right = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    for (let x = 0; x < w; x++)
      if (px[row + x]! >>> 24 !== 0) {
        first = x;
        break;
      }
    if (first < 0) continue;
    let last = first;
    for (let x = w - 1; x > Math.max(first, right); x--)
      if (px[row + x]! >>> 24 !== 0) {
        last = x;
        break;
      }
    top = Math.min(top, y);
    bottom = y;
    left = Math.min(left, first);
    right = Math.max(right, last);
  }
  if (bottom < 0) return { ...layer, canvas: createCanvas(1, 1) };
  const floor = opaqueFloor(px, w, h);
  const m = 2;
  const x0 = Math.max(0, left - m);
  const y0 = Math.max(0, top - m);
  const x1 = Math.min(w, right + 1 + m);
  const y1 = Math.min(h, bottom + 1 + m);
  // Mostly painted already: keep it whole.
  if ((x1 - x0) * (y1 - y0) > 0.9 * w * h) return { ...layer, opaqueTop: floor };
  const out = createCanvas(x1 - x0, y1 - y0);
  out.getContext("2d").drawImage(canvas, -x0, -y0);
  return {
    ...layer,
    canvas: out,
    ox: layer.ox - x0,
    oy: layer.oy - y0,
    // A floor spans the whole width, so the crop kept every column (x0 = 0) and the bottom row.
    opaqueTop: floor === undefined || x0 !== 0 || x1 !== w || y1 !== h ? undefined : floor - y0,
  };
}

/** The first row from which every pixel down to the bottom is fully opaque, or undefined. */
function opaqueFloor(px: Uint32Array, w: number, h: number): number | undefined {
  let top = h;
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    let opaque = true;
    for (let x = 0; x < w; x++)
      if (px[row + x]! >>> 24 !== 255) {
        opaque = false;
        break;
      }
    if (!opaque) break;
    top = y;
  }
  return top < h ? top : undefined;
}

/**
 * The screen row from which `layer`, drawn under camera `c`, hides whatever was drawn before it:
 * its opaque floor covers the whole frame width from there down to the bottom. Everything drawn
 * earlier can be clipped above this row and the frame stays byte-identical: a pixel whose
 * bilinear footprint lies inside the floor samples only alpha-255 texels, so "source-over" writes
 * the layer's colour whatever was under it (the margin keeps the floor's top edge, where the
 * footprint reaches the semi-transparent rows above, drawn over the full scene). Undefined when the
 * layer hides nothing (no floor, a turned camera, an edge inside the frame, a blend or alpha).
 */
export function occludedFrom(layer: Layer, c: Cam, world: World): number | undefined {
  if (layer.opaqueTop === undefined || c.rot !== 0) return undefined;
  if (layer.alpha !== undefined || (layer.composite && layer.composite !== "source-over"))
    return undefined;
  const { W, H } = world;
  const z = layerZoom(c.zoom, layer.p);
  const focusY =
    (world.ground - world.figure * 0.62) * Math.min(1, (c.zoom - 1) / 1.4) * Math.min(1, layer.p);
  const sx = layerShiftX(c, layer.p, world);
  const sy = c.y * Math.min(layer.p, 1.2) + Math.max(0, focusY);
  // Screen position of the layer canvas's pixel edge (u, v), as applyCam + drawLayer place it.
  const X = (u: number) => W / 2 + z * (u - layer.ox - sx);
  const Y = (v: number) => H / 2 + z * (v - layer.oy - sy);
  const margin = 3;
  if (X(0) > -margin || X(layer.canvas.width) < W + margin) return undefined;
  if (Y(layer.canvas.height) < H + margin) return undefined;
  const from = Math.ceil(Y(layer.opaqueTop) + margin * Math.max(1, z));
  return from < H ? Math.max(0, from) : undefined;
}

/** Dolly/zoom: near layers grow more than far ones (the parallax of a moving camera). */
export function layerZoom(zoom: number, p: number): number {
  if (p <= 0.01) return 1 + (zoom - 1) * 0.05;
  return 1 + (zoom - 1) * Math.min(1.3, p) ** 1.4;
}

export function layerShiftX(c: Cam, p: number, world: World): number {
  // Orbit: the background slides against the subject, the foreground with it.
  return c.x * p + Math.sin(c.orbit) * world.W * (p < 1 ? -(1 - p) * 0.9 : (p - 1) * 2.5);
}

/** Set ctx to the layer's camera transform: world (0,0) at its screen position. */
export function applyCam(ctx: Ctx, c: Cam, p: number, world: World) {
  const { W, H } = world;
  // Zooming in frames the subject's upper body, so the focus point rises with the zoom.
  const { z, sx, sy } = layerTransform(c, p, world);
  ctx.translate(W / 2, H / 2);
  ctx.rotate(c.rot);
  ctx.scale(z, z);
  ctx.translate(-sx, -sy);
}

/** Screen box (whole pixels, inside the frame) of a world box of plane `p` under camera `c`. */
export function screenBox(
  c: Cam,
  p: number,
  world: World,
  b: { x0: number; y0: number; x1: number; y1: number },
  pad: number,
): { x: number; y: number; w: number; h: number } {
  const { W, H } = world;
  const { z, sx, sy } = layerTransform(c, p, world);
  const cos = Math.cos(c.rot);
  const sin = Math.sin(c.rot);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [wx, wy] of [
    [b.x0, b.y0],
    [b.x1, b.y0],
    [b.x0, b.y1],
    [b.x1, b.y1],
  ] as const) {
    const dx = z * (wx - sx);
    const dy = z * (wy - sy);
    const X = W / 2 + dx * cos - dy * sin;
    const Y = H / 2 + dx * sin + dy * cos;
    x0 = Math.min(x0, X);
    y0 = Math.min(y0, Y);
    x1 = Math.max(x1, X);
    y1 = Math.max(y1, Y);
  }
  const l = Math.max(0, Math.floor(x0 - pad));
  const t = Math.max(0, Math.floor(y0 - pad));
  const r = Math.min(W, Math.ceil(x1 + pad));
  const btm = Math.min(H, Math.ceil(y1 + pad));
  return r > l && btm > t ? { x: l, y: t, w: r - l, h: btm - t } : { x: 0, y: 0, w: 0, h: 0 };
}

/**
 * Composite `layer` at `frame` (whose camera is `c`): a blit where it is still or glides (a
 * pre-scaled phase), else resampled.
 */
export function drawLayer(ctx: Ctx, layer: Layer, c: Cam, world: World, frame?: number) {
  ctx.save();
  if (layer.alpha !== undefined) ctx.globalAlpha = layer.alpha;
  if (layer.composite) ctx.globalCompositeOperation = layer.composite;
  const at = frame === undefined ? undefined : layer.snap?.at[frame];
  const glide = frame === undefined ? undefined : layer.glide?.at[frame];
  if (at) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer.snap!.canvas, at.x, at.y);
  } else if (glide) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer.glide!.phases[glide.phase]!, glide.x, glide.y);
  } else {
    applyCam(ctx, c, layer.p, world);
    ctx.drawImage(layer.canvas, -layer.ox, -layer.oy);
  }
  ctx.restore();
}

/**
 * The world point drawn at screen pixel (sx, sy) under camera `c` in the plane of parallax `p`
 * (the inverse of applyCam): a subject planned at a screen place is put at this world point.
 */
export function screenToWorld(
  c: Cam,
  p: number,
  world: World,
  sx: number,
  sy: number,
): { x: number; y: number; zoom: number } {
  const { W, H } = world;
  const z = layerZoom(c.zoom, p);
  const focusY =
    (world.ground - world.figure * 0.62) * Math.min(1, (c.zoom - 1) / 1.4) * Math.min(1, p);
  const dx = sx - W / 2;
  const dy = sy - H / 2;
  const cos = Math.cos(-c.rot);
  const sin = Math.sin(-c.rot);
  const rx = (dx * cos - dy * sin) / z;
  const ry = (dx * sin + dy * cos) / z;
  return {
    x: rx + layerShiftX(c, p, world),
    y: ry + c.y * Math.min(p, 1.2) + Math.max(0, focusY),
    zoom: z,
  };
}
