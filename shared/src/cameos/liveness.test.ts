import { describe, expect, it } from "vitest";
import {
  type EnergySample,
  type FaceSample,
  judgeLiveness,
  type LivenessPlan,
  planLiveness,
} from "./liveness.ts";

const plan: LivenessPlan = {
  baselineEndS: 1,
  prompts: [
    { kind: "right", startS: 1, endS: 2 },
    { kind: "digits", startS: 2, endS: 3, digits: "4071" },
    { kind: "left", startS: 3, endS: 4 },
    { kind: "up", startS: 4, endS: 5 },
  ],
};
const pose: Record<string, { yaw: number; pitch: number }> = {
  center: { yaw: 0.05, pitch: -0.12 },
  // A side turn also lowers the pitch estimate; that is not looking up.
  left: { yaw: -0.13, pitch: -0.18 },
  right: { yaw: 0.13, pitch: -0.11 },
  up: { yaw: 0.03, pitch: -0.2 },
};
/** Four samples a second, posed per window. */
function faces(windows: string[], o: Partial<FaceSample> = {}): FaceSample[] {
  const out: FaceSample[] = [];
  windows.forEach((w, i) => {
    for (let k = 0; k < 4; k++)
      out.push({ t: i + k / 4, found: true, real: 0.8, live: 0.8, ...pose[w]!, ...o });
  });
  return out;
}
const speech = (loudWindow: number | null): EnergySample[] =>
  Array.from({ length: 50 }, (_, i) => ({
    t: i / 10,
    rms: loudWindow !== null && Math.floor(i / 10) === loudWindow ? 0.2 : 0.003,
  }));

describe("judgeLiveness", () => {
  it("passes a person who turns as prompted and reads the digits aloud", () => {
    const v = judgeLiveness(plan, faces(["center", "right", "center", "left", "up"]), speech(2));
    expect(v).toMatchObject({ ok: true });
  });

  it("refuses a still photo", () => {
    const v = judgeLiveness(
      plan,
      faces(["center", "center", "center", "center", "center"]),
      speech(2),
    );
    expect(v).toMatchObject({ ok: false, code: "liveness_still" });
  });

  it("refuses turns in the wrong order, naming what it saw", () => {
    const v = judgeLiveness(plan, faces(["center", "left", "center", "right", "up"]), speech(2));
    expect(v).toMatchObject({ ok: false, code: "liveness_order" });
    if (!v.ok) expect(v.reason).toContain("turn right");
  });

  it("refuses silence while the digits were asked, and speech at the wrong time", () => {
    const moves = faces(["center", "right", "center", "left", "up"]);
    expect(judgeLiveness(plan, moves, speech(null))).toMatchObject({
      ok: false,
      code: "liveness_silent",
    });
    expect(judgeLiveness(plan, moves, speech(4))).toMatchObject({
      ok: false,
      code: "liveness_silent",
    });
  });

  it("refuses a missing turn, a face that is mostly absent, and low anti-spoof scores", () => {
    expect(
      judgeLiveness(plan, faces(["center", "right", "center", "left", "center"]), speech(2)),
    ).toMatchObject({
      code: "liveness_turn",
    });
    const gone = faces(["center", "right", "center", "left", "up"]).map((f, i) => ({
      ...f,
      found: i < 8,
    }));
    expect(judgeLiveness(plan, gone, speech(2))).toMatchObject({ code: "liveness_no_face" });
    expect(
      judgeLiveness(
        plan,
        faces(["center", "right", "center", "left", "up"], { real: 0.2 }),
        speech(2),
      ),
    ).toMatchObject({ code: "liveness_spoof" });
  });

  it("refuses a take whose face shows a screen's pixel pattern (a replay held to the camera)", () => {
    const moves = ["center", "right", "center", "left", "up"];
    const replay = judgeLiveness(plan, faces(moves, { moire: 45 }), speech(2));
    expect(replay).toMatchObject({ ok: false, code: "liveness_replay" });
    if (!replay.ok) expect(replay.reason).toContain("screen");
    // A face filmed straight (the scores measured on real footage) passes, as does an unmeasured one.
    expect(judgeLiveness(plan, faces(moves, { moire: 15 }), speech(2))).toMatchObject({
      ok: true,
      checks: expect.arrayContaining(["screen pattern 15.0"]),
    });
    // One odd frame is not a screen: the median decides.
    const oneOff = faces(moves, { moire: 15 }).map((f, i) => (i === 3 ? { ...f, moire: 80 } : f));
    expect(judgeLiveness(plan, oneOff, speech(2))).toMatchObject({ ok: true });
  });
});

describe("planLiveness", () => {
  it("gives the four prompts once each, one second apart after a one-second baseline, with four digits", () => {
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const p = planLiveness(rnd);
    expect(p.prompts.map((x) => x.kind).sort()).toEqual(["digits", "left", "right", "up"]);
    expect(p.prompts.map((x) => x.startS)).toEqual([1, 2, 3, 4]);
    expect(p.prompts.find((x) => x.kind === "digits")?.digits).toMatch(/^\d{4}$/);
  });
  it("orders differ between plans (random order)", () => {
    const orders = new Set(
      Array.from({ length: 30 }, () =>
        planLiveness()
          .prompts.map((x) => x.kind)
          .join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
  });
});
