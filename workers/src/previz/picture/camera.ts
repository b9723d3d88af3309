import { rng } from "../prng.ts";
import type { Timeline } from "../timeline.ts";
import type { ShotSpec, ShotType } from "../understand.ts";

/** The camera path: one `Cam` a frame, from the shot's movement, speed and the subject's travel. */

export interface Cam {
  x: number;
  y: number;
  zoom: number;
  rot: number;
  /** Orbit angle, radians. */
  orbit: number;
  /** Subject's own world x (walking across / tracked). */
  subjectX: number;
}

export const shotZoom: Record<ShotType, number> = {
  "extreme-wide": 0.75,
  wide: 1,
  medium: 1.7,
  "over-the-shoulder": 1.6,
  "close-up": 2.4,
  "extreme-close-up": 3.2,
};

/**
 * `travel`, when given, is the lead subject's own travel (world pixels from its place) per frame:
 * a planned shot's subject moves by its motion, and the camera follows that instead of the action.
 */
export function cameraPath(
  spec: ShotSpec,
  tl: Timeline,
  W: number,
  H: number,
  travel?: (frame: number) => number,
): Cam[] {
  const r = rng(tl.seed, "camera");
  const cams: Cam[] = [];
  const c = spec.camera;
  const speed = c.speed === "slow" ? 0.6 : c.speed === "fast" ? 1.6 : 1;
  const dir = c.direction === "left" || c.direction === "up" ? -1 : 1;
  const z0 = shotZoom[spec.shotType];
  const z1 = c.endShot ? shotZoom[c.endShot] : c.direction === "out" ? z0 / 1.45 : z0 * 1.45;
  const walking =
    ["walk", "run"].includes(spec.action.kind) ||
    (spec.action.kind === "talk" && tl.stepFrames !== undefined);
  const walkSpeed = (spec.action.kind === "run" ? 0.16 : 0.07) * W * tl.speed; // px per second
  const phases = [r.next(), r.next(), r.next(), r.next()].map((p) => p * Math.PI * 2);
  const subjectMoves =
    (travel !== undefined && travel(0) !== travel(tl.frames - 1)) ||
    (walking && tl.stepFrames !== undefined) ||
    tl.catchFrame !== undefined ||
    spec.action.kind === "play" ||
    (spec.action.kind === "run" && !tl.stepFrames);
  // The move is planned over `planFrames`; past them (an extension) it stays where it ended: the
  // ease arrives at rest, so position and velocity carry on unbroken, while the handheld drift and
  // the subject's travel, which run on absolute time, keep going.
  const plan = tl.planFrames;
  for (let f = 0; f < tl.frames; f++) {
    const t = plan > 1 ? Math.min(1, f / (plan - 1)) : 0;
    const ease = t * t * (3 - 2 * t);
    const sec = f / tl.fps;
    let subjectX = 0;
    if (travel) {
      subjectX = travel(f);
    } else if (walking && tl.stepFrames) {
      subjectX = (sec - plan / tl.fps / 2) * walkSpeed * (c.direction === "left" ? -1 : 1);
    } else if (tl.catchFrame !== undefined) {
      // Run in towards the frisbee, leap at the catch, trot on a little after it.
      const u = Math.min(1, f / tl.catchFrame);
      subjectX = (-0.3 + 0.4 * (u * (2 - u)) + Math.max(0, (f - tl.catchFrame) / plan) * 0.15) * W;
    } else if (spec.action.kind === "play" || (spec.action.kind === "run" && !tl.stepFrames)) {
      subjectX = Math.sin(sec * tl.speed * 0.6) * W * 0.15;
    }
    const cam: Cam = { x: 0, y: 0, zoom: z0, rot: 0, orbit: 0, subjectX };
    switch (c.movement) {
      case "pan":
        cam.x = dir * (ease - 0.5) * 0.5 * W * speed;
        break;
      case "tilt":
        cam.y = dir * (ease - 0.5) * 0.45 * H * speed;
        break;
      case "dolly":
      case "zoom":
        cam.zoom = z0 + (z1 - z0) * ease;
        break;
      case "tracking":
        cam.x = subjectMoves ? subjectX : (ease - 0.5) * 0.4 * W * dir;
        break;
      case "orbit":
        cam.orbit = (ease - 0.5) * 1.3 * speed * (c.direction === "left" ? -1 : 1);
        break;
      case "handheld":
        break;
      case "static":
        cam.zoom = z0 * (1 + 0.015 * ease); // a barely-there creep keeps it alive
        break;
    }
    if (c.movement === "handheld" || spec.style === "documentary") {
      const a = c.movement === "handheld" ? 1 : 0.4;
      cam.x +=
        a * W * 0.008 * (Math.sin(sec * 1.7 + phases[0]!) + 0.5 * Math.sin(sec * 4.3 + phases[1]!));
      cam.y +=
        a * H * 0.006 * (Math.sin(sec * 2.1 + phases[2]!) + 0.5 * Math.sin(sec * 5.1 + phases[3]!));
      cam.rot = a * 0.008 * Math.sin(sec * 1.3 + phases[1]!);
    }
    if (c.movement !== "tracking" && c.movement !== "pan") {
      // Keep a moving subject in frame: the camera drifts after them, more so when following.
      cam.x += subjectX * (c.follows ? 0.9 : 0.6);
    }
    cams.push(cam);
  }
  return cams;
}
