import { describe, expect, test } from "vitest";
import type { PlannedSubject } from "./picture/cast.ts";
import { renderSoundtrack, SAMPLE_RATE } from "./sound.ts";
import { cycleAt, soundOf, subjectSoundEvents } from "./subject-sounds.ts";
import { buildTimeline } from "./timeline.ts";
import { type ShotSpec, type Subject, understand } from "./understand.ts";

function planned(subjects: Partial<PlannedSubject>[]): ShotSpec {
  const spec = understand({ text: "a quiet field", sections: {} });
  spec.audio.music = null;
  spec.audio.ambience = [];
  spec.audio.effects = [];
  spec.subjects = subjects.map((p) => ({
    kind: "object",
    label: p.noun ?? "thing",
    noun: "thing",
    count: 1,
    traits: [],
    art: null,
    color: null,
    motion: "still",
    facing: 1,
    place: { x: 0.5, y: 0.6, size: 0.3 },
    ...p,
  })) as Subject[];
  return spec;
}

const frac = (x: number) => x - Math.floor(x);

describe("subject sounds", () => {
  test("a typical sound per subject: hooves, paws, wings, engines, water, bells; people have their own", () => {
    const s = (p: Partial<PlannedSubject>) =>
      soundOf({ ...planned([p]).subjects[0]! } as PlannedSubject);
    expect(s({ noun: "horse", art: "horse", motion: "gallop" })).toBe("hoof");
    expect(s({ noun: "dog", art: "dog", motion: "run" })).toBe("paw");
    expect(s({ noun: "eagle", art: "eagle", motion: "fly" })).toBe("wing");
    expect(s({ noun: "airplane", art: "airplane", motion: "fly" })).toBe("engine");
    expect(s({ noun: "car", art: "automobile", motion: "drive" })).toBe("engine");
    expect(s({ noun: "sailboat", art: "sailboat", motion: "sail" })).toBe("wave");
    expect(s({ noun: "bell", art: "bell", motion: "sway" })).toBe("bell");
    expect(s({ kind: "person", noun: "man", motion: "walk" })).toBeUndefined();
    expect(s({ noun: "apple", art: "red-apple", motion: "still" })).toBeUndefined();
  });

  test("hooves land on the frames where the gallop touches down", () => {
    const spec = planned([
      {
        noun: "horse",
        art: "horse",
        motion: "gallop",
        facing: 1,
        place: { x: 0.5, y: 0.6, size: 0.3 },
      },
    ]);
    const tl = buildTimeline(spec, { durationSeconds: 3, fps: 30, seed: 1 });
    const hooves = tl.events.filter((e) => e.kind === "hoof");
    expect(hooves.length).toBeGreaterThan(10);
    for (const e of hooves) {
      // Touchdown is the second half of the cycle (the body is lowest there): within a frame.
      const c = frac(cycleAt(spec.subjects[0] as PlannedSubject, tl, e.frame));
      const tolerance = (2.2 * 1) / 30;
      expect(c).toBeGreaterThanOrEqual(0.5 - tolerance);
      expect(c).toBeLessThanOrEqual(0.74 + tolerance);
    }
  });

  test("an engine runs for the frames the aircraft is in the picture, panned to where it is", () => {
    const spec = planned([
      { noun: "airplane", art: "airplane", motion: "fly", place: { x: 0.2, y: 0.3, size: 0.2 } },
    ]);
    const tl = buildTimeline(spec, { durationSeconds: 2, fps: 24, seed: 1 });
    const engines = tl.events.filter((e) => e.kind === "engine");
    expect(engines).toHaveLength(1);
    expect(engines[0]!.frames).toBeGreaterThan(24);
    expect(engines[0]!.pan).toBeLessThan(0);
    const track = renderSoundtrack(spec, tl, []);
    const energy = (ch: Float32Array) => ch.reduce((a, v) => a + v * v, 0);
    expect(energy(track.left)).toBeGreaterThan(energy(track.right) * 1.2);
  });

  test("each subject sound starts on its event's sample", () => {
    const spec = planned([{ noun: "horse", art: "horse", motion: "gallop" }]);
    const tl = buildTimeline(spec, { durationSeconds: 2, fps: 24, seed: 1 });
    const track = renderSoundtrack(spec, tl, []);
    const i = tl.events.findIndex((e) => e.kind === "hoof");
    const at = track.eventSamples[i]!;
    const win = Math.round(SAMPLE_RATE * 0.004);
    const rms = (a: number, b: number) =>
      Math.sqrt(track.left.slice(a, b).reduce((s, v) => s + v * v, 0) / (b - a));
    expect(rms(at, at + win)).toBeGreaterThan(rms(at - win * 3, at - win * 2) * 3);
  });

  test("no plan, no subject sounds (the old rigs keep their own)", () => {
    const spec = understand({ text: "a horse galloping", sections: {} });
    const { place: _, ...unplanned } = spec.subjects[0]!;
    spec.subjects = [unplanned as unknown as Subject];
    const tl = buildTimeline(spec, { durationSeconds: 2, fps: 24, seed: 1 });
    expect(subjectSoundEvents(spec, tl)).toEqual([]);
  });
});
