import {
  CONTAINERS,
  isKickable,
  isReadable,
  KICK_REACH,
  MADE_ART,
  mountOf,
  objectOf,
  SURFACES,
  seatAt,
  seatOf,
} from "./drawings.ts";
import type { ArtClass } from "./lexicon.server.ts";
import { MIN_SCALED_SIZE, realScaleSizes, typicalHeight } from "./real-scale.ts";
import type { Motion, RelationKind, SettingKind, ShotType } from "./types.ts";

/**
 * Where each subject stands at the middle of the shot, from the relations the prompt states.
 * Pure. Positions are fractions of the frame from the top left; `size` is the subject's height as
 * a fraction of the frame height. A group (count > 1) is placed by its centre: the picture fans
 * the members out around it.
 *
 * Rules: one subject stands at the centre on the ground; subjects without relations share the
 * width evenly in prompt order; "A left of B" puts A on the left third and B on the right
 * (mirrored for right-of); "A above B" stacks A over B; "A on top of B" / "A riding B" sets A on
 * B's top; "A under B" puts A at B's foot; "A next to B" side by side; "A in front of B" lower and
 * larger, "behind" higher and smaller; "A holding B" puts B at A's hand. Flying things keep to
 * the sky, swimming things to mid-water.
 *
 * Compositions (drawings.ts): things "on" a support surface (a table, a desk, a counter, a shelf,
 * a bridge's deck) rest on its top, side by side across it, smaller than it; people "at" it stand
 * behind or beside it, their feet on its floor line; contents of a container sit in its opening
 * (their lower part below the rim), or on a plate; a rider sits at the mount's seat (or stands on
 * a board), sharing its x, at the mount's scale; a person on a seat (a chair, a bench) sits at
 * its x, feet on its floor, the seat at their scale; a held thing is at a third of its holder's
 * height at most, at its real size when both heights are known. Anchors are placed before what
 * leans on them.
 */

export interface LayoutItem {
  cls: ArtClass;
  art?: string | null;
  motion: Motion;
  count: number;
  relation: { kind: RelationKind; to: number } | null;
  facing: 1 | -1;
  /** Sitting ("sitting at a table"): a table beside them is lower, at their chest. */
  seated?: boolean;
  /** Kicking: the ball after them in the prompt is at their front foot. */
  kicks?: boolean;
  /** Reading: the book (or paper) after them in the prompt is in their hands. */
  reads?: boolean;
}

export interface Place {
  x: number;
  y: number;
  size: number;
  /** Set when the composition turns the subject (two people at a table face each other). */
  facing?: 1 | -1;
}

const GROUND = 0.7;

function baseSize(cls: ArtClass, shot: ShotType, art?: string | null): number {
  const made = art ? MADE_ART[art] : undefined;
  const s = made
    ? made.height
    : cls === "person"
      ? 0.5
      : cls === "building"
        ? 0.6
        : cls === "mammal" || cls === "vehicle-ground" || cls === "vehicle-water"
          ? 0.36
          : cls === "vehicle-air"
            ? 0.26
            : cls === "plant"
              ? 0.34
              : 0.24;
  const zoom =
    shot === "close-up"
      ? 1.6
      : shot === "extreme-close-up"
        ? 2
        : shot === "medium"
          ? 1.25
          : shot === "extreme-wide"
            ? 0.7
            : 1;
  return Math.min(0.8, s * zoom);
}

function baseY(item: LayoutItem, size: number, setting: SettingKind): number {
  if (item.motion === "fly" || item.motion === "float") return 0.3;
  // A wall shelf hangs at chest height.
  if (item.art && SURFACES[item.art]?.floor === false) return 0.42;
  if (setting === "underwater" || setting === "space" || setting === "sky") return 0.5;
  if (item.motion === "swim" || item.motion === "sail")
    return setting === "ocean" || setting === "lake" ? 0.62 : 0.6;
  return Math.min(0.9, GROUND - size / 2 + 0.12);
}

const clamp = (v: number, lo = 0.06, hi = 0.94) => Math.min(hi, Math.max(lo, v));
const round = (v: number) => Math.round(v * 1000) / 1000;

export function layout(items: LayoutItem[], shot: ShotType, setting: SettingKind): Place[] {
  const sizes = realScaleSizes(
    items,
    items.map((it) => baseSize(it.cls, shot, it.art)),
  );
  const places: Place[] = items.map((it, i) => ({
    x: 0.5,
    y: baseY(it, sizes[i]!, setting),
    size: sizes[i]!,
  }));
  // Free subjects (no relation, nobody relating to them) share the width in prompt order.
  const anchored = new Set<number>();
  items.forEach((it, i) => {
    if (it.relation) {
      anchored.add(i);
      anchored.add(it.relation.to);
    }
  });
  const free = items.map((_, i) => i).filter((i) => !anchored.has(i));
  const roots = items.map((_, i) => i).filter((i) => !items[i]!.relation && anchored.has(i));
  const columns = [...new Set([...free, ...roots])].sort((a, b) => a - b);
  columns.forEach((i, k) => {
    places[i]!.x = (k + 1) / (columns.length + 1);
  });
  // Anchors before what leans on them ("a man riding a horse next to a giraffe": the horse beside
  // the giraffe, then the man on it; "a bowl of strawberries on a table": table, bowl, berries).
  const chain = (i: number, seen = new Set<number>()): number => {
    const r = items[i]!.relation;
    if (!r || seen.has(i) || !items[r.to]) return 0;
    seen.add(i);
    return 1 + chain(r.to, seen);
  };
  const order = items.map((_, i) => i).sort((a, b) => chain(a) - chain(b) || b - a);
  // Sizes first, anchors first: what rests on, in or at a thing takes its scale from it (people
  // at a table size it before what is put on it).
  const atTable = (t: number) =>
    items.some((o) => o.relation?.kind === "at" && o.relation.to === t && o.cls === "person");
  const sizing = [...order].sort(
    (a, b) =>
      chain(a) - chain(b) ||
      Number(items[b]!.relation?.kind === "at") - Number(items[a]!.relation?.kind === "at"),
  );
  sizing.forEach((i) => {
    const it = items[i]!;
    if (!it.relation) return;
    const a = places[i]!;
    const b = places[it.relation.to]!;
    const anchor = items[it.relation.to]!;
    const surface = anchor.art ? SURFACES[anchor.art] : undefined;
    const holder = anchor.art ? CONTAINERS[anchor.art] : undefined;
    const mount = mountOf(anchor.art ?? null);
    const k = it.relation.kind;
    if (k === "at" && surface) {
      // A table beside people is at their hip height: about half a person.
      if (it.cls === "person") b.size = round(Math.min(b.size, a.size * (it.seated ? 0.44 : 0.5)));
      b.y = baseY(anchor, b.size, setting);
    } else if (k === "on-top-of" && seatOf(anchor.art) && it.cls === "person") {
      // A chair or a bench someone sits on is at their scale.
      b.size = round(Math.min(0.8, a.size * seatOf(anchor.art)!.ratio));
      b.y = baseY(anchor, b.size, setting);
    } else if ((k === "on-top-of" || k === "inside") && (surface || holder)) {
      const share = holder
        ? holder.share * (it.count > 1 && holder.share < 1 ? 0.8 : 1)
        : surface!.share;
      if (surface?.floor && !holder && anchor.art !== "bridge" && !atTable(it.relation.to)) {
        // A table with things on it is the subject of the shot: big enough to hold them.
        b.size = round(Math.max(b.size, 0.34 * (baseSize("object", shot) / 0.24)));
        b.y = baseY(anchor, b.size, setting);
      }
      if (surface && !surface.floor) {
        // A wall shelf with things on it is long enough to hold them.
        b.size = round(Math.max(b.size, 0.1 * (baseSize("object", shot) / 0.24)));
        b.y = baseY(anchor, b.size, setting);
      }
      if (anchor.art === "bridge") {
        b.size = round(0.3 * (baseSize("object", shot) / 0.24));
        b.y = baseY(anchor, b.size, setting);
      }
      a.size = round(Math.min(a.size, b.size * share));
    } else if (k === "riding" && mount) {
      const person = it.cls === "person";
      a.size = round(person ? a.size * 0.85 : a.size);
      b.size = round(Math.min(0.8, a.size * mount.ratio * (person ? 1 : 1.8)));
      b.y = baseY(anchor, b.size, setting);
    }
  });
  // Things on one surface (or in one container) share its width, in prompt order.
  const onSame = (i: number) =>
    items
      .map((x, j) => ({ x, j }))
      .filter(
        ({ x }) =>
          x.relation &&
          x.relation.to === items[i]!.relation!.to &&
          x.relation.kind === items[i]!.relation!.kind,
      )
      .map(({ j }) => j);
  const widthOf = (j: number) =>
    (places[j]!.size * (MADE_ART[items[j]!.art ?? ""]?.aspect ?? 1)) / (16 / 9);
  order.forEach((i) => {
    const it = items[i]!;
    if (!it.relation) return;
    const a = places[i]!;
    const b = places[it.relation.to]!;
    const anchor = items[it.relation.to]!;
    const surface = anchor.art ? SURFACES[anchor.art] : undefined;
    const holder = anchor.art ? CONTAINERS[anchor.art] : undefined;
    const mount = mountOf(anchor.art ?? null);
    const k = it.relation.kind;
    const spread = (fill: number) => {
      const mates = onSame(i);
      const n = mates.length;
      const step = (widthOf(it.relation!.to) * fill) / n;
      return b.x + (mates.indexOf(i) - (n - 1) / 2) * step;
    };
    if ((k === "on-top-of" || k === "inside") && (surface || holder)) {
      const line = b.y - b.size / 2 + (holder ? holder.rim : surface!.top) * b.size;
      a.x = clamp(spread(holder ? 0.55 : 0.8));
      // Inside: the lower part below the rim, hidden by the container's front; on: resting on it.
      a.y = clamp(holder && holder.holds === "inside" ? line - a.size * 0.2 : line - a.size / 2);
      return;
    }
    if (k === "on-top-of" && seatOf(anchor.art) && it.cls === "person") {
      // Sitting on it: at its x, feet on its floor (the picture bends the legs at its seat).
      a.x = b.x;
      a.y = clamp(b.y + b.size / 2 - a.size / 2);
      return;
    }
    if (k === "at" && surface) {
      // Everyone at this table, over all subjects, takes a seat in prompt order.
      let first = 0;
      let total = 0;
      items.forEach((o, j) => {
        if (o.relation?.kind !== "at" || o.relation.to !== it.relation!.to) return;
        if (j < i) first += Math.max(1, o.count);
        total += Math.max(1, o.count);
      });
      const n = Math.max(1, it.count);
      let dx = 0;
      for (let j = 0; j < n; j++)
        dx += seatAt(first + j, total, widthOf(it.relation.to), (a.size * 0.35) / (16 / 9)).dx / n;
      a.x = clamp(b.x + dx);
      const seat = seatAt(first, total, 1, 0);
      if (n === 1 && seat.facing !== 0) a.facing = seat.facing;
      a.y = clamp(b.y + b.size / 2 - 0.015 - a.size / 2);
      return;
    }
    if (k === "riding" && mount) {
      const seat = b.y - b.size / 2 + mount.seat * b.size;
      a.x = b.x;
      a.y = clamp(
        mount.stand
          ? seat - a.size / 2
          : it.cls === "person"
            ? seat - a.size * 0.03
            : seat - a.size * 0.35,
      );
      return;
    }
    const gap = Math.max(0.18, (a.size + b.size) * 0.38);
    switch (it.relation.kind) {
      case "left-of":
      case "right-of": {
        // The pair straddles the anchor's column: A on the stated side, bottoms aligned.
        const side = it.relation.kind === "left-of" ? -1 : 1;
        const centre = columns.length <= 1 ? 0.5 : b.x;
        b.x = clamp(centre - (side * gap) / 2);
        a.x = clamp(b.x + side * gap);
        a.y = clamp(b.y + b.size / 2 - a.size / 2);
        break;
      }
      case "above":
        a.x = b.x;
        b.y = clamp(Math.max(b.y, 0.5 + b.size / 2 - 0.05));
        a.y = clamp(b.y - b.size / 2 - a.size / 2 - 0.04);
        break;
      case "below":
        a.x = b.x;
        b.y = clamp(Math.min(b.y, 0.42));
        a.y = clamp(b.y + b.size / 2 + a.size / 2 + 0.04);
        break;
      case "on-top-of":
      case "riding":
        a.x = b.x;
        a.y = clamp(
          b.y - b.size / 2 - a.size / 2 + (it.relation.kind === "riding" ? a.size * 0.35 : 0.01),
        );
        break;
      case "under": {
        a.x = b.x;
        // Under a chair, a bench or a table: on the same floor, between its legs, no taller than
        // the room beneath its seat or top (B stays standing where it is).
        const seat = seatOf(anchor.art);
        const top = seat ? seat.seat : surface?.floor ? surface.top + 0.08 : undefined;
        if (top !== undefined) {
          a.size = round(Math.min(a.size, (1 - top) * b.size * 0.85));
          a.y = clamp(b.y + b.size / 2 - a.size / 2);
          break;
        }
        // Else at the foot of B, smaller than it: B's bottom edge runs through A's centre.
        if (a.size > b.size * 0.7) a.size = round(b.size * 0.7);
        b.y = clamp(Math.min(b.y, 0.5));
        a.y = clamp(b.y + b.size / 2);
        break;
      }
      case "next-to":
        if (Math.abs(a.x - b.x) < gap) a.x = clamp(b.x + gap * (b.x > 0.6 ? -1 : 1));
        a.y = clamp(b.y + b.size / 2 - a.size / 2);
        break;
      case "in-front-of":
        a.size = Math.min(0.8, a.size * 1.15);
        a.x = clamp(b.x + 0.08);
        a.y = clamp(b.y + 0.08);
        break;
      case "behind":
        a.size = a.size * 0.8;
        a.x = clamp(b.x - 0.08);
        a.y = clamp(b.y - 0.08);
        break;
      case "holding": {
        // The held thing sits at the holder's hand, in front of them, at a third of their height.
        const held = b;
        held.size = Math.min(held.size, a.size * 0.35);
        // At its real size in their hand when both heights are known (a camera, not a suitcase).
        const [ha, hb] = [typicalHeight(it.art), typicalHeight(items[it.relation.to]!.art)];
        if (ha && hb)
          held.size = round(Math.min(held.size, Math.max(MIN_SCALED_SIZE, (a.size * hb) / ha)));
        held.x = clamp(a.x + it.facing * a.size * 0.22);
        held.y = clamp(a.y + a.size * 0.05);
        break;
      }
      case "inside":
        a.x = b.x;
        a.y = b.y;
        a.size = Math.min(a.size, b.size * 0.6);
        break;
    }
  });
  // "A woman on a chair reading a book": the book is in her hands, as a held thing is.
  items.forEach((it, i) => {
    if (!it.reads || it.cls !== "person") return;
    const j = objectOf(items, i, isReadable);
    if (j < 0) return;
    const a = places[i]!;
    const book = places[j]!;
    book.size = round(Math.min(book.size, a.size * 0.2));
    book.x = clamp(a.x + it.facing * a.size * 0.22);
    book.y = clamp(a.y + a.size * 0.05);
  });
  // "A child kicking a ball": the ball rests at the kicker's front foot, on their floor.
  items.forEach((it, i) => {
    if (!it.kicks || it.relation) return;
    const j = objectOf(items, i, isKickable);
    if (j < 0) return;
    const a = places[i]!;
    const ball = places[j]!;
    ball.x = clamp(a.x + (it.facing * (a.size * KICK_REACH + ball.size * 0.5)) / (16 / 9));
    ball.y = clamp(a.y + a.size / 2 - ball.size / 2);
  });
  return places.map((p) => {
    const out: Place = { x: round(clamp(p.x)), y: round(clamp(p.y)), size: round(p.size) };
    if (p.facing) out.facing = p.facing;
    return out;
  });
}
