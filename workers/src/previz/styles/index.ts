import type { Style } from "../understand.ts";
import { blackAndWhite } from "./black-and-white.ts";
import { anime, cartoon } from "./cartoon.ts";
import { classicStyles } from "./classic.ts";
import { claymation } from "./claymation.ts";
import { comic } from "./comic.ts";
import { cyberpunk } from "./cyberpunk.ts";
import { oilPainting } from "./oil-painting.ts";
import { pixelArt } from "./pixel-art.ts";
import { sketch } from "./sketch.ts";
import { surreal } from "./surreal.ts";
import type { StyleTreatment } from "./types.ts";
import { ukiyoE } from "./ukiyo-e.ts";
import { vanGogh } from "./van-gogh.ts";
import { watercolor } from "./watercolor.ts";

/** Every art style the picture knows, by its `Style` id: the registry the renderer looks up. */
const all: StyleTreatment[] = [
  ...classicStyles,
  vanGogh,
  oilPainting,
  ukiyoE,
  blackAndWhite,
  pixelArt,
  cyberpunk,
  cartoon,
  anime,
  watercolor,
  surreal,
  comic,
  sketch,
  claymation,
];

export const styleTreatments: ReadonlyMap<Style, StyleTreatment> = new Map(
  all.map((s) => [s.id, s]),
);

export function treatmentFor(style: Style): StyleTreatment {
  return styleTreatments.get(style) ?? styleTreatments.get("cinematic")!;
}

export type { LayerInfo, LayerRole, StyleEnv, StyleRun, StyleTreatment } from "./types.ts";
