/**
 * Where a finger swipe on the vertical feed lands: exactly one item on, one item back, or where
 * it started. Native scroll snap alone let a hard flick skip an item in Chromium (scroll-snap-stop
 * did not hold) and sometimes ignored a short swipe, so VerticalFeed follows the finger itself and
 * asks this function where to settle. Pure, so the rule is unit-tested (swipe.test.ts).
 */
export const SWIPE = {
  /** Finger travel (px) before a touch counts as a drag rather than a tap. */
  slopPx: 8,
  /** A drag over this share of the screen's height moves on even when released slowly. */
  distance: 0.2,
  /** A flick faster than this (px/ms) moves on whatever its length past the slop. */
  velocity: 0.3,
  /** Only the movement of the last this-many ms counts towards the release velocity. */
  velocityWindowMs: 100,
} as const;

export type SwipeRelease = {
  /** The item the drag started on. */
  from: number;
  /** Finger travel since the start, px; negative = the finger went up (towards the next item). */
  dy: number;
  /** Finger velocity at release, px/ms, same sign convention as `dy`. */
  vy: number;
  /** Height of one item (the screen), px. */
  height: number;
  /** Number of items. */
  count: number;
};

/** The index to settle on: `from`, `from + 1` or `from - 1`, never further, never out of range. */
export function swipeTarget({ from, dy, vy, height, count }: SwipeRelease): number {
  if (Math.abs(dy) < SWIPE.slopPx) return from;
  const fast = Math.abs(vy) >= SWIPE.velocity;
  // Flicked back against the drag: the person changed their mind.
  if (fast && Math.sign(vy) !== Math.sign(dy)) return from;
  if (!fast && Math.abs(dy) < SWIPE.distance * height) return from;
  const next = from + (dy < 0 ? 1 : -1);
  return Math.max(0, Math.min(count - 1, next));
}

/** Velocity (px/ms) over the samples of the last `SWIPE.velocityWindowMs` before the last one. */
export function releaseVelocity(samples: { t: number; y: number }[]): number {
  const last = samples.at(-1);
  if (!last) return 0;
  const first =
    samples.find((s) => last.t - s.t <= SWIPE.velocityWindowMs && s !== last) ?? samples[0]!;
  const dt = last.t - first.t;
  return dt > 0 ? (last.y - first.y) / dt : 0;
}
