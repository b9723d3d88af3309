import type { ArtClass } from "./lexicon.server.ts";
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
 */

export interface LayoutItem {
  cls: ArtClass;
  motion: Motion;
  count: number;
  relation: { kind: RelationKind; to: number } | null;
  facing: 1 | -1;
}

export interface Place {
  x: number;
  y: number;
  size: number;
}

const GROUND = 0.7;

function baseSize(cls: ArtClass, shot: ShotType): number {
  const s =
    cls === "person"
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
  if (setting === "underwater" || setting === "space" || setting === "sky") return 0.5;
  if (item.motion === "swim" || item.motion === "sail")
    return setting === "ocean" || setting === "lake" ? 0.62 : 0.6;
  return Math.min(0.9, GROUND - size / 2 + 0.12);
}

const clamp = (v: number, lo = 0.06, hi = 0.94) => Math.min(hi, Math.max(lo, v));
const round = (v: number) => Math.round(v * 1000) / 1000;

export function layout(items: LayoutItem[], shot: ShotType, setting: SettingKind): Place[] {
  const places: Place[] = items.map((it) => {
    const size = baseSize(it.cls, shot);
    return { x: 0.5, y: baseY(it, size, setting), size };
  });
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
  // Relations, last first: an anchor is placed (against its own anchor) before what leans on it
  // ("a man riding a horse next to a giraffe": the horse beside the giraffe, then the man on it).
  const order = items.map((_, i) => i).reverse();
  order.forEach((i) => {
    const it = items[i]!;
    if (!it.relation) return;
    const a = places[i]!;
    const b = places[it.relation.to]!;
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
      case "under":
        // At the foot of B, smaller than it: B's bottom edge runs through A's centre.
        a.x = b.x;
        if (a.size > b.size * 0.7) a.size = round(b.size * 0.7);
        b.y = clamp(Math.min(b.y, 0.5));
        a.y = clamp(b.y + b.size / 2);
        break;
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
  return places.map((p) => ({ x: round(clamp(p.x)), y: round(clamp(p.y)), size: round(p.size) }));
}
