import { describe, expect, it } from "vitest";
import { energyWindows, framePitch, medianPitch, voiceFromPitch } from "./voice.ts";

const RATE = 16000;
/** A buzzy voiced sound: a fundamental with harmonics. */
function voiced(hz: number, seconds: number, amp = 0.3): Float32Array {
  const out = new Float32Array(Math.round(RATE * seconds));
  for (let i = 0; i < out.length; i++) {
    const t = i / RATE;
    out[i] =
      amp *
      (Math.sin(2 * Math.PI * hz * t) +
        0.5 * Math.sin(4 * Math.PI * hz * t) +
        0.25 * Math.sin(6 * Math.PI * hz * t));
  }
  return out;
}

describe("voice from a recording", () => {
  it("finds the fundamental of a low and a high voice", () => {
    expect(medianPitch(voiced(110, 1), RATE)).toBeCloseTo(110, -1);
    expect(medianPitch(voiced(220, 1), RATE)).toBeCloseTo(220, -1);
  });
  it("finds no pitch in silence or noise", () => {
    expect(framePitch(new Float32Array(640), RATE)).toBeNull();
    let seed = 1;
    const noise = Float32Array.from({ length: RATE }, () => {
      seed = (seed * 16807) % 2147483647;
      return (seed / 2147483647 - 0.5) * 0.5;
    });
    expect(medianPitch(noise, RATE)).toBeNull();
  });
  it("turns pitch into an eSpeak voice: low pitch a male variant, high a female one, scaled 0-99", () => {
    expect(voiceFromPitch(118)).toEqual({ pitchHz: 118, variant: "en-us+m3", pitch: 50 });
    expect(voiceFromPitch(95).pitch).toBeLessThan(50);
    expect(voiceFromPitch(230)).toMatchObject({ variant: "en-us+f4" });
    expect(voiceFromPitch(230).pitch).toBeGreaterThan(50);
    expect(voiceFromPitch(1000).pitch).toBe(99);
    expect(voiceFromPitch(null)).toEqual({ pitchHz: null, variant: "en-us", pitch: 50 });
  });
  it("measures loudness per window", () => {
    const s = new Float32Array(RATE);
    s.fill(0.5, RATE / 2);
    const w = energyWindows(s, RATE, 0.1);
    expect(w).toHaveLength(10);
    expect(w[0]!.rms).toBe(0);
    expect(w[9]!.rms).toBeCloseTo(0.5);
  });
});
