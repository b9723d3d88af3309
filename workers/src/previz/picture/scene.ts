import type { Canvas, Image } from "@napi-rs/canvas";
import type { CameoFace } from "../cameo-face.ts";
import type { StyleRun } from "../styles/index.ts";
import type { Timeline } from "../timeline.ts";
import type { ShotSpec } from "../understand.ts";
import type { Ctx } from "./color.ts";
import type { PersonLook } from "./figures.ts";
import type { World } from "./layers.ts";
import type { Painter } from "./scenery.ts";

export interface PictureOptions {
  spec: ShotSpec;
  timeline: Timeline;
  /** Drawing size (the output size: frames are drawn sharp, never upscaled). */
  width: number;
  height: number;
  /** Mouth opening 0..1 of `subject` at `frame` (from the speech's loudness), 0 when silent. */
  mouth: (subject: number, frame: number) => number;
  /** Cast cameos by subject index: the figure of that subject wears the cameo's face. */
  cameos?: ReadonlyMap<number, CameoFace>;
  /** Image-to-video: animate this picture instead of drawing a scene. */
  image?: Image;
}

/** What the per-frame drawing functions share: the renderer's state for one shot. */
export interface Scene {
  readonly o: PictureOptions;
  readonly ctx: Ctx;
  readonly world: World;
  readonly P: Painter;
  readonly finish: Canvas[];
  readonly rain: { x: number; y: number; z: number }[];
  readonly clouds: { x: number; y: number; s: number; v: number }[];
  readonly look: PersonLook[];
  /** The art style's treatment for this shot (`styles/`). */
  readonly style: StyleRun;
}
