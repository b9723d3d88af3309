import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";
import type { Rng } from "../prng.ts";
import type { Style } from "../understand.ts";
import type { RGB } from "./color.ts";

/**
 * An art style as a picture treatment, in three places of the cost model:
 * - `grade`: every colour the scenery paints passes through it (cached by the caller);
 * - `layer`: run ONCE on each static layer canvas after it is painted (strokes, outlines,
 *   palette, melting) — expensive work goes here;
 * - `frame`: run on every finished frame (before captions) — only cheap operations: one or two
 *   full-frame blends, or a small canvas scaled up.
 * `subjectFilter` is a canvas filter string the picture sets while it draws moving subjects
 * (outlines for cel styles), so what moves gets the treatment too.
 */
export type Ctx = SKRSContext2D;

export type LayerRole = "sky" | "far" | "mid" | "ground" | "front";

export interface LayerInfo {
  role: LayerRole;
  /** Frame size in drawing pixels. */
  W: number;
  H: number;
  /** World origin (frame centre at zoom 1) inside the layer canvas. */
  ox: number;
  oy: number;
  /** Horizon y in world units (0 = frame centre). */
  horizon: number;
  /** Sun or moon centre and radius in layer pixels, when the sky shows one. */
  sun?: { x: number; y: number; radius: number };
  night: boolean;
  r: Rng;
}

export interface StyleEnv {
  W: number;
  H: number;
  r: Rng;
}

export interface StyleRun {
  grade(c: RGB): RGB;
  layer?(canvas: Canvas, info: LayerInfo): void;
  subjectFilter?: string;
  frame?(ctx: Ctx, canvas: Canvas, frame: number): void;
  /** Vignette darkness at the corners, 0..1. */
  vignette: number;
  /** Film grain amount, 0..1, and whether it changes per frame (costly to encode). */
  grain: number;
  movingGrain: boolean;
  /** Cinema bars on a landscape frame. */
  letterbox?: boolean;
}

export interface StyleTreatment {
  id: Style;
  /** As the UI names it ("Van Gogh"). */
  label: string;
  /** What a viewer sees, one line (docs, the prompt checker). */
  look: string;
  setup(env: StyleEnv): StyleRun;
}
