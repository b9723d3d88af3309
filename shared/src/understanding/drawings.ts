import type { ArtClass } from "./lexicon.server.ts";

/**
 * What understanding knows about drawings beyond their words: the hand-made drawings the picture
 * ships (`workers/src/previz/picture/made-art.ts` holds their SVGs; a test there checks every id
 * here has one), the roles a drawing can play in a composition (a support surface things stand
 * on, a container that holds things, a mount that carries a rider, a deck that spans a river)
 * and the emoji that are whole scenes with their own background, which are never a subject.
 * Pure, so the layout and the browser may import it.
 */

export interface MadeArt {
  cls: ArtClass;
  /** The drawing's width over its height (its box, padding left out). */
  aspect: number;
  /** Its usual height in a wide shot, a fraction of the frame height (a plate is flat). */
  height: number;
}

/** Hand-made drawings: plain furniture, containers, boards, a lighthouse and a bridge. */
export const MADE_ART: Readonly<Record<string, MadeArt>> = {
  table: { cls: "object", aspect: 1.75, height: 0.3 },
  lamp: { cls: "object", aspect: 0.8, height: 0.22 },
  desk: { cls: "object", aspect: 1.9, height: 0.3 },
  counter: { cls: "object", aspect: 2.4, height: 0.3 },
  shelf: { cls: "object", aspect: 4, height: 0.07 },
  bowl: { cls: "object", aspect: 2.3, height: 0.16 },
  "bowl-of-soup": { cls: "food", aspect: 2.1, height: 0.16 },
  plate: { cls: "object", aspect: 4.5, height: 0.07 },
  vase: { cls: "object", aspect: 0.56, height: 0.3 },
  box: { cls: "object", aspect: 1.35, height: 0.22 },
  crate: { cls: "object", aspect: 1.35, height: 0.22 },
  lighthouse: { cls: "building", aspect: 0.42, height: 0.62 },
  bridge: { cls: "building", aspect: 5.5, height: 0.3 },
  surfboard: { cls: "vehicle-water", aspect: 5.8, height: 0.05 },
  "skateboard-side": { cls: "vehicle-ground", aspect: 4, height: 0.045 },
  bench: { cls: "object", aspect: 2.2, height: 0.2 },
  // Animals the emoji set draws only as a face: whole bodies, in profile.
  "fox-side": { cls: "mammal", aspect: 104 / 58, height: 0.3 },
  "wolf-side": { cls: "mammal", aspect: 104 / 58, height: 0.34 },
  "bear-side": { cls: "mammal", aspect: 100 / 60, height: 0.4 },
};

export function isMadeArt(id: string | null | undefined): boolean {
  return !!id && Object.hasOwn(MADE_ART, id);
}

/**
 * Support surfaces: where things put "on" it rest (`top`: the resting line, a fraction of the
 * drawing's height from its top), whether it stands on the floor (a wall shelf does not) and how
 * tall a thing on it is at most, over the surface's own height (`share`: a shelf is thin).
 */
export const SURFACES: Readonly<Record<string, { top: number; floor: boolean; share: number }>> = {
  table: { top: 0.02, floor: true, share: 0.5 },
  desk: { top: 0.02, floor: true, share: 0.5 },
  counter: { top: 0.02, floor: true, share: 0.5 },
  shelf: { top: 0.02, floor: false, share: 1.6 },
  bridge: { top: 0.02, floor: true, share: 0.75 },
};

/**
 * Seat `k` of `n` people at a table `tableW` wide (frame widths), each about `personW` wide: the
 * offset from the table's centre and the way they face (0: their own). One stands behind it a
 * little off-centre, two at its two ends facing each other, more in a row behind it.
 */
export function seatAt(
  k: number,
  n: number,
  tableW: number,
  personW: number,
): { dx: number; facing: 1 | -1 | 0 } {
  if (n <= 1) return { dx: tableW * 0.12, facing: 0 };
  if (n === 2) {
    const side = k === 0 ? -1 : 1;
    return { dx: side * (tableW / 2 + personW * 0.3), facing: side === -1 ? 1 : -1 };
  }
  return { dx: (k - (n - 1) / 2) * ((tableW * 1.1) / n), facing: 0 };
}

/**
 * Containers: `rim` is the opening's line (fraction of the height from the top); `holds`
 * says whether the contents sit inside (drawn behind the front, the lower part hidden) or on it;
 * `share` is one content's height over the container's.
 */
export const CONTAINERS: Readonly<
  Record<string, { rim: number; holds: "inside" | "on"; share: number }>
> = {
  bowl: { rim: 0.08, holds: "inside", share: 0.6 },
  vase: { rim: 0.04, holds: "inside", share: 0.9 },
  box: { rim: 0.1, holds: "inside", share: 0.6 },
  crate: { rim: 0.1, holds: "inside", share: 0.6 },
  basket: { rim: 0.42, holds: "inside", share: 0.5 },
  jar: { rim: 0.12, holds: "inside", share: 0.5 },
  bucket: { rim: 0.12, holds: "inside", share: 0.55 },
  "shopping-cart": { rim: 0.2, holds: "inside", share: 0.5 },
  plate: { rim: 0.45, holds: "on", share: 2.2 },
};

/**
 * Mounts: `seat` is where the rider's hips rest (fraction of the mount's height from its top;
 * `stand`: the rider stands on it, feet there), `ratio` the mount's height over the rider's.
 */
export interface Mount {
  seat: number;
  stand: boolean;
  ratio: number;
}

const MOUNTS: Readonly<Record<string, Mount>> = {
  horse: { seat: 0.3, stand: false, ratio: 1.25 },
  unicorn: { seat: 0.3, stand: false, ratio: 1.25 },
  zebra: { seat: 0.32, stand: false, ratio: 1.15 },
  donkey: { seat: 0.32, stand: false, ratio: 1 },
  camel: { seat: 0.22, stand: false, ratio: 1.2 },
  "two-hump-camel": { seat: 0.22, stand: false, ratio: 1.2 },
  elephant: { seat: 0.12, stand: false, ratio: 1.3 },
  bicycle: { seat: 0.16, stand: false, ratio: 0.6 },
  motorcycle: { seat: 0.3, stand: false, ratio: 0.6 },
  "motor-scooter": { seat: 0.3, stand: false, ratio: 0.6 },
  "kick-scooter": { seat: 0.9, stand: true, ratio: 0.6 },
  "skateboard-side": { seat: 0.1, stand: true, ratio: 0.13 },
  surfboard: { seat: 0.2, stand: true, ratio: 0.14 },
};

/**
 * Seats: a person "on" one sits on it. `seat` is where the hips rest (a fraction of the seat's
 * height from its top), `ratio` the seat's height over the sitter's standing height.
 */
export const SEATS: Readonly<Record<string, { seat: number; ratio: number }>> = {
  chair: { seat: 0.56, ratio: 0.53 },
  bench: { seat: 0.5, ratio: 0.5 },
};

/** How high a chair's seat is, over a standing person's height (a seat at a table). */
export const SEAT_HEIGHT = 0.27;

/** The seat a drawing is (a person "on" it sits), or null. */
export function seatOf(art: string | null | undefined): { seat: number; ratio: number } | null {
  return art ? (SEATS[art] ?? null) : null;
}

/** Whether a verb puts its subject in a seat ("sitting at a table", "seated"). */
export function sitsBy(verb: string | null | undefined): boolean {
  return !!verb && /^(?:sit|sits|sitting|sat|seated|perched)$/i.test(verb);
}

/** Whether a verb is a kick ("kicking a ball": the ball is at the kicker's foot). */
export function kicks(verb: string | null | undefined): boolean {
  return !!verb && /^kick(?:s|ing|ed)?$/i.test(verb);
}

/**
 * How far in front of a kicker's hips the ball's near side rests, over the kicker's height: where
 * the front foot meets it as the leg swings through.
 */
export const KICK_REACH = 0.14;

/** Whether a drawing is a ball one kicks (a football, a beach ball…). */
export function isKickable(art: string | null | undefined): boolean {
  return !!art && /ball$/.test(art) && art !== "crystal-ball" && art !== "bowling-ball";
}

/** Whether a verb is reading ("reading a book": the book is in the reader's hands). */
export function reads(verb: string | null | undefined): boolean {
  return !!verb && /^(?:read|reads|reading)$/i.test(verb);
}

/** Drawings one reads, held in the hands. */
const READABLE = new Set([
  "closed-book",
  "open-book",
  "blue-book",
  "green-book",
  "orange-book",
  "notebook",
  "newspaper",
  "rolled-up-newspaper",
  "scroll",
  "page-facing-up",
]);

export function isReadable(art: string | null | undefined): boolean {
  return !!art && READABLE.has(art);
}

/**
 * The subject a reader or a kicker acts on: the first later one with no relation of its own that
 * `fits` (a ball to kick, a book to read), with no other fitting one between. -1 when none.
 */
export function objectOf<T extends { art?: string | null; relation: unknown }>(
  items: readonly T[],
  i: number,
  fits: (art: string | null | undefined) => boolean,
): number {
  return items.findIndex((o, k) => k > i && !o.relation && fits(o.art));
}

/** The mount a drawing is (it carries a rider "on" it), or null. */
export function mountOf(art: string | null): Mount | null {
  return art ? (MOUNTS[art] ?? null) : null;
}

/**
 * Agent nouns and verbs that imply what the person rides ("a cyclist", "a surfer", "skateboarding"):
 * the drawing of the mount. A modifier wins ("a motorcycle rider", "a bike rider").
 */
export const IMPLIED_MOUNT: Readonly<Record<string, string>> = {
  cyclist: "bicycle",
  bicyclist: "bicycle",
  cycler: "bicycle",
  "bike rider": "bicycle",
  cycling: "bicycle",
  biking: "bicycle",
  pedalling: "bicycle",
  pedaling: "bicycle",
  biker: "motorcycle",
  motorcyclist: "motorcycle",
  motorbiker: "motorcycle",
  rider: "horse",
  horseman: "horse",
  horsewoman: "horse",
  horseback: "horse",
  equestrian: "horse",
  jockey: "horse",
  cavalryman: "horse",
  skateboarder: "skateboard-side",
  skater: "skateboard-side",
  skateboarding: "skateboard-side",
  surfer: "surfboard",
  surfing: "surfboard",
};

/**
 * Emoji that are whole scenes with a background of their own (a sky, a frame), found by the art
 * audit in `workers/src/previz/picture/art.test.ts` (square, fully painted tiles) and reviewed:
 * never drawn as a subject. What they show is a place (a city at night, a desert) or is composed
 * (a bridge spanning the river).
 */
export const SCENE_TILES: ReadonlySet<string> = new Set([
  "bridge-at-night",
  "cityscape",
  "cityscape-at-dusk",
  "desert",
  "fireworks",
  "fog",
  "foggy",
  "framed-picture",
  "milky-way",
  "moon-viewing-ceremony",
  "motorway",
  "national-park",
  "night-with-stars",
  "railway-track",
  "shooting-star",
  "sparkler",
  "sunrise",
  "sunrise-over-mountains",
  "sunset",
  // Flat pictures rather than things, under the tile threshold: maps.
  "world-map",
  "map-of-japan",
]);
