/**
 * Real-world scale: subjects that share the ground of one shot are drawn at their sizes relative to
 * each other ("an elephant next to a mouse", "a child kicking a ball": the ball is not half the
 * child). The lead — the first such subject, the one the prompt is about — keeps the size the shot
 * gives it and sets the scale, unless that makes the tallest too big for the frame; the others
 * follow from typical heights. Pure.
 *
 * Left alone: subjects placed by a composition (on, in, riding, holding, at, under: drawings.ts
 * sizes them from their anchor), flying and floating ones (their distance is unknown), and
 * anything whose height this table does not know.
 */
import { seatOf } from "./drawings.ts";
import type { ArtClass } from "./lexicon.server.ts";
import type { Motion, RelationKind } from "./types.ts";

/** Typical height in metres of what each drawing shows (the emoji and made-art ids). */
const HEIGHT_M: Record<string, number> = {
  // People
  person: 1.7,
  man: 1.78,
  woman: 1.65,
  child: 1.2,
  boy: 1.3,
  girl: 1.3,
  baby: 0.7,
  // Mammals
  dog: 0.6,
  cat: 0.3,
  horse: 1.7,
  elephant: 3,
  mouse: 0.06,
  rat: 0.1,
  giraffe: 5,
  lion: 1.1,
  tiger: 1,
  bear: 1.4,
  rabbit: 0.3,
  fox: 0.45,
  "fox-side": 0.45,
  wolf: 0.8,
  "wolf-side": 0.8,
  "bear-side": 1.4,
  deer: 1.2,
  cow: 1.5,
  pig: 0.9,
  ram: 0.9,
  goat: 0.8,
  koala: 0.6,
  panda: 1,
  chipmunk: 0.12,
  hedgehog: 0.12,
  monkey: 0.6,
  gorilla: 1.6,
  camel: 2,
  zebra: 1.4,
  kangaroo: 1.5,
  unicorn: 1.7,
  // Birds, water, reptiles, small things
  chicken: 0.4,
  duck: 0.35,
  bird: 0.15,
  owl: 0.4,
  eagle: 0.7,
  parrot: 0.35,
  penguin: 0.7,
  turtle: 0.2,
  frog: 0.08,
  snake: 0.2,
  crab: 0.15,
  butterfly: 0.06,
  honeybee: 0.02,
  spider: 0.03,
  ant: 0.005,
  snail: 0.04,
  // Vehicles on the ground
  automobile: 1.5,
  "pickup-truck": 1.9,
  "sport-utility-vehicle": 1.8,
  bus: 3.2,
  bicycle: 1.05,
  motorcycle: 1.15,
  "motor-scooter": 1.1,
  tractor: 2.5,
  locomotive: 4,
  "skateboard-side": 0.12,
  // Plants
  "deciduous-tree": 8,
  "evergreen-tree": 10,
  "palm-tree": 9,
  blossom: 0.3,
  rose: 0.5,
  sunflower: 1.8,
  cactus: 1.5,
  "potted-plant": 0.6,
  // Things
  "soccer-ball": 0.22,
  basketball: 0.24,
  "american-football": 0.18,
  volleyball: 0.21,
  baseball: 0.075,
  tennis: 0.067,
  softball: 0.097,
  "flying-disc": 0.25,
  "hot-beverage": 0.1,
  "tumbler-glass": 0.1,
  "bottle-with-popping-cork": 0.3,
  guitar: 1,
  "musical-keyboard": 1,
  drum: 0.6,
  violin: 0.6,
  trumpet: 0.2,
  "top-hat": 0.2,
  "running-shoe": 0.12,
  handbag: 0.3,
  backpack: 0.5,
  "closed-book": 0.25,
  "mobile-phone": 0.15,
  laptop: 0.25,
  lamp: 0.5,
  chair: 0.9,
  table: 0.75,
  bed: 0.6,
  candle: 0.2,
  "alarm-clock": 0.15,
  camera: 0.12,
  balloon: 0.3,
  umbrella: 0.9,
  robot: 1.5,
  "teddy-bear": 0.4,
  vase: 0.35,
  basket: 0.35,
  box: 0.4,
  "red-apple": 0.08,
  banana: 0.2,
  tangerine: 0.07,
  tent: 1.5,
  // No buildings: they stand at the back of a shot at any distance ("a cow in front of a barn"
  // drew the cow the size of the barn's door).
};

/** Relations whose subject stands on the shared ground beside the others. */
const SIDE_BY_SIDE: ReadonlySet<RelationKind> = new Set([
  "left-of",
  "right-of",
  "next-to",
  "in-front-of",
  "behind",
]);

export interface ScaleItem {
  cls: ArtClass;
  art?: string | null;
  motion: Motion;
  relation: { kind: RelationKind; to: number } | null;
}

/** The smallest a subject is drawn, so a mouse beside an elephant still reads as a mouse. */
export const MIN_SCALED_SIZE = 0.06;
/** The largest a subject is drawn at when scaled (an elephant beside a man): the group shrinks. */
export const MAX_SCALED_SIZE = 0.6;

export function typicalHeight(art: string | null | undefined): number | null {
  return art ? (HEIGHT_M[art] ?? null) : null;
}

/**
 * The subjects' sizes with the ground's subjects at real-world scale relative to their lead;
 * `sizes` are the shot's sizes for each (layout.ts baseSize), in the same order as `items`.
 */
export function realScaleSizes(items: readonly ScaleItem[], sizes: readonly number[]): number[] {
  // Someone on a chair or a bench is still on the ground beside the others (the seat takes its
  // size from them, layout.ts).
  const seated = (it: ScaleItem) =>
    it.relation?.kind === "on-top-of" &&
    it.cls === "person" &&
    !!seatOf(items[it.relation.to]?.art);
  const placedBy = new Set<number>();
  items.forEach((it) => {
    if (it.relation && !SIDE_BY_SIDE.has(it.relation.kind)) placedBy.add(it.relation.to);
  });
  const ground = items
    .map((it, i) => ({
      it,
      i,
      // A person the table does not name (a farmer, a chef) is a person's height.
      h: typicalHeight(it.art) ?? (it.cls === "person" ? HEIGHT_M.person! : null),
    }))
    .filter(
      ({ it, i, h }) =>
        h !== null &&
        it.motion !== "fly" &&
        it.motion !== "float" &&
        (!it.relation || SIDE_BY_SIDE.has(it.relation.kind) || seated(it)) &&
        !placedBy.has(i),
    );
  const out = [...sizes];
  if (ground.length < 2) return out;
  const lead = ground[0]!;
  // The lead's scale, shrunk when it would make the tallest of them too big for the frame (a dog
  // and a horse: the horse at the largest size, the dog beside it at its scale).
  const tallest = Math.max(...ground.map((g) => g.h!));
  const perMetre = Math.min(sizes[lead.i]! / lead.h!, MAX_SCALED_SIZE / tallest);
  for (const { i, h } of ground) {
    const s = Math.max(MIN_SCALED_SIZE, h! * perMetre);
    out[i] = Math.round(s * 1000) / 1000;
  }
  return out;
}
