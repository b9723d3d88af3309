import { CONTAINERS, MADE_ART, SURFACES, seatAt } from "@reelhouse/shared/understanding/drawings";
import {
  MAX_COUNT,
  type Motion,
  type ShotSpec,
  type Subject,
  type SubjectPlan,
} from "../understand.ts";

/**
 * The cast of a planned shot: every subject of the plan, each `count` times (up to a crowd), at
 * its planned place, in the order they are painted (far to near). Pure: positions are fractions
 * of the frame at the middle of the shot, exactly as the plan gives them for a single subject.
 */

/** The most instances of one subject drawn ("a thousand birds" is drawn as a flock of this many). */
export const CROWD_CAP = MAX_COUNT;

export type PlannedSubject = Subject & SubjectPlan;

export interface CastMember {
  /** Index into spec.subjects (speech and sound events name subjects by it). */
  subject: number;
  /** 0 for the subject itself, 1.. for the others of its count. */
  instance: number;
  /** Centre at mid-shot, fractions of the frame from the top left; `size` a fraction of height. */
  x: number;
  y: number;
  size: number;
  /** 0..1: staggers the gait of a crowd. */
  phase: number;
  /** Paint order key: larger is nearer (painted later). */
  depth: number;
  /** Overrides the subject's facing (two people at a table face each other). */
  facing?: 1 | -1;
}

/** True when understanding has planned every subject (the plan-driven drawing applies). */
export function isPlanned(spec: ShotSpec): spec is ShotSpec & { subjects: PlannedSubject[] } {
  return (
    spec.subjects.length > 0 &&
    spec.subjects.every(
      (s) =>
        s.noun !== undefined &&
        s.place !== undefined &&
        s.motion !== undefined &&
        s.facing !== undefined,
    )
  );
}

const airborne = (m: Motion) => m === "fly" || m === "float" || m === "fall";

/** Where the instances of one subject stand, relative to its place (fractions of the frame). */
export function fanOut(
  n: number,
  size: number,
  motion: Motion,
  aspect: number,
): { dx: number; dy: number; scale: number }[] {
  const out: { dx: number; dy: number; scale: number }[] = [];
  if (n <= 1) return [{ dx: 0, dy: 0, scale: 1 }];
  // Spacing in frame widths: about one drawing's width, tighter for a big crowd.
  const spacing = Math.min(0.9 / n, (size * 0.95) / aspect);
  for (let j = 0; j < n; j++) {
    const k = j - (n - 1) / 2;
    if (airborne(motion)) {
      // A flock: a loose V, the leader at the place.
      out.push({
        dx: k * spacing * 1.1,
        dy: Math.abs(k) * size * 0.35,
        scale: 1 - 0.05 * Math.abs(k),
      });
    } else {
      // A row on the ground, every other one a step back (higher and smaller: further away).
      const back = j % 2 === 1 ? 1 : 0;
      out.push({ dx: k * spacing, dy: -back * size * 0.12, scale: back ? 0.88 : 1 });
    }
  }
  return out;
}

/** Paint order from the relations: what is behind first, what rides or is held after its mount. */
function depthOf(
  spec: { subjects: PlannedSubject[] },
  i: number,
  seen = new Set<number>(),
): number {
  const s = spec.subjects[i]!;
  const base = s.place.y + s.place.size / 2;
  const rel = s.relation;
  if (!rel || seen.has(i) || !spec.subjects[rel.to]) return base;
  seen.add(i);
  const other = depthOf(spec, rel.to, seen);
  switch (rel.kind) {
    case "behind":
      return Math.min(base, other - 0.01);
    case "at":
    case "inside":
      // Behind the table's top, inside the container's front: painted before it.
      return Math.min(base, other - 0.01);
    case "in-front-of":
    case "riding":
    case "holding":
    case "on-top-of":
      return Math.max(base, other + 0.01);
    default:
      return base;
  }
}

/**
 * The instances to draw, far to near. `aspect` is the frame's width over its height (a subject's
 * size is a fraction of the height; spacing is in widths).
 */
export function castOf(spec: { subjects: PlannedSubject[] }, aspect: number): CastMember[] {
  const cast: CastMember[] = [];
  const xs = composedX(spec, aspect);
  spec.subjects.forEach((s, i) => {
    const n = Math.max(1, Math.min(CROWD_CAP, Math.round(s.count || 1)));
    const depth = depthOf(spec, i);
    fanFor(spec, i, n, aspect, xs).forEach((o, j) => {
      const m: CastMember = {
        subject: i,
        instance: j,
        x: xs[i]! + o.dx,
        y: s.place.y + o.dy,
        size: s.place.size * o.scale,
        phase: j === 0 ? 0 : (j * 0.37) % 1,
        depth: depth - (o.scale < 1 ? 0.001 * j : 0),
      };
      if (o.facing) m.facing = o.facing;
      cast.push(m);
    });
  });
  // Stable: equal depths keep the plan's order.
  return cast
    .map((c, k) => ({ c, k }))
    .sort((a, b) => a.c.depth - b.c.depth || a.k - b.k)
    .map(({ c }) => c);
}

type Offset = { dx: number; dy: number; scale: number; facing?: 1 | -1 };

/** Whether a subject's place was laid out across its anchor's width (on, in or at it). */
function composed(spec: { subjects: PlannedSubject[] }, i: number): boolean {
  const rel = spec.subjects[i]!.relation;
  const art = rel ? (spec.subjects[rel.to]?.art ?? "") : "";
  if (!rel) return false;
  if (rel.kind === "at") return !!SURFACES[art];
  return (
    (rel.kind === "on-top-of" || rel.kind === "inside") && !!(SURFACES[art] || CONTAINERS[art])
  );
}

/**
 * Each subject's x in this frame. The plan lays out what is on, in or at a thing across that
 * thing's width in a 16:9 frame; in another aspect the thing is wider or narrower in frame widths,
 * so those offsets from it scale with it (exactly the plan at 16:9).
 */
function composedX(spec: { subjects: PlannedSubject[] }, aspect: number): number[] {
  const k = 16 / 9 / aspect;
  const memo = new Map<number, number>();
  const x = (i: number, depth = 0): number => {
    const hit = memo.get(i);
    if (hit !== undefined) return hit;
    const s = spec.subjects[i]!;
    let v = s.place.x;
    if (composed(spec, i) && depth < spec.subjects.length) {
      const to = s.relation!.to;
      v = x(to, depth + 1) + (s.place.x - spec.subjects[to]!.place.x) * k;
    }
    memo.set(i, v);
    return v;
  };
  return spec.subjects.map((_, i) => x(i));
}

/** Width of a subject's drawing in frame widths (hand-made drawings know their aspect). */
function widthOf(s: PlannedSubject, aspect: number): number {
  return (s.place.size * (MADE_ART[s.art ?? ""]?.aspect ?? 1)) / aspect;
}

/**
 * How a subject's instances spread, by its relation: riders keep their mounts' spread; things on
 * a surface or in a container share its width (a pile in a bowl, a row on a shelf); two people
 * at a table stand at its two ends facing each other, more stand behind it; else `fanOut`.
 */
function fanFor(
  spec: { subjects: PlannedSubject[] },
  i: number,
  n: number,
  aspect: number,
  xs: number[],
): Offset[] {
  const s = spec.subjects[i]!;
  const rel = s.relation;
  const to = rel ? spec.subjects[rel.to] : undefined;
  if (!rel || !to) return fanOut(n, s.place.size, s.motion, aspect);
  if (rel.kind === "riding") {
    const mn = Math.max(1, Math.min(CROWD_CAP, Math.round(to.count || 1)));
    if (mn === n) return fanOut(n, to.place.size, to.motion, aspect);
  }
  const art = to.art ?? "";
  const w = widthOf(to, aspect);
  if (rel.kind === "at" && SURFACES[art]) {
    // Everyone at this table, over all subjects, takes a seat in prompt order.
    let first = 0;
    let total = 0;
    spec.subjects.forEach((o, k) => {
      if (o.relation?.kind !== "at" || o.relation.to !== rel.to) return;
      const c = Math.max(1, Math.min(CROWD_CAP, Math.round(o.count || 1)));
      if (k < i) first += c;
      total += c;
    });
    const pw = (s.place.size * 0.35) / aspect;
    // Offsets from this subject's place, in this frame's aspect (the plan's seats are for 16:9;
    // in a portrait frame the table takes more of the width, so the seats move out with it).
    const tx = xs[rel.to]!;
    const seats = Array.from({ length: total }, (_, k) => seatAt(k, total, w, pw));
    // Where the table's ends are out of the frame (a portrait frame), they stand behind it.
    const out = seats.some((q) => tx + q.dx < pw / 2 || tx + q.dx > 1 - pw / 2);
    return Array.from({ length: n }, (_, j): Offset => {
      const seat = seats[first + j]!;
      const dx = out && total === 2 ? (seat.dx < 0 ? -w * 0.22 : w * 0.22) : seat.dx;
      const o: Offset = { dx: tx + dx - xs[i]!, dy: 0, scale: 1 };
      if (seat.facing) o.facing = seat.facing;
      return o;
    });
  }
  if (
    n > 1 &&
    (rel.kind === "inside" || rel.kind === "on-top-of") &&
    (CONTAINERS[art] || SURFACES[art])
  ) {
    // The place is already the spot this subject takes among the anchor's things: its own share.
    const fill = CONTAINERS[art] ? 0.6 : 0.8;
    if (art === "vase") {
      // A bouquet: a fan of heads over the neck, the middle one highest.
      return Array.from({ length: n }, (_, j) => {
        const k = j - (n - 1) / 2;
        return {
          dx: (k * s.place.size * 0.55) / aspect,
          dy: Math.abs(k) * s.place.size * 0.35,
          scale: 1,
        };
      });
    }
    const mates = spec.subjects.filter(
      (o) => o.relation?.to === rel.to && o.relation.kind === rel.kind,
    ).length;
    const share = (w * fill) / Math.max(1, mates);
    const step = Math.min(share / n, (s.place.size * 0.9) / aspect);
    return Array.from({ length: n }, (_, j) => ({
      dx: (j - (n - 1) / 2) * step,
      // A pile: every other one a little higher in a container, a row on a surface.
      dy: CONTAINERS[art] && j % 2 === 1 ? -s.place.size * 0.22 : 0,
      scale: 1,
    }));
  }
  return fanOut(n, s.place.size, s.motion, aspect);
}
