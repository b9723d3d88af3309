import { type Rng, rng } from "./prng.ts";
import type { Timeline, TimelineEvent } from "./timeline.ts";
import type { Ambience, MusicMood, ShotSpec } from "./understand.ts";

/**
 * The soundtrack, synthesized in JS from the same timeline as the picture: a music bed by mood and
 * tempo (chords, bass, drums), ambience (shaped noise), a sound effect starting on the exact sample
 * of each visual event, and the dialogue speech. Pure and seeded: same inputs → same samples.
 */

export const SAMPLE_RATE = 48_000;

export interface Speech {
  /** Mono samples at SAMPLE_RATE. */
  samples: Float32Array;
}

export interface Soundtrack {
  left: Float32Array;
  right: Float32Array;
  /** Sample index where each timeline event's sound starts (same order as timeline.events). */
  eventSamples: number[];
}

export function frameToSample(frame: number, fps: number): number {
  return Math.round((frame / fps) * SAMPLE_RATE);
}

const midiHz = (m: number) => 440 * 2 ** ((m - 69) / 12);

interface Bus {
  l: Float32Array;
  r: Float32Array;
}

function add(bus: Bus, at: number, samples: Float32Array, gain: number, pan = 0) {
  const gl = gain * Math.min(1, 1 - pan);
  const gr = gain * Math.min(1, 1 + pan);
  const n = Math.min(samples.length, bus.l.length - at);
  for (let i = Math.max(0, -at); i < n; i++) {
    const v = samples[i]!;
    bus.l[at + i]! += v * gl;
    bus.r[at + i]! += v * gr;
  }
}

// ------------------------------------------------------------------ instruments

type Wave = "sine" | "triangle" | "saw" | "square";

function osc(wave: Wave, phase: number): number {
  const p = phase - Math.floor(phase);
  switch (wave) {
    case "sine":
      return Math.sin(2 * Math.PI * p);
    case "triangle":
      return 1 - 4 * Math.abs(p - 0.5);
    case "saw":
      return 2 * p - 1;
    case "square":
      return p < 0.5 ? 0.7 : -0.7;
  }
}

/** One note: oscillator(s) with an attack/decay/release envelope and a one-pole low-pass. */
function note(
  hz: number,
  seconds: number,
  o: {
    wave: Wave;
    attack: number;
    decay: number;
    sustain: number;
    release: number;
    cutoff?: number;
    detune?: number;
  },
): Float32Array {
  const n = Math.round((seconds + o.release) * SAMPLE_RATE);
  const out = new Float32Array(n);
  const a = Math.max(1, o.attack * SAMPLE_RATE);
  const d = Math.max(1, o.decay * SAMPLE_RATE);
  const hold = seconds * SAMPLE_RATE;
  const rel = Math.max(1, o.release * SAMPLE_RATE);
  const k = o.cutoff ? 1 - Math.exp((-2 * Math.PI * o.cutoff) / SAMPLE_RATE) : 1;
  let lp = 0;
  const det = o.detune ?? 0;
  for (let i = 0; i < n; i++) {
    let env: number;
    if (i < a) env = i / a;
    else if (i < a + d) env = 1 - (1 - o.sustain) * ((i - a) / d);
    else env = o.sustain;
    if (i > hold) env *= Math.max(0, 1 - (i - hold) / rel);
    const t = i / SAMPLE_RATE;
    let v = osc(o.wave, hz * t);
    if (det) v = 0.5 * (v + osc(o.wave, hz * (1 + det) * t));
    lp += k * (v - lp);
    out[i] = lp * env;
  }
  return out;
}

function noiseBurst(
  r: Rng,
  seconds: number,
  decay: number,
  cutoff: number,
  highpass = 0,
): Float32Array {
  const n = Math.round(seconds * SAMPLE_RATE);
  const out = new Float32Array(n);
  const k = 1 - Math.exp((-2 * Math.PI * cutoff) / SAMPLE_RATE);
  const kh = highpass ? 1 - Math.exp((-2 * Math.PI * highpass) / SAMPLE_RATE) : 0;
  let lp = 0;
  let hp = 0;
  for (let i = 0; i < n; i++) {
    lp += k * (r.range(-1, 1) - lp);
    let v = lp;
    if (kh) {
      hp += kh * (v - hp);
      v -= hp;
    }
    out[i] = v * Math.exp(-i / (decay * SAMPLE_RATE));
  }
  return out;
}

/** A pitched thump (kick drum, body of an impact or footstep), starting at full level on sample 0. */
function thump(hzStart: number, hzEnd: number, seconds: number): Float32Array {
  const n = Math.round(seconds * SAMPLE_RATE);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / n;
    const hz = hzEnd + (hzStart - hzEnd) * Math.exp(-t * 8);
    phase += hz / SAMPLE_RATE;
    out[i] = Math.sin(2 * Math.PI * phase) * Math.exp(-t * 5);
  }
  return out;
}

function mix(...parts: [Float32Array, number][]): Float32Array {
  const n = Math.max(...parts.map(([p]) => p.length));
  const out = new Float32Array(n);
  for (const [p, g] of parts) for (let i = 0; i < p.length; i++) out[i]! += p[i]! * g;
  return out;
}

// ------------------------------------------------------------------ music

interface Style {
  /** Chords as MIDI notes, one per bar. */
  chords: number[][];
  pad: Wave;
  padCutoff: number;
  bass: "root" | "walking" | "octave" | "none";
  drums: "none" | "light" | "four" | "swing" | "heartbeat" | "big";
  lead: "arp" | "plucks" | "none" | "piano";
  gain: number;
}

const C = 60;
const chordSets: Record<MusicMood, Style> = {
  playful: {
    chords: [
      [C, C + 4, C + 7],
      [C + 7, C + 11, C + 14],
      [C + 9, C + 12, C + 16],
      [C + 5, C + 9, C + 12],
    ],
    pad: "triangle",
    padCutoff: 2500,
    bass: "octave",
    drums: "light",
    lead: "plucks",
    gain: 0.5,
  },
  upbeat: {
    chords: [
      [C + 2, C + 5, C + 9],
      [C - 2, C + 2, C + 5],
      [C, C + 4, C + 7],
      [C + 7, C + 11, C + 14],
    ],
    pad: "saw",
    padCutoff: 1800,
    bass: "octave",
    drums: "four",
    lead: "arp",
    gain: 0.45,
  },
  calm: {
    chords: [
      [C, C + 4, C + 7, C + 11],
      [C - 3, C, C + 4, C + 7],
      [C - 7, C - 3, C, C + 4],
      [C - 5, C - 1, C + 2, C + 5],
    ],
    pad: "sine",
    padCutoff: 1200,
    bass: "root",
    drums: "none",
    lead: "piano",
    gain: 0.45,
  },
  romantic: {
    chords: [
      [C + 5, C + 9, C + 12, C + 16],
      [C + 4, C + 7, C + 11],
      [C + 2, C + 5, C + 9],
      [C + 7, C + 11, C + 14, C + 17],
    ],
    pad: "sine",
    padCutoff: 1500,
    bass: "root",
    drums: "none",
    lead: "piano",
    gain: 0.45,
  },
  jazz: {
    chords: [
      [C + 2, C + 5, C + 9, C + 12],
      [C - 5, C - 1, C + 2, C + 5],
      [C, C + 4, C + 7, C + 11],
      [C - 3, C + 1, C + 4, C + 7],
    ],
    pad: "triangle",
    padCutoff: 1600,
    bass: "walking",
    drums: "swing",
    lead: "piano",
    gain: 0.5,
  },
  synthwave: {
    chords: [
      [C - 3, C, C + 4],
      [C - 7, C - 3, C],
      [C, C + 4, C + 7],
      [C - 5, C - 1, C + 2],
    ],
    pad: "saw",
    padCutoff: 1400,
    bass: "octave",
    drums: "four",
    lead: "arp",
    gain: 0.45,
  },
  tense: {
    chords: [
      [C - 12, C - 5, C + 1],
      [C - 12, C - 5, C],
      [C - 11, C - 4, C + 1],
      [C - 12, C - 6, C],
    ],
    pad: "saw",
    padCutoff: 700,
    bass: "root",
    drums: "heartbeat",
    lead: "none",
    gain: 0.5,
  },
  epic: {
    chords: [
      [C - 3, C, C + 4],
      [C - 7, C - 3, C],
      [C - 12, C - 5, C],
      [C - 5, C - 1, C + 2],
    ],
    pad: "saw",
    padCutoff: 1100,
    bass: "octave",
    drums: "big",
    lead: "none",
    gain: 0.5,
  },
  sad: {
    chords: [
      [C - 3, C, C + 4],
      [C - 7, C - 3, C],
      [C - 12, C - 8, C - 5],
      [C - 5, C - 2, C + 2],
    ],
    pad: "sine",
    padCutoff: 900,
    bass: "root",
    drums: "none",
    lead: "piano",
    gain: 0.45,
  },
};

function renderMusic(bus: Bus, spec: ShotSpec, tl: Timeline, r: Rng) {
  const music = spec.audio.music;
  if (!music || tl.beats.length === 0) return;
  const st = chordSets[music.mood];
  const beatSec = tl.beatFrames / tl.fps;
  const at = (beat: number) =>
    frameToSample(
      tl.beats[beat] ?? tl.beats.at(-1)! + (beat - tl.beats.length + 1) * tl.beatFrames,
      tl.fps,
    );
  const g = st.gain * (spec.audio.dialogue.length > 0 ? 0.6 : 1);
  const padCache = new Map<string, Float32Array>();
  const kick = thump(150, 50, 0.3);
  const snare = mix([noiseBurst(r, 0.2, 0.05, 6000, 800), 0.8], [thump(220, 180, 0.1), 0.3]);
  const hat = noiseBurst(r, 0.05, 0.012, 12000, 6000);
  const ride = noiseBurst(r, 0.3, 0.09, 11000, 4000);
  for (let b = 0; b < tl.beats.length; b++) {
    const bar = Math.floor(b / 4);
    const inBar = b % 4;
    const chord = st.chords[bar % st.chords.length]!;
    const s = at(b);
    if (inBar === 0) {
      const key = `${bar % st.chords.length}`;
      let pad = padCache.get(key);
      if (!pad) {
        const notes = chord.map((m) =>
          note(midiHz(m), beatSec * 4, {
            wave: st.pad,
            attack: 0.15,
            decay: 0.4,
            sustain: 0.7,
            release: 0.4,
            cutoff: st.padCutoff,
            detune: st.pad === "saw" ? 0.004 : 0,
          }),
        );
        pad = mix(...notes.map((n): [Float32Array, number] => [n, 1 / notes.length]));
        padCache.set(key, pad);
      }
      add(bus, s, pad, 0.35 * g, bar % 2 ? 0.15 : -0.15);
    }
    // Bass
    const root = chord[0]! - 24;
    if (st.bass !== "none") {
      const walk = [0, 4, 7, 5];
      const m =
        st.bass === "walking"
          ? root + walk[inBar]!
          : st.bass === "octave" && inBar % 2
            ? root + 12
            : root;
      if (st.bass !== "root" || inBar % 2 === 0) {
        add(
          bus,
          s,
          note(midiHz(m), beatSec * (st.bass === "root" ? 1.8 : 0.8), {
            wave: "triangle",
            attack: 0.005,
            decay: 0.2,
            sustain: 0.6,
            release: 0.08,
            cutoff: 600,
          }),
          0.5 * g,
        );
      }
    }
    // Drums
    const d = st.drums;
    if (
      d === "four" ||
      (d === "light" && inBar % 2 === 0) ||
      (d === "big" && inBar === 0) ||
      (d === "heartbeat" && inBar < 2)
    ) {
      add(bus, s, kick, (d === "big" ? 0.9 : d === "heartbeat" ? 0.5 : 0.6) * g);
    }
    if ((d === "four" || d === "light" || d === "big") && inBar % 2 === 1)
      add(bus, s, snare, 0.35 * g, 0.1);
    if (d === "four" || d === "light") {
      add(bus, s, hat, 0.15 * g, 0.3);
      add(bus, s + Math.round((beatSec / 2) * SAMPLE_RATE), hat, 0.1 * g, 0.3);
    }
    if (d === "swing") {
      add(bus, s, ride, 0.16 * g, 0.35);
      if (inBar % 2 === 1)
        add(bus, s + Math.round(beatSec * (2 / 3) * SAMPLE_RATE), ride, 0.1 * g, 0.35);
      if (inBar % 2 === 1) add(bus, s, noiseBurst(r, 0.15, 0.04, 4000, 600), 0.12 * g, -0.1);
    }
    // Lead
    if (st.lead === "arp") {
      for (let k = 0; k < 4; k++) {
        const m = chord[(b * 4 + k) % chord.length]! + 12;
        add(
          bus,
          s + Math.round((k * beatSec * SAMPLE_RATE) / 4),
          note(midiHz(m), beatSec / 5, {
            wave: "square",
            attack: 0.003,
            decay: 0.08,
            sustain: 0.3,
            release: 0.05,
            cutoff: 3000,
          }),
          0.1 * g,
          k % 2 ? 0.4 : -0.4,
        );
      }
    } else if (st.lead === "plucks" && inBar !== 3) {
      const m = chord[r.int(0, chord.length - 1)]! + 12;
      add(
        bus,
        s + (inBar === 2 ? Math.round((beatSec / 2) * SAMPLE_RATE) : 0),
        note(midiHz(m), 0.12, {
          wave: "triangle",
          attack: 0.002,
          decay: 0.15,
          sustain: 0.1,
          release: 0.1,
        }),
        0.22 * g,
        0.2,
      );
    } else if (st.lead === "piano" && (inBar === 0 || r.next() < 0.35)) {
      const m = chord[r.int(0, chord.length - 1)]! + 12;
      add(
        bus,
        s,
        note(midiHz(m), beatSec, {
          wave: "sine",
          attack: 0.003,
          decay: 0.6,
          sustain: 0.15,
          release: 0.4,
        }),
        0.22 * g,
        -0.2,
      );
    }
  }
}

// ------------------------------------------------------------------ ambience

function renderAmbience(bus: Bus, spec: ShotSpec, tl: Timeline, seed: number) {
  const n = bus.l.length;
  for (const kind of spec.audio.ambience.slice(0, 3)) {
    const r = rng(seed, `amb-${kind}`);
    const p = ambienceParams(kind);
    let lp = 0;
    let lp2 = 0;
    let hp = 0;
    const k = 1 - Math.exp((-2 * Math.PI * p.cutoff) / SAMPLE_RATE);
    const kh = 1 - Math.exp((-2 * Math.PI * p.highpass) / SAMPLE_RATE);
    const modHz = p.modHz * (spec.pacing === "time-lapse" ? 3 : 1);
    const phase = r.next();
    // A few milliseconds of delay on one side widens the bed into stereo.
    const ring = new Float32Array(64);
    for (let i = 0; i < n; i++) {
      lp += k * (r.range(-1, 1) - lp);
      lp2 += k * (lp - lp2);
      hp += kh * (lp2 - hp);
      const v = lp2 - hp;
      const mod =
        1 - p.modDepth * 0.5 * (1 + Math.sin(2 * Math.PI * (phase + (modHz * i) / SAMPLE_RATE)));
      const s = v * p.gain * mod;
      bus.l[i]! += s;
      bus.r[i]! += ring[(i + 24) & 63]!;
      ring[i & 63] = s;
    }
    // Discrete sounds inside the bed: drops, chirps, horns, crackles.
    const per = p.blipsPerSecond * (tl.frames / tl.fps);
    for (let j = 0; j < per; j++) {
      const at = Math.floor(r.next() * n);
      if (kind === "birds" || kind === "nature") {
        const f0 = r.range(2500, 4200);
        const len = Math.round(r.range(0.05, 0.12) * SAMPLE_RATE);
        const chirp = new Float32Array(len);
        let ph = 0;
        for (let i = 0; i < len; i++) {
          ph += (f0 + 1200 * Math.sin((i / len) * Math.PI)) / SAMPLE_RATE;
          chirp[i] = Math.sin(2 * Math.PI * ph) * Math.sin((i / len) * Math.PI);
        }
        add(bus, at, chirp, 0.05, r.range(-0.7, 0.7));
      } else if (kind === "rain") {
        add(bus, at, noiseBurst(r, 0.02, 0.004, 9000, 2000), 0.08, r.range(-0.8, 0.8));
      } else if (kind === "fire") {
        add(bus, at, noiseBurst(r, 0.015, 0.003, 7000, 1500), 0.2, r.range(-0.4, 0.4));
      } else if (kind === "city" || kind === "traffic") {
        add(
          bus,
          at,
          note(r.range(300, 420), 0.3, {
            wave: "square",
            attack: 0.02,
            decay: 0.1,
            sustain: 0.8,
            release: 0.1,
            cutoff: 1200,
          }),
          0.015,
          r.range(-0.8, 0.8),
        );
      }
    }
  }
}

function ambienceParams(kind: Ambience) {
  switch (kind) {
    case "rain":
      return {
        cutoff: 7000,
        highpass: 900,
        gain: 0.22,
        modHz: 0.1,
        modDepth: 0.2,
        blipsPerSecond: 25,
      };
    case "city":
    case "traffic":
      return {
        cutoff: 500,
        highpass: 40,
        gain: 0.35,
        modHz: 0.07,
        modDepth: 0.5,
        blipsPerSecond: 0.3,
      };
    case "crowd":
      return {
        cutoff: 1400,
        highpass: 300,
        gain: 0.3,
        modHz: 3.1,
        modDepth: 0.35,
        blipsPerSecond: 0,
      };
    case "nature":
    case "birds":
      return {
        cutoff: 900,
        highpass: 150,
        gain: 0.08,
        modHz: 0.15,
        modDepth: 0.6,
        blipsPerSecond: kind === "birds" ? 3 : 1.5,
      };
    case "wind":
      return {
        cutoff: 600,
        highpass: 100,
        gain: 0.25,
        modHz: 0.12,
        modDepth: 0.8,
        blipsPerSecond: 0,
      };
    case "waves":
      return {
        cutoff: 1500,
        highpass: 150,
        gain: 0.3,
        modHz: 0.12,
        modDepth: 0.85,
        blipsPerSecond: 0,
      };
    case "fire":
      return {
        cutoff: 800,
        highpass: 100,
        gain: 0.1,
        modHz: 0.5,
        modDepth: 0.3,
        blipsPerSecond: 6,
      };
    case "room":
      return {
        cutoff: 400,
        highpass: 60,
        gain: 0.06,
        modHz: 0.05,
        modDepth: 0.2,
        blipsPerSecond: 0,
      };
  }
}

// ------------------------------------------------------------------ effects

/** The sound of one event. Every effect is at full level on its first sample (a sharp onset). */
export function effectSound(ev: TimelineEvent, r: Rng, slow: boolean, fps = 30): Float32Array {
  const p = slow ? 0.6 : 1;
  switch (ev.kind) {
    case "footstep":
      return mix([thump(110 * p, 60 * p, 0.09), 0.8], [noiseBurst(r, 0.08, 0.015, 2500, 200), 0.6]);
    case "splash":
      return mix([noiseBurst(r, 0.35 / p, 0.08 / p, 6000, 700), 0.9]);
    case "impact":
      return mix([thump(160 * p, 55 * p, 0.35), 1], [noiseBurst(r, 0.06, 0.01, 8000, 1000), 0.7]);
    case "drum":
      return mix([thump(180, 55, 0.35), 1], [noiseBurst(r, 0.18, 0.04, 7000, 900), 0.6]);
    case "thunder":
      return mix(
        [noiseBurst(r, 2.5, 0.8, 300, 20), 1.5],
        [noiseBurst(r, 0.3, 0.05, 3000, 200), 0.8],
      );
    case "whoosh": {
      const n = Math.round(0.35 * SAMPLE_RATE);
      const out = new Float32Array(n);
      let lp = 0;
      for (let i = 0; i < n; i++) {
        const t = i / n;
        const cutoff = 400 + 3000 * Math.sin(Math.PI * t);
        const k = 1 - Math.exp((-2 * Math.PI * cutoff) / SAMPLE_RATE);
        lp += k * (r.range(-1, 1) - lp);
        out[i] = lp * (1 - t) * (0.3 + t);
      }
      return out;
    }
    case "hoof":
      // A hard clop: a short high knock over a low thud.
      return mix(
        [thump(240 * p, 110 * p, 0.07), 0.7],
        [noiseBurst(r, 0.05, 0.008, 5000, 900), 0.9],
      );
    case "paw":
      return mix([thump(140 * p, 80 * p, 0.06), 0.5], [noiseBurst(r, 0.06, 0.012, 2000, 300), 0.4]);
    case "wing":
      // A soft feathered beat: band-limited noise that swells and falls.
      return swell(noiseBurst(r, 0.16 / p, 1, 1800, 250), 0.25);
    case "wave":
      return swell(noiseBurst(r, 1.1 / p, 1, 1400, 80), 0.15);
    case "engine":
      return engine(r, (ev.frames ?? fps) / fps, p);
    case "bell":
      return bell(880 * p, 2.2);
    case "bark": {
      // Two short voiced bursts with a falling pitch: a cartoon "woof".
      const one = (len: number, f0: number) => {
        const n = Math.round(len * SAMPLE_RATE);
        const out = new Float32Array(n);
        let ph = 0;
        for (let i = 0; i < n; i++) {
          const t = i / n;
          ph += (f0 * p * (1 - 0.35 * t)) / SAMPLE_RATE;
          const v = osc("saw", ph) * 0.6 + Math.sin(2 * Math.PI * ph * 2) * 0.4;
          out[i] = v * Math.min(1, t * 30) * (1 - t) ** 1.5;
        }
        return out;
      };
      const a = one(0.14, 520);
      const b = one(0.12, 480);
      const out = new Float32Array(a.length + b.length + 2400);
      out.set(a, 0);
      out.set(b, a.length + 2400);
      return out;
    }
  }
}

/** `x` with a rise to its peak at fraction `peak` and a fall after it (the onset stays sharp). */
function swell(x: Float32Array, peak: number): Float32Array {
  const n = x.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / n;
    // Starts at 0.6 of full level so the onset is on its first sample.
    const env = t < peak ? 0.6 + 0.4 * (t / peak) : (1 - t) / (1 - peak);
    out[i] = x[i]! * env * 1.6;
  }
  return out;
}

/** An engine: a low rumble (detuned saws at the firing rate) with a slow throttle wobble. */
function engine(r: Rng, seconds: number, p: number): Float32Array {
  const n = Math.round(Math.max(0.3, seconds) * SAMPLE_RATE);
  const out = new Float32Array(n);
  const hz = 48 * p;
  const k = 1 - Math.exp((-2 * Math.PI * 700) / SAMPLE_RATE);
  let lp = 0;
  let a = 0;
  let b = 0;
  const fade = Math.round(0.15 * SAMPLE_RATE);
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    const wob = 1 + 0.04 * Math.sin(2 * Math.PI * 0.7 * t);
    a += (hz * wob) / SAMPLE_RATE;
    b += (hz * 1.51 * wob) / SAMPLE_RATE;
    const v = osc("saw", a) * 0.6 + osc("saw", b) * 0.3 + r.range(-0.15, 0.15);
    lp += k * (v - lp);
    const env = Math.min(1, 0.6 + i / fade, (n - i) / fade);
    out[i] = lp * env;
  }
  return out;
}

/** A struck bell: inharmonic partials, each decaying at its own rate. */
function bell(hz: number, seconds: number): Float32Array {
  const n = Math.round(seconds * SAMPLE_RATE);
  const out = new Float32Array(n);
  const partials: [number, number, number][] = [
    [0.5, 0.5, 1.2],
    [1, 1, 2],
    [2.0, 0.5, 3],
    [2.76, 0.4, 4],
    [5.4, 0.25, 6],
  ];
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    let v = 0;
    for (const [m, g, d] of partials)
      v += g * Math.sin(2 * Math.PI * hz * m * t) * Math.exp(-t * d);
    out[i] = v * 0.45;
  }
  return out;
}

// ------------------------------------------------------------------ mixdown

export function renderSoundtrack(spec: ShotSpec, tl: Timeline, speech: Speech[]): Soundtrack {
  const n = Math.round((tl.frames / tl.fps) * SAMPLE_RATE);
  const bus: Bus = { l: new Float32Array(n), r: new Float32Array(n) };
  renderMusic(bus, spec, tl, rng(tl.seed, "music"));
  renderAmbience(bus, spec, tl, tl.seed);
  const fx = rng(tl.seed, "fx");
  const slow = spec.pacing === "slow-motion";
  const eventSamples: number[] = [];
  for (const ev of tl.events) {
    const at = frameToSample(ev.frame, tl.fps);
    eventSamples.push(at);
    const pan =
      ev.pan ?? (ev.kind === "footstep" || ev.kind === "splash" ? (ev.side ?? 0) * 0.15 : 0);
    const gain = {
      footstep: 0.5,
      splash: 0.35,
      impact: 0.9,
      drum: 0.8,
      thunder: 0.6,
      whoosh: 0.4,
      bark: 0.5,
      hoof: 0.55,
      paw: 0.3,
      wing: 0.35,
      engine: 0.3,
      wave: 0.3,
      bell: 0.35,
    }[ev.kind];
    add(bus, at, effectSound(ev, fx, slow, tl.fps), gain * ev.strength, pan);
  }
  tl.dialogue.forEach((d, i) => {
    const s = speech[i];
    if (s) add(bus, frameToSample(d.startFrame, tl.fps), s.samples, 0.9);
  });
  // Gentle limiter: tanh soft clip keeps peaks under full scale without pumping.
  for (let i = 0; i < n; i++) {
    bus.l[i] = Math.tanh(bus.l[i]! * 0.9);
    bus.r[i] = Math.tanh(bus.r[i]! * 0.9);
  }
  // Fade the very ends so clips join without clicks.
  const fade = Math.min(n >> 1, Math.round(0.01 * SAMPLE_RATE));
  for (let i = 0; i < fade; i++) {
    const g = i / fade;
    bus.l[i]! *= g;
    bus.r[i]! *= g;
    bus.l[n - 1 - i]! *= g;
    bus.r[n - 1 - i]! *= g;
  }
  return { left: bus.l, right: bus.r, eventSamples };
}

/** Per-frame mouth opening (0..1) for a speech span, from the speech's own loudness. */
export function mouthEnvelope(speech: Float32Array, fps: number): Float32Array {
  const per = SAMPLE_RATE / fps;
  const frames = Math.ceil(speech.length / per);
  const out = new Float32Array(frames);
  let peak = 1e-6;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const a = Math.floor(f * per);
    const b = Math.min(speech.length, Math.floor((f + 1) * per));
    for (let i = a; i < b; i++) sum += speech[i]! * speech[i]!;
    out[f] = Math.sqrt(sum / Math.max(1, b - a));
    peak = Math.max(peak, out[f]!);
  }
  for (let f = 0; f < frames; f++) out[f] = Math.min(1, (out[f]! / peak) * 1.3);
  return out;
}
