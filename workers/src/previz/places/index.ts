import type { ScenePainters } from "../picture/scenery.ts";
import type { SettingKind } from "../understand.ts";
import { builtPlaces } from "./built.ts";
import { landPlaces } from "./land.ts";
import { waterPlaces } from "./water.ts";

/**
 * The places issue 11 adds, as layer painters by setting (the layers a place leaves out are the
 * default painters). The renderer merges them over `scenePainters(kind)`.
 */
export const placePainters: Partial<Record<SettingKind, Partial<ScenePainters>>> = {
  ...waterPlaces,
  ...landPlaces,
  ...builtPlaces,
};

/** Places that are indoors (a wall instead of a sky, no weather outside the window). */
export const INTERIOR_PLACES: readonly SettingKind[] = [
  "club",
  "stage",
  "cafe",
  "kitchen",
  "room",
  "office",
  "classroom",
  "library",
  "bedroom",
  "restaurant",
];
