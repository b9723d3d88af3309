import { isPlanned, type PlannedSubject } from "./picture/cast.ts";
import { CYCLES, midFrameOf, motionPose, travelSpeed } from "./picture/motion.ts";
import type { Timeline, TimelineEvent } from "./timeline.ts";
import type { ShotSpec } from "./understand.ts";

/**
 * The sounds a planned subject makes where one is typical, on the frames where the picture shows
 * the moment: hooves on a gallop's footfalls, paws on an animal's steps and hops, wing beats on a
 * bird's downstrokes, a wash of water on a boat's or swimmer's dip, a bell at each swing, and an
 * engine under whatever drives or flies by machine for as long as it is in frame. The frames come
 * from the same gait cycles `motion.ts` animates with, so picture and sound agree.
 */

const AIRCRAFT =
  /^(airplane|small-airplane|airplane-departure|airplane-arrival|helicopter|rocket|flying-saucer)$/;
const AIRCRAFT_WORD = /plane|jet|helicopter|rocket|drone|ufo|spaceship|aircraft/;

export type SubjectSound = "hoof" | "paw" | "wing" | "engine" | "wave" | "bell";

/** Which sound a subject makes, from its motion, its drawing and its word; undefined: none. */
export function soundOf(s: PlannedSubject): SubjectSound | undefined {
  const art = s.art ?? "";
  const noun = s.noun.toLowerCase();
  if (/bell/.test(art) || /\bbell\b/.test(noun)) return "bell";
  const machine = AIRCRAFT.test(art) || AIRCRAFT_WORD.test(noun);
  if (s.motion === "drive" || (machine && (s.motion === "fly" || s.motion === "float")))
    return "engine";
  if (s.kind === "person" || s.kind === "musician") return undefined; // the rig's own footsteps
  switch (s.motion) {
    case "gallop":
      return "hoof";
    case "walk":
    case "run":
    case "hop":
      return "paw";
    case "fly":
      return "wing";
    case "sail":
    case "swim":
      return "wave";
    default:
      return undefined;
  }
}

/** Where in each gait cycle the sound falls (fractions of a cycle). */
const BEATS: Record<Exclude<SubjectSound, "engine">, number[]> = {
  // A gallop's three-beat footfall, from touchdown (the body is lowest from half a cycle on).
  hoof: [0.5, 0.62, 0.74],
  paw: [0, 0.5],
  wing: [0.25],
  wave: [0.25],
  bell: [0.25, 0.75],
};

export function subjectSoundEvents(spec: ShotSpec, tl: Timeline, frameW = 1): TimelineEvent[] {
  if (!isPlanned(spec)) return [];
  const events: TimelineEvent[] = [];
  const mid = midFrameOf(tl.planFrames);
  const half = ((tl.planFrames - 1 - mid) / tl.fps) * tl.speed;
  const subjects = spec.subjects as PlannedSubject[];
  subjects.forEach((s, i) => {
    const sound = soundOf(s);
    if (!sound) return;
    const v = travelSpeed({ motion: s.motion, half, frameW, facing: s.facing });
    const seconds = (f: number) => ((f - mid) / tl.fps) * tl.speed;
    const screenX = (f: number) => s.place.x + (v * seconds(f)) / frameW;
    const inFrame = (f: number) => screenX(f) > -0.05 && screenX(f) < 1.05;
    const pan = (f: number) => Math.max(-0.8, Math.min(0.8, (screenX(f) - 0.5) * 1.4));
    const strength = Math.min(1, 0.55 + 0.1 * Math.min(4, s.count - 1));
    if (sound === "engine") {
      const visible = [...Array(tl.frames).keys()].filter(inFrame);
      if (visible.length === 0) return;
      const first = visible[0]!;
      events.push({
        kind: "engine",
        frame: first,
        frames: visible[visible.length - 1]! - first + 1,
        strength,
        subject: i,
        pan: pan(mid),
      });
      return;
    }
    // A bell that is not swinging rings every two seconds.
    const cps = sound === "bell" && s.motion !== "sway" ? 0.5 : CYCLES[s.motion];
    if (!(cps > 0)) return;
    const beats = sound === "bell" && s.motion !== "sway" ? [0] : BEATS[sound];
    const framesPerCycle = tl.fps / (cps * tl.speed);
    const k0 = Math.floor(-mid / framesPerCycle) - 1;
    const k1 = Math.ceil((tl.frames - mid) / framesPerCycle) + 1;
    for (let k = k0; k <= k1; k++)
      for (const b of beats) {
        const f = Math.round(mid + (k + b) * framesPerCycle);
        if (f < 1 || f >= tl.frames - 1 || !inFrame(f)) continue;
        events.push({ kind: sound, frame: f, strength, subject: i, pan: pan(f) });
      }
  });
  return events;
}

/** The gait phase a subject is at on `frame` (for tests: the sound lands on the picture's beat). */
export function cycleAt(s: PlannedSubject, tl: Timeline, frame: number): number {
  const mid = midFrameOf(tl.planFrames);
  const t = ((frame - mid) / tl.fps) * tl.speed;
  return motionPose({
    motion: s.motion,
    t,
    half: 1,
    size: 1,
    frameW: 1,
    facing: s.facing,
    phase: 0,
  }).cycle;
}
