/**
 * Stabilize's two vidstab passes as filters (pure). Pass 1 (`vidstabdetect`) measures the motion on
 * a downscaled copy of the picture: the block search is most of its cost and it grows with the
 * area, while the camera's shake is the same shape at any size. Pass 2 (`vidstabtransform`) corrects
 * the full-size picture, so the transforms file written by pass 1 is rescaled to full-size pixels
 * between the passes (`scaleTransforms`).
 */
import { fmt } from "../media/ffmpeg-args.ts";
import type { StabilizeSettings as Stabilize } from "./schema.ts";

/** Motion is measured on a copy whose short side is about this many pixels (never upscaled). */
export const ANALYSIS_SHORT_SIDE = 360;

export interface DetectPlan {
  /** Filters from the full-size picture to `vidstabdetect` (scale first when downscaled). */
  filters: string[];
  /** Full-size / analysis-size, per axis (1 when measured at full size). */
  scaleX: number;
  scaleY: number;
}

const even = (x: number) => Math.max(2, 2 * Math.round(x / 2));

export function shakinessOf(st: Stabilize): number {
  return Math.max(1, Math.min(10, Math.round(3 + st.strength * 7)));
}

/** Pass 1 on a `width`×`height` picture, writing its motion to `result` (an escaped-safe path). */
export function detectPlan(
  st: Stabilize,
  width: number,
  height: number,
  result: string,
): DetectPlan {
  const factor = Math.max(1, Math.round(Math.min(width, height) / ANALYSIS_SHORT_SIDE));
  const detect = `vidstabdetect=shakiness=${shakinessOf(st)}:accuracy=15:result=${result}`;
  if (factor === 1) return { filters: [detect], scaleX: 1, scaleY: 1 };
  const w = even(width / factor);
  const h = even(height / factor);
  return {
    filters: [`scale=${w}:${h}:flags=area`, detect],
    scaleX: width / w,
    scaleY: height / h,
  };
}

/** Pass 2: the correction, then a light luma-only sharpen against the interpolation's softening. */
export function transformFilters(st: Stabilize, input: string): string[] {
  return [
    `vidstabtransform=input=${input}:smoothing=${Math.round(4 + st.strength * 36)}` +
      `:optzoom=${st.crop === "zoom" ? 1 : 0}:zoom=${fmt(st.zoomPercent)}:crop=black:interpol=bilinear`,
    // Chroma amount 0: unsharp copies the chroma planes untouched (half the cost of 5:5:…:3:3:0.3).
    "unsharp=5:5:0.6:3:3:0",
  ];
}

/**
 * A vid.stab transforms file (text, "VID.STAB 1": one `Frame n (List k [(LM vx vy fx fy size
 * contrast match),…])` line per frame) measured at analysis size, rewritten in full-size pixels:
 * motion vectors, field centres and field sizes scale; contrast and match are ratios and stay.
 */
export function scaleTransforms(text: string, scaleX: number, scaleY: number): string {
  if (scaleX === 1 && scaleY === 1) return text;
  if (!text.startsWith("VID.STAB ")) throw new Error("not a vid.stab transforms file");
  return text.replace(
    /\(LM (-?\d+) (-?\d+) (-?\d+) (-?\d+) (-?\d+) ([^ )]+) ([^ )]+)\)/g,
    (_m, vx, vy, fx, fy, size, contrast, match) =>
      `(LM ${Math.round(Number(vx) * scaleX)} ${Math.round(Number(vy) * scaleY)} ` +
      `${Math.round(Number(fx) * scaleX)} ${Math.round(Number(fy) * scaleY)} ` +
      `${Math.round(Number(size) * Math.min(scaleX, scaleY))} ${contrast} ${match})`,
  );
}
