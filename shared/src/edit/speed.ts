/**
 * Speed ramps: keyframed speed (0.25× … 4×) over the sequence frames, eased between keys, turned
 * into runs of constant speed that ffmpeg can apply (`setpts` for the picture, `atempo` chains for
 * the sound). Pure.
 */
import type { SpeedKey } from "./schema.ts";

/** A ramp is applied in steps of this many sequence frames (each step one constant speed). */
export const RAMP_STEP_FRAMES = 4;

export interface SpeedSegment {
  /** Sequence frames [start, end). */
  start: number;
  end: number;
  speed: number;
}

const smooth = (t: number) => t * t * (3 - 2 * t);

/** The speed at sequence frame `f` (keys sorted by frame). */
export function speedAt(keys: readonly SpeedKey[], f: number): number {
  if (keys.length === 0) return 1;
  if (f <= keys[0]!.frame) return keys[0]!.speed;
  for (let i = 0; i < keys.length - 1; i++) {
    const a = keys[i]!;
    const b = keys[i + 1]!;
    if (f < b.frame) {
      if (a.ease === "hold") return a.speed;
      const t = (f - a.frame) / (b.frame - a.frame);
      const k = a.ease === "ease" ? smooth(t) : t;
      return a.speed + (b.speed - a.speed) * k;
    }
  }
  return keys[keys.length - 1]!.speed;
}

/** Runs of constant speed covering sequence frames [0, length), neighbours of equal speed merged. */
export function speedSegments(keys: readonly SpeedKey[], length: number): SpeedSegment[] {
  const raw: SpeedSegment[] = [];
  const push = (start: number, end: number, speed: number) => {
    if (end <= start) return;
    const s = Math.round(speed * 1000) / 1000;
    const last = raw[raw.length - 1];
    if (last && last.speed === s && last.end === start) last.end = end;
    else raw.push({ start, end, speed: s });
  };
  if (keys.length === 0) return [{ start: 0, end: length, speed: 1 }];
  push(0, Math.min(length, keys[0]!.frame), keys[0]!.speed);
  for (let i = 0; i < keys.length; i++) {
    const a = keys[i]!;
    const b = keys[i + 1];
    const from = Math.min(length, a.frame);
    const to = Math.min(length, b ? b.frame : length);
    if (!b || a.ease === "hold" || a.speed === b.speed) {
      push(from, to, a.speed);
      continue;
    }
    for (let f = from; f < to; f += RAMP_STEP_FRAMES) {
      const e = Math.min(to, f + RAMP_STEP_FRAMES);
      push(f, e, speedAt(keys, (f + e) / 2));
    }
  }
  return raw;
}

/** True when the speed is 1× everywhere. */
export function isUnitSpeed(segments: readonly SpeedSegment[]): boolean {
  return segments.every((s) => s.speed === 1);
}

/** Output frames after speed: each run lasts its frames divided by its speed. */
export function speedOutputFrames(segments: readonly SpeedSegment[]): number {
  return Math.round(segments.reduce((n, s) => n + (s.end - s.start) / s.speed, 0));
}

/**
 * `atempo` filters whose product is `speed`. Each instance stays within 0.5 … 2, where atempo
 * keeps its best quality, so 0.25× is two halvings and 4× two doublings. Pitch is preserved.
 */
export function atempoChain(speed: number): string[] {
  const out: string[] = [];
  let s = speed;
  while (s > 2 + 1e-9) {
    out.push("atempo=2");
    s /= 2;
  }
  while (s < 0.5 - 1e-9) {
    out.push("atempo=0.5");
    s /= 0.5;
  }
  if (Math.abs(s - 1) > 1e-9 || out.length === 0) out.push(`atempo=${Number(s.toFixed(6))}`);
  return out;
}

/**
 * A `setpts` expression (commas unescaped: quote it in a graph) mapping a sequence time T (seconds) to its output time: piecewise linear,
 * each run's time divided by its speed, offset by everything before it.
 */
export function setptsExpression(segments: readonly SpeedSegment[], fps: number): string {
  let expr = "";
  let offset = 0;
  const pieces: { until: number; start: number; offset: number; speed: number }[] = [];
  for (const s of segments) {
    pieces.push({ until: s.end / fps, start: s.start / fps, offset, speed: s.speed });
    offset += (s.end - s.start) / fps / s.speed;
  }
  const n = (x: number) => Number(x.toFixed(6)).toString();
  const piece = (p: (typeof pieces)[number]) => `(${n(p.offset)}+(T-${n(p.start)})/${n(p.speed)})`;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    expr = i === pieces.length - 1 ? piece(p) : `if(lt(T,${n(p.until)}),${piece(p)},${expr})`;
  }
  return `(${expr})/TB`;
}
