/**
 * The grade's curves presets as 256-entry tables, computed exactly as ffmpeg's `curves` filter does
 * (libavfilter/vf_curves.c: a natural cubic spline through the key points, truncated to 8 bits, the
 * master curve applied after the per-channel ones). Knowing the tables lets the compiler fold the
 * curves into the grade's one `lutrgb` (./grade.ts), so the render makes one pass over the RGB
 * picture instead of two. Pure; checked against ffmpeg itself in ./curves.server.test.ts.
 */
import type { Grade } from "./schema.ts";

export type CurvesPreset = Exclude<Grade["curves"], "none">;

interface PresetPoints {
  r?: string;
  g?: string;
  b?: string;
  master?: string;
}

/**
 * ffmpeg's presets, point for point — except `decrease_contrast`, which ffmpeg does not have (the
 * filter refused it, so a render with it failed): ours is `increase_contrast` mirrored about the
 * diagonal (its inverse curve).
 */
export const CURVES_PRESETS: Record<CurvesPreset, PresetPoints> = {
  cross_process: {
    r: "0/0 0.25/0.156 0.501/0.501 0.686/0.745 1/1",
    g: "0/0 0.25/0.188 0.38/0.501 0.745/0.815 1/0.815",
    b: "0/0 0.231/0.094 0.709/0.874 1/1",
  },
  darker: { master: "0/0 0.5/0.4 1/1" },
  increase_contrast: { master: "0/0 0.149/0.066 0.831/0.905 0.905/0.98 1/1" },
  decrease_contrast: { master: "0/0 0.066/0.149 0.905/0.831 0.98/0.905 1/1" },
  lighter: { master: "0/0 0.4/0.5 1/1" },
  linear_contrast: { master: "0/0 0.305/0.286 0.694/0.713 1/1" },
  medium_contrast: { master: "0/0 0.286/0.219 0.639/0.643 1/1" },
  negative: { master: "0/1 1/0" },
  strong_contrast: { master: "0/0 0.301/0.196 0.592/0.6 0.686/0.737 1/1" },
  vintage: {
    r: "0/0.11 0.42/0.51 1/0.95",
    g: "0/0 0.50/0.48 1/1",
    b: "0/0.22 0.49/0.44 1/0.8",
  },
};

const SCALE = 255;
/** av_clip_uint8 of a double passed as int: truncated toward zero, then clipped. */
const clip8 = (v: number) => Math.min(255, Math.max(0, Math.trunc(v)));

function parsePoints(s: string): [number, number][] {
  return s
    .trim()
    .split(/\s+/)
    .map((p) => p.split("/").map(Number) as [number, number]);
}

/** vf_curves.c `interpolate` (8 bits), operation for operation so the doubles round alike. */
export function splineTable(points: readonly (readonly [number, number])[]): number[] {
  const y = new Array<number>(256).fill(0);
  const n = points.length;
  if (n === 0) return y.map((_, i) => i);
  if (n === 1) return y.map(() => clip8(points[0]![1] * SCALE));
  const h: number[] = [];
  for (let i = 0; i < n - 1; i++) h.push(points[i + 1]![0] - points[i]![0]);
  const r = new Array<number>(n).fill(0);
  for (let i = 1; i < n - 1; i++) {
    const yp = points[i - 1]![1];
    const yc = points[i]![1];
    const yn = points[i + 1]![1];
    r[i] = 6 * ((yn - yc) / h[i]! - (yc - yp) / h[i - 1]!);
  }
  // The tridiagonal matrix: below, main and above diagonals.
  const bd = new Array<number>(n).fill(0);
  const md = new Array<number>(n).fill(0);
  const ad = new Array<number>(n).fill(0);
  md[0] = 1;
  md[n - 1] = 1;
  for (let i = 1; i < n - 1; i++) {
    bd[i] = h[i - 1]!;
    md[i] = 2 * (h[i - 1]! + h[i]!);
    ad[i] = h[i]!;
  }
  for (let i = 1; i < n; i++) {
    const den = md[i]! - bd[i]! * ad[i - 1]!;
    const k = den ? 1 / den : 1;
    ad[i] = ad[i]! * k;
    r[i] = (r[i]! - bd[i]! * r[i - 1]!) * k;
  }
  for (let i = n - 2; i >= 0; i--) r[i] = r[i]! - ad[i]! * r[i + 1]!;

  for (let i = 0; i < Math.trunc(points[0]![0] * SCALE); i++) y[i] = clip8(points[0]![1] * SCALE);
  for (let i = 0; i < n - 1; i++) {
    const yc = points[i]![1];
    const yn = points[i + 1]![1];
    const a = yc;
    const b = (yn - yc) / h[i]! - (h[i]! * r[i]!) / 2 - (h[i]! * (r[i + 1]! - r[i]!)) / 6;
    const c = r[i]! / 2;
    const d = (r[i + 1]! - r[i]!) / (6 * h[i]!);
    const xStart = Math.trunc(points[i]![0] * SCALE);
    const xEnd = Math.trunc(points[i + 1]![0] * SCALE);
    for (let x = xStart; x <= xEnd; x++) {
      // C's `(x - x_start) * 1./scale` parses as ((x - x_start) * 1.) / scale: a division.
      const xx = (x - xStart) / SCALE;
      const yy = a + b * xx + c * xx * xx + d * xx * xx * xx;
      y[x] = clip8(yy * SCALE);
    }
  }
  const last = points[n - 1]!;
  for (let i = Math.trunc(last[0] * SCALE); i < 256; i++) y[i] = clip8(last[1] * SCALE);
  return y;
}

/** The preset's [r, g, b] tables: each channel's curve, then the master curve over it. */
export function curvesTables(preset: CurvesPreset): [number[], number[], number[]] {
  const p = CURVES_PRESETS[preset];
  const table = (s?: string) => splineTable(s ? parsePoints(s) : []);
  const master = p.master ? table(p.master) : null;
  const out = [p.r, p.g, p.b].map((s) => {
    const t = table(s);
    return master ? t.map((v) => master[v]!) : t;
  });
  return out as [number[], number[], number[]];
}

/**
 * A 256-entry table as a `lutrgb`/`lut` expression of `val`: a binary search over runs of equal
 * values (ffmpeg evaluates it once per input value when the filter starts, never per pixel).
 */
export function tableExpression(table: readonly number[]): string {
  const runs: { start: number; value: number }[] = [];
  table.forEach((v, i) => {
    if (runs.length === 0 || runs[runs.length - 1]!.value !== v) runs.push({ start: i, value: v });
  });
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return String(runs[lo]!.value);
    const mid = (lo + hi + 1) >> 1;
    return `if(lt(val,${runs[mid]!.start}),${build(lo, mid - 1)},${build(mid, hi)})`;
  };
  return build(0, runs.length - 1);
}
