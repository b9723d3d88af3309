import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import { KICK_CONTACT, KICK_PERIOD, kickedBall, kickPose, kicks } from "./kick.ts";
import { PictureRenderer } from "./renderer.ts";

describe("a kick", () => {
  test("is read from the verb's forms only", () => {
    for (const v of ["kick", "kicks", "kicking", "Kicked"]) expect(kicks(v)).toBe(true);
    for (const v of ["kicker", "walking", null, undefined, ""]) expect(kicks(v)).toBe(false);
  });

  test("winds back, strikes forward and up, and comes down, once a period", () => {
    const samples = Array.from({ length: 96 }, (_, i) => kickPose((i / 96) * KICK_PERIOD));
    const front = samples.map((p) => p.front);
    expect(Math.min(...front)).toBeLessThan(-0.3);
    expect(Math.max(...front)).toBeGreaterThan(1.2);
    // The wind-back comes before the strike, and the leg is down again at the period's end.
    expect(front.indexOf(Math.min(...front))).toBeLessThan(front.indexOf(Math.max(...front)));
    expect(Math.abs(kickPose(KICK_PERIOD * 0.95).front)).toBeLessThan(0.01);
    expect(kickPose(0.3).front).toBeCloseTo(kickPose(0.3 + 2 * KICK_PERIOD).front, 9);
    // The standing leg stays under the hips.
    for (const p of samples) expect(Math.abs(p.back)).toBeLessThan(0.1);
  });

  test("stands ready before the action starts", () => {
    expect(kickPose(-0.5).front).toBe(0);
    expect(kickPose(-0.01).front).toBe(0);
  });

  test("the ball rests at the foot until the first kick, then goes up and comes back to the foot", () => {
    const contact = KICK_CONTACT * KICK_PERIOD;
    expect(kickedBall(0).lift).toBe(0);
    expect(kickedBall(contact - 0.01).lift).toBe(0);
    // Highest half a period after the kick, down on the foot as the next kick meets it.
    expect(kickedBall(contact + KICK_PERIOD / 2).lift).toBeGreaterThan(0.5);
    expect(kickedBall(contact + KICK_PERIOD * 0.999).lift).toBeLessThan(0.01);
    expect(kickedBall(contact + KICK_PERIOD * 0.25).lift).toBeGreaterThan(0.3);
    // It spins as it flies.
    expect(kickedBall(contact + 0.4).spin).toBeGreaterThan(kickedBall(contact + 0.1).spin);
  });

  test("the kicker's leg moves in the picture: the frames differ from a still figure's", () => {
    const spec = understand({ text: "A child kicking a ball in a park", sections: {} });
    spec.camera = { movement: "static", speed: "normal", follows: false };
    const tl = buildTimeline(spec, { durationSeconds: 4, fps: 30, seed: 2 });
    const draw = (verb: string | null) => {
      const s = structuredClone(spec);
      s.subjects[0]!.verb = verb;
      const r = new PictureRenderer({
        spec: s,
        timeline: tl,
        width: 360,
        height: 640,
        mouth: () => 0,
      });
      return Array.from({ length: 8 }, (_, i) => Buffer.from(r.draw(i * 6).data()));
    };
    const kicking = draw("kicking");
    const standing = draw(null);
    const changed = kicking.filter((f, i) => Buffer.compare(f, standing[i]!) !== 0).length;
    // Over most of a period the leg is away from where a standing figure's is.
    expect(changed).toBeGreaterThanOrEqual(5);
    // ...and the kicker's own frames change as the leg swings (a pose, not a fixed offset).
    const distinct = new Set(kicking.map((f) => f.toString("base64"))).size;
    expect(distinct).toBeGreaterThanOrEqual(6);
  });
});
