import { structuredPromptSchema } from "@reelhouse/shared/generation/request";
import { describe, expect, it } from "vitest";
import { rng } from "./prng.ts";
import { effectSound, frameToSample, renderSoundtrack, SAMPLE_RATE } from "./sound.ts";
import { buildTimeline } from "./timeline.ts";
import { understand } from "./understand.ts";

const spec = (text: string) => understand(structuredPromptSchema.parse({ text }));
const opts = { durationSeconds: 10, fps: 30, seed: 1 };

describe("previz timeline (pure, seeded)", () => {
  it("is deterministic for a seed and changes with the seed", () => {
    const s = spec("A man walking down a rainy street at night");
    expect(buildTimeline(s, opts)).toEqual(buildTimeline(s, opts));
    const a = buildTimeline(s, { ...opts, seed: 1 }).events.map((e) => e.frame);
    const b = buildTimeline(s, { ...opts, seed: 99 }).events.map((e) => e.frame);
    expect(a).not.toEqual(b);
  });

  it("walking: a footstep (and in the rain a splash) every step, alternating feet, inside the clip", () => {
    const tl = buildTimeline(spec("A man walking down a rainy street at night"), opts);
    const steps = tl.events.filter((e) => e.kind === "footstep");
    expect(tl.frames).toBe(300);
    expect(steps.length).toBeGreaterThanOrEqual(15);
    for (let i = 1; i < steps.length; i++) {
      expect(steps[i]!.frame - steps[i - 1]!.frame).toBe(tl.stepFrames);
      expect(steps[i]!.side).toBe(-steps[i - 1]!.side!);
    }
    expect(tl.events.filter((e) => e.kind === "splash").map((e) => e.frame)).toEqual(
      steps.map((e) => e.frame),
    );
    expect(
      tl.events.every((e) => Number.isInteger(e.frame) && e.frame >= 0 && e.frame < tl.frames),
    ).toBe(true);
  });

  it("slow motion stretches the action: fewer, slower steps than at normal speed", () => {
    const normal = buildTimeline(spec("A woman running on a beach"), opts);
    const slow = buildTimeline(spec("A woman running on a beach, slow motion"), opts);
    expect(slow.speed).toBeLessThan(1);
    expect(slow.stepFrames!).toBeGreaterThan(normal.stepFrames!);
  });

  it("catching: a whoosh at the throw, an impact at the catch, a landing after it", () => {
    const tl = buildTimeline(spec("A dog catching a frisbee in a park"), opts);
    expect(tl.throwFrame).toBeLessThan(tl.catchFrame!);
    const kinds = tl.events.map((e) => `${e.kind}@${e.frame}`);
    expect(kinds).toContain(`whoosh@${tl.throwFrame}`);
    expect(kinds).toContain(`impact@${tl.catchFrame}`);
    expect(tl.events.some((e) => e.kind === "footstep" && e.frame > tl.catchFrame!)).toBe(true);
  });

  it("a drummer hits on the beat", () => {
    const tl = buildTimeline(spec("A drummer hitting a big drum on a dark stage, no music"), opts);
    const hits = tl.events.filter((e) => e.kind === "drum").map((e) => e.frame);
    expect(hits.length).toBeGreaterThan(10);
    expect(hits).toEqual(tl.beats.slice(0, hits.length));
  });

  it("dialogue spans follow the measured speech lengths, one after another, clipped to the clip", () => {
    const s = spec('Ana: "Hello there." Ben says "Hi! How are you doing today, my old friend?"');
    const tl = buildTimeline(s, { ...opts, durationSeconds: 4, speechSeconds: [1, 10] });
    expect(tl.dialogue).toHaveLength(2);
    const [a, b] = tl.dialogue;
    expect(a!.endFrame - a!.startFrame).toBe(30);
    expect(b!.startFrame).toBeGreaterThan(a!.endFrame);
    expect(b!.endFrame).toBe(tl.frames);
    expect(a!.speaker).toBe("Ana");
  });
});

describe("previz sound from the timeline", () => {
  it("each event's sound starts on the sample of its frame, and effects start loud (sharp onset)", () => {
    const s = spec("A drummer hitting a big drum on a dark stage, no music");
    const tl = buildTimeline(s, { ...opts, durationSeconds: 4 });
    const track = renderSoundtrack(s, tl, []);
    expect(track.left.length).toBe(4 * SAMPLE_RATE);
    expect(track.eventSamples).toEqual(tl.events.map((e) => frameToSample(e.frame, 30)));
    for (const kind of ["impact", "drum", "footstep", "splash"] as const) {
      const snd = effectSound({ kind, frame: 0, strength: 1 }, rng(1, "t"), false);
      let early = 0;
      for (let i = 0; i < 96; i++) early = Math.max(early, Math.abs(snd[i]!));
      expect(early).toBeGreaterThan(0.05);
    }
    // silence right before the first hit, sound right after it
    const first = track.eventSamples[0]!;
    let before = 0;
    let after = 0;
    for (let i = first - 960; i < first; i++) before = Math.max(before, Math.abs(track.left[i]!));
    for (let i = first; i < first + 960; i++) after = Math.max(after, Math.abs(track.left[i]!));
    expect(after).toBeGreaterThan(before * 5);
  });

  it("the soundtrack is deterministic and stays within full scale", () => {
    const s = spec(
      "A cyberpunk street market at night, rain, synthwave music, a hooded figure walking",
    );
    const tl = buildTimeline(s, opts);
    const a = renderSoundtrack(s, tl, []);
    const b = renderSoundtrack(s, tl, []);
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    let peak = 0;
    for (const v of a.left) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeLessThanOrEqual(1);
    expect(peak).toBeGreaterThan(0.1);
  });
});
