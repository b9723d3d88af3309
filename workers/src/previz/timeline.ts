import { rng } from "./prng.ts";
import { subjectSoundEvents } from "./subject-sounds.ts";
import type { ShotSpec } from "./understand.ts";

/**
 * The shared clock of picture and sound: from the shot spec, the duration and the seed, every event
 * gets an exact frame number. The picture draws each event on its frame and the sound starts it at
 * sample `frame / fps * sampleRate`, so they cannot drift apart. Pure: no Math.random, no Date.
 */

export type EventKind =
  | "footstep"
  | "splash"
  | "impact"
  | "whoosh"
  | "bark"
  | "drum"
  | "thunder"
  // A planned subject's own sounds (subject-sounds.ts).
  | "hoof"
  | "paw"
  | "wing"
  | "engine"
  | "wave"
  | "bell";

export interface TimelineEvent {
  kind: EventKind;
  frame: number;
  /** 0..1 loudness / visual size. */
  strength: number;
  /** Which subject makes it (index into spec.subjects), when one does. */
  subject?: number;
  /** Footsteps: which foot (-1 left, 1 right). */
  side?: -1 | 1;
  /** A sustained sound (an engine): how many frames it lasts from `frame`. */
  frames?: number;
  /** Stereo position -1..1 (where the subject is across the frame). */
  pan?: number;
}

export interface DialogueSpan {
  speaker: string;
  text: string;
  startFrame: number;
  /** Exclusive. */
  endFrame: number;
  /** Which subject speaks (their mouth moves). */
  subject: number;
}

export interface Timeline {
  fps: number;
  frames: number;
  /**
   * The frames the plan is laid over: the camera move, the events placed as a share of the clip
   * (throw and catch, barks, thunder) and the subjects' paths, centred on its middle. It is
   * `frames` unless the clip carries a shorter clip's plan on (Extend): then the first
   * `planFrames` are that clip's frames and the rest continues them.
   */
  planFrames: number;
  seed: number;
  /** How fast the action runs: 1 normal, < 1 slow motion, > 1 time-lapse. */
  speed: number;
  /** Frames per walk/run step when the subject walks or runs. */
  stepFrames?: number;
  /** Frame of the first foot contact. */
  firstStepFrame?: number;
  /** Music beats (frame numbers) when there is music or a performer keeps time. */
  beats: number[];
  beatFrames: number;
  /** Catch: the throw and the catch frames. */
  throwFrame?: number;
  catchFrame?: number;
  events: TimelineEvent[];
  dialogue: DialogueSpan[];
}

export interface TimelineOptions {
  durationSeconds: number;
  fps: number;
  seed: number;
  /** Measured length of each dialogue line's speech, in seconds (from TTS). */
  speechSeconds?: number[];
  /** Lay the plan over this many seconds and carry it on past them (`Timeline.planFrames`). */
  planSeconds?: number;
}

export function buildTimeline(spec: ShotSpec, o: TimelineOptions): Timeline {
  const frames = Math.round(o.durationSeconds * o.fps);
  const planSeconds = Math.min(o.planSeconds ?? o.durationSeconds, o.durationSeconds);
  const planFrames = Math.round(planSeconds * o.fps);
  const r = rng(o.seed, "timeline");
  const speed = spec.pacing === "slow-motion" ? 0.4 : spec.pacing === "time-lapse" ? 3 : 1;
  const events: TimelineEvent[] = [];
  const lead = spec.subjects[0]!;

  // Beats: the music's tempo, or a performer's.
  const tempo = spec.audio.music?.tempo ?? (spec.action.kind === "perform" ? 100 : 0);
  const beatFrames = tempo > 0 ? (o.fps * 60) / tempo : 0;
  const beats: number[] = [];
  if (beatFrames > 0) {
    const start = Math.round(o.fps * 0.25);
    for (let b = 0; start + b * beatFrames < frames; b++)
      beats.push(Math.round(start + b * beatFrames));
  }

  const tl: Timeline = {
    fps: o.fps,
    frames,
    planFrames,
    seed: o.seed,
    speed,
    beats,
    beatFrames,
    events,
    dialogue: [],
  };

  // Walking and running: a foot lands every step; in the rain each step splashes.
  const moving =
    spec.action.kind === "walk" ||
    spec.action.kind === "run" ||
    (spec.action.kind === "talk" && spec.audio.effects.includes("footsteps"));
  if (moving && lead.kind !== "cup" && lead.kind !== "car" && lead.kind !== "bird") {
    const base =
      spec.action.kind === "run" ? 0.3 : lead.kind === "dog" || lead.kind === "cat" ? 0.28 : 0.5;
    const step = Math.max(4, Math.round((base * o.fps) / speed));
    const first = Math.round(r.range(0.2, 0.5) * step) + 3;
    tl.stepFrames = step;
    tl.firstStepFrame = first;
    let side: -1 | 1 = -1;
    for (let f = first; f < frames - 2; f += step) {
      events.push({
        kind: "footstep",
        frame: f,
        strength: spec.action.kind === "run" ? 0.9 : 0.6,
        subject: 0,
        side,
      });
      if (spec.weather === "rain" || spec.audio.effects.includes("splash")) {
        events.push({ kind: "splash", frame: f, strength: 0.5, subject: 0, side });
      }
      side = side === -1 ? 1 : -1;
    }
  }

  // Catching: a throw (whoosh), the catch (impact) and the landing after the jump.
  if (spec.action.kind === "catch") {
    const throwFrame = Math.round(planFrames * r.range(0.12, 0.2));
    const flight = Math.round((o.fps * 1.1) / speed);
    const catchFrame = Math.min(planFrames - Math.round(o.fps * 0.8), throwFrame + flight);
    tl.throwFrame = throwFrame;
    tl.catchFrame = catchFrame;
    events.push({ kind: "whoosh", frame: throwFrame, strength: 0.6 });
    events.push({ kind: "impact", frame: catchFrame, strength: 1, subject: 0 });
    const land = catchFrame + Math.round((o.fps * 0.35) / speed);
    if (land < frames - 1)
      events.push({ kind: "footstep", frame: land, strength: 0.9, subject: 0, side: 1 });
  }

  // Jumping: a landing impact every hop.
  if (spec.action.kind === "jump") {
    const hop = Math.round((o.fps * 1.2) / speed);
    for (let f = Math.round(hop * 0.8); f < frames - 2; f += hop)
      events.push({ kind: "impact", frame: f, strength: 0.8, subject: 0 });
  }

  // Drums: a performer with drums (or a band, whose drummer keeps time) hits on beats.
  const drummer = spec.subjects.findIndex(
    (s) => s.kind === "musician" && (s.instrument === "drums" || s.count >= 3),
  );
  if (drummer >= 0 && beats.length > 0) {
    const every = lead.instrument === "drums" ? 1 : 2;
    beats.forEach((f, i) => {
      if (i % every === 0)
        events.push({ kind: "drum", frame: f, strength: i % 4 === 0 ? 1 : 0.8, subject: drummer });
    });
  }

  // A dog barks now and then (not over its own catch).
  if (
    spec.audio.effects.includes("bark") &&
    (lead.kind === "dog" || spec.subjects.some((s) => s.kind === "dog"))
  ) {
    const dog = Math.max(
      0,
      spec.subjects.findIndex((s) => s.kind === "dog"),
    );
    const barks = Math.max(1, Math.round(planSeconds / 5));
    for (let i = 0; i < barks; i++) {
      const f = Math.round(((i + 0.5) / barks) * planFrames + r.range(-0.5, 0.5) * o.fps);
      if (tl.catchFrame !== undefined && Math.abs(f - tl.catchFrame) < o.fps) continue;
      if (f > 2 && f < planFrames - 10)
        events.push({ kind: "bark", frame: f, strength: 0.7, subject: dog });
    }
  }

  // Storms: thunder with its lightning flash.
  if (spec.weather === "storm") {
    const f = Math.round(planFrames * r.range(0.3, 0.7));
    events.push({ kind: "thunder", frame: f, strength: 1 });
  }

  // Dialogue: lines one after another, each as long as its speech.
  let at = Math.round(o.fps * 0.6);
  spec.audio.dialogue.forEach((line, i) => {
    if (at >= frames - 2) return;
    const seconds = o.speechSeconds?.[i] ?? estimateSpeechSeconds(line.text);
    const end = Math.min(frames, at + Math.max(1, Math.round(seconds * o.fps)));
    // Understanding ties each line to its speaker; the name match is for older specs.
    const subject =
      line.subject !== undefined && spec.subjects[line.subject]
        ? line.subject
        : speakerIndex(spec, line.speaker, i);
    tl.dialogue.push({
      speaker: line.speaker,
      text: line.text,
      startFrame: at,
      endFrame: end,
      subject,
    });
    at = end + Math.round(o.fps * 0.4);
  });

  // What the planned subjects sound like (hooves, wings, engines, water, bells) on their frames.
  events.push(...subjectSoundEvents(spec, tl));

  events.sort((a, b) => a.frame - b.frame || a.kind.localeCompare(b.kind));
  return tl;
}

/** ~14 characters a second: used when the real speech length is not known. */
export function estimateSpeechSeconds(text: string): number {
  return Math.max(0.6, text.length / 14);
}

function speakerIndex(spec: ShotSpec, speaker: string, line: number): number {
  const s = speaker.toLowerCase();
  const exact = spec.subjects.findIndex(
    (x) =>
      x.name?.toLowerCase() === s ||
      x.label.toLowerCase().includes(s) ||
      s.includes(x.label.toLowerCase()),
  );
  if (exact >= 0) return exact;
  const people = spec.subjects
    .map((x, i) => ({ x, i }))
    .filter(({ x }) => x.kind === "person" || x.kind === "musician");
  if (people.length === 0) return 0;
  return people[line % people.length]!.i;
}

/** Action progress in "action seconds" at a frame: slow motion runs the action slower. */
export function actionTime(tl: Timeline, frame: number): number {
  return (frame / tl.fps) * tl.speed;
}
