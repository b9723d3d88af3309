import type { Motion } from "../understand.ts";

/**
 * How a subject moves: its offset from its planned place, its turn and its squash at a moment of
 * the shot, by its motion. Pure (no canvas), so the paths are unit-tested: at the middle of the
 * shot every motion is exactly at the planned place (offset 0), and whatever travels moves the
 * way it faces.
 */

export interface Pose {
  /** Offset from the planned place, in the units of `size` (world pixels). */
  dx: number;
  dy: number;
  /** Turn, radians (clockwise), about the drawing's centre. */
  rot: number;
  /** Squash and stretch (1 = none), applied before the facing mirror. */
  sx: number;
  sy: number;
  /** Gait phase in cycles (a leg or wing cycle), for rigs that animate limbs. */
  cycle: number;
}

export interface MotionInput {
  motion: Motion;
  /** Seconds of action time from the middle of the shot (negative before it). */
  t: number;
  /** Half the shot's action length in seconds (the travel is kept inside the frame). */
  half: number;
  /** The subject's drawn height and the frame's width, in world pixels. */
  size: number;
  frameW: number;
  facing: 1 | -1;
  /** 0..1, staggers instances of a crowd so they do not move in lockstep. */
  phase: number;
  /** Gait cycles per second when a timeline sets them (footsteps), else the motion's own. */
  cyclesPerSecond?: number;
}

/** Travel speed of each motion, in frame widths per second (before the keep-in-frame cap). */
export const TRAVEL: Record<Motion, number> = {
  still: 0,
  walk: 0.09,
  run: 0.2,
  gallop: 0.26,
  hop: 0.1,
  fly: 0.22,
  swim: 0.1,
  drive: 0.3,
  sail: 0.045,
  roll: 0.16,
  spin: 0,
  fall: 0,
  float: 0.02,
  slither: 0.05,
  sway: 0,
  bounce: 0,
};

/** Gait cycles per second (one cycle = two steps, one wing beat, one bounce). */
export const CYCLES: Record<Motion, number> = {
  still: 0.25,
  walk: 1,
  run: 1.6,
  gallop: 2.2,
  hop: 1.2,
  fly: 3,
  swim: 0.8,
  drive: 0,
  sail: 0.35,
  roll: 0,
  spin: 0.5,
  fall: 0.4,
  float: 0.25,
  slither: 0.7,
  sway: 0.3,
  bounce: 1,
};

/** The largest travel either side of the place, in frame widths, over the whole shot. */
export const MAX_TRAVEL = 0.32;

/** Horizontal speed in world pixels per second, signed by facing, capped to stay in frame. */
export function travelSpeed(i: Pick<MotionInput, "motion" | "half" | "frameW" | "facing">): number {
  const v = TRAVEL[i.motion] * i.frameW;
  const cap = i.half > 0 ? (MAX_TRAVEL * i.frameW) / i.half : v;
  return Math.min(v, cap) * i.facing;
}

export function motionPose(i: MotionInput): Pose {
  const { t, size: S, phase } = i;
  const v = travelSpeed(i);
  const cps = i.cyclesPerSecond ?? CYCLES[i.motion];
  const cycle = t * cps + phase;
  const w = 2 * Math.PI * cycle;
  const p: Pose = { dx: v * t, dy: 0, rot: 0, sx: 1, sy: 1, cycle };
  switch (i.motion) {
    case "still": {
      // Breathing: barely there, so a still subject is alive but stays where it was put.
      p.sy = 1 + 0.012 * Math.sin(w);
      break;
    }
    case "walk":
      p.dy = -Math.abs(Math.sin(w)) * S * 0.025;
      p.rot = 0.025 * Math.sin(w) * i.facing;
      break;
    case "run":
      p.dy = -Math.abs(Math.sin(w)) * S * 0.06;
      p.rot = 0.06 * i.facing;
      break;
    case "gallop":
      // The body rises and pitches with each stride; legs reach (stretch) and gather (squash).
      p.dy = -Math.max(0, Math.sin(w)) * S * 0.1;
      p.rot = 0.1 * Math.sin(w + 0.9) * i.facing;
      p.sx = 1 + 0.05 * Math.sin(w);
      p.sy = 1 - 0.05 * Math.sin(w);
      break;
    case "hop": {
      const h = Math.abs(Math.sin(Math.PI * cycle));
      p.dy = -h * S * 0.35;
      p.sy = 1 + 0.08 * (h - 0.5);
      p.sx = 1 - 0.06 * (h - 0.5);
      break;
    }
    case "fly": {
      // An arc: highest at the middle of the shot, lower at its ends; wings beat as a squash.
      const k = i.half > 0 ? t / i.half : 0;
      p.dy = k * k * S * 0.9;
      p.rot = Math.atan2(2 * k * S * 0.9, i.half > 0 ? v * i.half : 1) * 0.5;
      p.sy = 1 + 0.07 * Math.sin(w);
      p.dy += Math.sin(w) * S * 0.03;
      break;
    }
    case "swim":
      p.dy = Math.sin(w) * S * 0.12;
      p.rot = -Math.cos(w) * 0.18 * i.facing;
      p.sx = 1 + 0.04 * Math.sin(w * 2);
      break;
    case "drive":
      // Wheels on the ground: only a small engine shudder.
      p.dy = Math.sin(t * 40) * S * 0.006;
      break;
    case "sail":
      p.dy = Math.sin(w) * S * 0.05;
      p.rot = 0.06 * Math.sin(w + 1.1);
      break;
    case "roll":
      // Rolling without slipping: the turn is the distance over the radius.
      p.rot = (v * t) / (S / 2);
      break;
    case "spin":
      p.rot = w;
      break;
    case "fall":
      // Falls through the place at mid-shot, tumbling.
      p.dy = S * 0.8 * t;
      p.rot = 0.6 * t + 0.2 * Math.sin(w);
      break;
    case "float":
      p.dy = Math.sin(w) * S * 0.08;
      p.rot = 0.08 * Math.sin(w * 0.7);
      break;
    case "slither":
      p.sy = 1 + 0.08 * Math.sin(w);
      p.sx = 1 - 0.05 * Math.sin(w);
      break;
    case "sway":
      p.rot = 0.08 * Math.sin(w);
      break;
    case "bounce":
      p.dy = -Math.abs(Math.sin(Math.PI * cycle)) * S * 0.6;
      p.sy = 1 - 0.12 * Math.max(0, 1 - Math.abs(Math.sin(Math.PI * cycle)) * 4);
      p.sx = 1 + 0.1 * Math.max(0, 1 - Math.abs(Math.sin(Math.PI * cycle)) * 4);
      break;
  }
  return p;
}

/** The frame a plan's places hold at exactly (the middle of the shot). */
export function midFrameOf(frames: number): number {
  return Math.floor(frames / 2);
}
