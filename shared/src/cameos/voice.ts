import type { EnergySample } from "./liveness.ts";

/**
 * The speaker's voice from the recording: loudness windows (for liveness), the fundamental
 * frequency by autocorrelation over the voiced windows, and an eSpeak NG setting that speaks at
 * that pitch (workers/src/previz/tts.server.ts). Pure.
 */

export interface CameoVoice {
  /** Median fundamental frequency of the voiced windows (Hz), or null when no speech was found. */
  pitchHz: number | null;
  /** eSpeak NG voice variant and pitch (0-99). */
  variant: string;
  pitch: number;
}

/** RMS loudness per window of `windowS` seconds. */
export function energyWindows(pcm: Float32Array, rate: number, windowS = 0.1): EnergySample[] {
  const n = Math.max(1, Math.round(rate * windowS));
  const out: EnergySample[] = [];
  for (let i = 0; i + n <= pcm.length; i += n) {
    let s = 0;
    for (let k = i; k < i + n; k++) s += pcm[k]! * pcm[k]!;
    out.push({ t: i / rate, rms: Math.sqrt(s / n) });
  }
  return out;
}

/** F0 of one frame by normalized autocorrelation in 70-400 Hz; null when not voiced. */
export function framePitch(frame: Float32Array, rate: number): number | null {
  const minLag = Math.floor(rate / 400);
  const maxLag = Math.min(frame.length - 1, Math.ceil(rate / 70));
  let energy = 0;
  for (const v of frame) energy += v * v;
  if (energy / frame.length < 1e-4) return null;
  const rs: number[] = [];
  for (let lag = minLag; lag <= maxLag; lag++) {
    let s = 0;
    let e1 = 0;
    let e2 = 0;
    for (let i = 0; i + lag < frame.length; i++) {
      s += frame[i]! * frame[i + lag]!;
      e1 += frame[i]! * frame[i]!;
      e2 += frame[i + lag]! * frame[i + lag]!;
    }
    rs.push(s / Math.sqrt(e1 * e2 || 1));
  }
  const top = Math.max(...rs);
  // The shortest lag that is a peak close to the best one (a longer one is a lower octave).
  let bestLag = 0;
  let best = 0;
  for (let k = 1; k < rs.length - 1; k++) {
    if (rs[k]! >= 0.9 * top && rs[k]! >= rs[k - 1]! && rs[k]! >= rs[k + 1]!) {
      bestLag = k + minLag;
      best = rs[k]!;
      break;
    }
  }
  return best > 0.6 && bestLag > 0 ? rate / bestLag : null;
}

/** Median F0 over 40 ms frames of the whole recording. */
export function medianPitch(pcm: Float32Array, rate: number): number | null {
  const n = Math.round(rate * 0.04);
  const found: number[] = [];
  for (let i = 0; i + n <= pcm.length; i += n) {
    const p = framePitch(pcm.subarray(i, i + n), rate);
    if (p !== null) found.push(p);
  }
  if (found.length < 3) return null;
  found.sort((a, b) => a - b);
  return found[Math.floor(found.length / 2)]!;
}

/**
 * (en-us+f4, not +f3: the breathy +f3 adds random noise, which would break the same-seed-same-file
 * render.) eSpeak's base pitch is about 118 Hz for its male voices and 190 Hz for the female variants, and
 * its -p 0-99 (default 50) spans roughly half to one and a half times that.
 */
export function voiceFromPitch(pitchHz: number | null): CameoVoice {
  if (pitchHz === null) return { pitchHz: null, variant: "en-us", pitch: 50 };
  const female = pitchHz >= 160;
  const base = female ? 190 : 118;
  const pitch = Math.round(Math.min(99, Math.max(0, 50 + ((pitchHz / base - 1) / 0.5) * 50)));
  return { pitchHz: Math.round(pitchHz), variant: female ? "en-us+f4" : "en-us+m3", pitch };
}
