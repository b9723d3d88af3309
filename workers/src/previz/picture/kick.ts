/**
 * A kick ("a child kicking a ball", "a footballer kicks"): the front leg winds back, swings through
 * forward and up, and comes back down, once every KICK_PERIOD seconds; the standing leg stays
 * under the hips. Angles are from straight down, positive forward (the figure's facing turns
 * them into screen directions).
 */
export const KICK_PERIOD = 1.6;

export { isKickable, KICK_REACH, kicks } from "@reelhouse/shared/understanding/drawings";

/** The legs and arm at `t` seconds into the action. */
export function kickPose(t: number): { front: number; back: number; armA: number } {
  // Before the action starts, standing ready (the ball's first kick is the leg's first).
  if (t < 0) return { front: 0, back: -0.06, armA: 0.15 };
  const ph = (((t / KICK_PERIOD) % 1) + 1) % 1;
  const ease = (u: number) => u * u * (3 - 2 * u);
  let front: number;
  if (ph < 0.35)
    front = -0.45 * ease(ph / 0.35); // wind back
  else if (ph < 0.5)
    front = -0.45 + 1.75 * ease((ph - 0.35) / 0.15); // strike: fast, forward and up
  else if (ph < 0.8)
    front = 1.3 * (1 - ease((ph - 0.5) / 0.3)); // follow through, back down
  else front = 0;
  // The arms counter the leg, as a kicker balances.
  return { front, back: -0.06, armA: 0.15 + Math.max(0, front) * 0.45 };
}

/** Where in a kick's period the foot meets the ball (the leg swinging through, just forward). */
export const KICK_CONTACT = 0.42;

/**
 * The kicked ball at `t` seconds: resting at the foot until the first kick, then up from each kick
 * and back down onto the foot for the next (keepy-uppy). `lift` is a fraction of the kicker's
 * height, `spin` radians.
 */
export function kickedBall(t: number): { lift: number; spin: number } {
  const k = t / KICK_PERIOD - KICK_CONTACT;
  if (k < 0) return { lift: 0, spin: 0 };
  const u = k % 1;
  return { lift: 0.55 * 4 * u * (1 - u), spin: k * Math.PI * 2 };
}
