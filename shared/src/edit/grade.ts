/**
 * The colour grade as numbers both ends share: `gradeModel` turns a grade (with its preset) into a
 * 3×3 RGB matrix, a contrast, a saturation and a curves preset. The compiler (./compile.ts) writes
 * them as ffmpeg filters; the editor's canvas preview applies the same numbers, so what a person
 * sees before rendering is what the render does. Pure.
 */
import { curvesTables, tableExpression } from "./curves.ts";
import type { Grade, GradePreset } from "./schema.ts";

/** Row-major 3×3: out.r = m[0]·r + m[1]·g + m[2]·b, … */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

export interface GradeModel {
  matrix: Matrix3;
  contrast: number;
  saturation: number;
  curves: Grade["curves"];
}

const I: Matrix3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
const LUMA = [0.299, 0.587, 0.114] as const;

function mul(a: Matrix3, b: Matrix3): Matrix3 {
  const o = new Array(9).fill(0) as Matrix3;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 3; k++) o[r * 3 + c] = o[r * 3 + c]! + a[r * 3 + k]! * b[k * 3 + c]!;
  return o;
}
const diag = (r: number, g: number, b: number): Matrix3 => [r, 0, 0, 0, g, 0, 0, 0, b];
/** Mix each channel toward luma × tint (sepia, mono). */
function toward(tint: [number, number, number], amount: number): Matrix3 {
  const o = [...I] as Matrix3;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      o[r * 3 + c] = (1 - amount) * I[r * 3 + c]! + amount * tint[r]! * LUMA[c]!;
  return o;
}

interface PresetLook {
  matrix: Matrix3;
  contrast: number;
  saturation: number;
  curves: Grade["curves"];
}

/** The animatic's styles (workers/src/previz/picture.ts `grader`) and common film looks. */
export const PRESET_LOOKS: Record<GradePreset, PresetLook> = {
  none: { matrix: I, contrast: 1, saturation: 1, curves: "none" },
  cinematic: {
    matrix: diag(1.03, 1, 0.97),
    contrast: 1.1,
    saturation: 0.95,
    curves: "medium_contrast",
  },
  documentary: { matrix: I, contrast: 1.02, saturation: 0.75, curves: "none" },
  anime: { matrix: I, contrast: 1.08, saturation: 1.3, curves: "none" },
  noir: { matrix: toward([1, 1, 1.02], 1), contrast: 1.35, saturation: 0, curves: "none" },
  neon: { matrix: diag(0.9, 0.8, 1.1), contrast: 1.15, saturation: 1.4, curves: "none" },
  pastel: { matrix: I, contrast: 0.85, saturation: 0.7, curves: "lighter" },
  vintage: {
    matrix: toward([1.07, 0.95, 0.78], 0.55),
    contrast: 0.95,
    saturation: 0.9,
    curves: "vintage",
  },
  watercolor: { matrix: I, contrast: 0.9, saturation: 0.85, curves: "lighter" },
  kodachrome: { matrix: diag(1.06, 1.0, 0.92), contrast: 1.15, saturation: 1.2, curves: "none" },
  "bleach-bypass": {
    matrix: toward([1, 1, 1], 0.5),
    contrast: 1.3,
    saturation: 0.6,
    curves: "none",
  },
  "teal-orange": {
    matrix: [1.08, 0, 0, 0, 1.0, 0, 0, 0.05, 0.95],
    contrast: 1.1,
    saturation: 1.1,
    curves: "none",
  },
  "cross-process": { matrix: I, contrast: 1.05, saturation: 1.1, curves: "cross_process" },
};

/** The grade's numbers: preset look first, then the person's own adjustments on top. */
export function gradeModel(g: Grade): GradeModel {
  const look = PRESET_LOOKS[g.preset];
  const gain = 2 ** g.exposure;
  const warm = 0.2 * g.temperature;
  const magenta = 0.15 * g.tint;
  const user = diag(gain * (1 + warm), gain * (1 - magenta), gain * (1 - warm));
  return {
    matrix: mul(user, look.matrix),
    contrast: look.contrast * g.contrast,
    saturation: look.saturation * g.saturation,
    curves: g.curves !== "none" ? g.curves : look.curves,
  };
}

const n = (x: number) => Number(x.toFixed(5)).toString();

/**
 * The grade as ffmpeg filters, in two stages so the picture leaves YUV at most once:
 *
 * - `rgb` runs on packed `bgr24` (the conversion swscale does fastest, both ways: ~0.5 ms a
 *   720×1280 frame against ~5 ms for planar `gbrp`): the matrix as `colorchannelmixer` only when
 *   it mixes channels, otherwise its gains folded with the contrast into one `lutrgb` (a 1-D table
 *   per channel), the curves preset folded into that same table (./curves.ts computes ffmpeg's
 *   curves exactly), so the RGB picture is read once;
 * - `yuv` runs after the return to yuv420p: the saturation as `eq` on the chroma planes, which is
 *   exactly the RGB mix toward Rec.601 luma that `applyGrade` does (saturation keeps grey, so it
 *   commutes with the contrast).
 *
 * With `lutLast` (an uploaded LUT follows the grade) the saturation is folded into the matrix
 * instead, so everything happens before the LUT, as the person graded it.
 */
export function gradeStages(g: Grade, opts: { lutLast?: boolean } = {}): GradeStages {
  const m = gradeModel(g);
  const rgb: string[] = [];
  const yuv: string[] = [];
  const s = m.saturation;
  const saturate: Matrix3 = [
    LUMA[0] * (1 - s) + s,
    LUMA[1] * (1 - s),
    LUMA[2] * (1 - s),
    LUMA[0] * (1 - s),
    LUMA[1] * (1 - s) + s,
    LUMA[2] * (1 - s),
    LUMA[0] * (1 - s),
    LUMA[1] * (1 - s),
    LUMA[2] * (1 - s) + s,
  ];
  const matrix = opts.lutLast && s !== 1 ? mul(saturate, m.matrix) : m.matrix;
  const diagonal = [1, 2, 3, 5, 6, 7].every((i) => Math.abs(matrix[i]!) < 1e-9);
  let gains: [number, number, number] = [1, 1, 1];
  if (diagonal) gains = [matrix[0], matrix[4], matrix[8]];
  else if (matrix.some((v, i) => Math.abs(v - I[i]!) > 1e-9)) {
    const names = ["rr", "rg", "rb", "gr", "gg", "gb", "br", "bg", "bb"];
    rgb.push(`colorchannelmixer=${matrix.map((v, i) => `${names[i]}=${n(v)}`).join(":")}`);
  }
  const linear = m.contrast !== 1 || gains.some((v) => Math.abs(v - 1) > 1e-9);
  // out = (gain·in − ½)·contrast + ½ on 0…255, rounded (lutrgb truncates).
  const line = (k: number) => `clip((val*${n(gains[k]!)}-127.5)*${n(m.contrast)}+128,0,255)`;
  if (m.curves !== "none") {
    // The curves after the line, folded into the same table: one pass over the picture, not two.
    const tables = curvesTables(m.curves);
    const g = gains.map((v) => Number(n(v)));
    const c = Number(n(m.contrast));
    const lin = (k: number, v: number) =>
      linear ? Math.trunc(Math.min(255, Math.max(0, (v * g[k]! - 127.5) * c + 128))) : v;
    const expr = (k: number) =>
      `'${tableExpression(tables[k]!.map((_, v) => tables[k]![lin(k, v)]!))}'`;
    rgb.push(`lutrgb=r=${expr(0)}:g=${expr(1)}:b=${expr(2)}`);
  } else if (linear) {
    rgb.push(`lutrgb=r='${line(0)}':g='${line(1)}':b='${line(2)}'`);
  }
  if (!opts.lutLast && s !== 1) yuv.push(`eq=saturation=${n(s)}`);
  return { rgb, yuv };
}

export interface GradeStages {
  /** Filters on packed RGB (`format=bgr24` before them). */
  rgb: string[];
  /** Filters on yuv420p after the RGB stage. */
  yuv: string[];
}

/** The whole grade as one filter chain from and back to yuv420p (without the LUT). */
export function gradeFilters(g: Grade): string[] {
  const { rgb, yuv } = gradeStages(g);
  return [...(rgb.length ? ["format=bgr24", ...rgb, "format=yuv420p"] : []), ...yuv];
}

/**
 * Apply the grade's matrix, contrast and saturation to one colour (0…1) the way the filters do —
 * the editor's preview and the tests use it. (Curves are left to ffmpeg.)
 */
export function applyGrade(
  g: Grade,
  rgb: readonly [number, number, number],
): [number, number, number] {
  const m = gradeModel(g);
  let [r, gg, b] = [0, 1, 2].map(
    (i) =>
      m.matrix[i * 3]! * rgb[0] + m.matrix[i * 3 + 1]! * rgb[1] + m.matrix[i * 3 + 2]! * rgb[2],
  ) as [number, number, number];
  const c = (v: number) => (v - 0.5) * m.contrast + 0.5;
  [r, gg, b] = [c(r), c(gg), c(b)];
  const l = LUMA[0] * r + LUMA[1] * gg + LUMA[2] * b;
  const s = (v: number) => Math.min(1, Math.max(0, l + (v - l) * m.saturation));
  return [s(r), s(gg), s(b)];
}
