import { structuredPromptSchema } from "@reelhouse/shared/generation/request";
import { describe, expect, it } from "vitest";
import { cameraPath } from "./picture.ts";
import { buildTimeline } from "./timeline.ts";
import { understand } from "./understand.ts";

const W = 360;
const H = 640;
function path(text: string) {
  const spec = understand(structuredPromptSchema.parse({ text }));
  const tl = buildTimeline(spec, { durationSeconds: 6, fps: 30, seed: 3 });
  return cameraPath(spec, tl, W, H);
}
const span = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

describe("previz camera moves (per-frame camera path)", () => {
  it("static: no pan, no tilt, no shake, at most a barely visible creep", () => {
    const c = path("static shot of a lighthouse on a beach");
    expect(span(c.map((k) => k.x))).toBe(0);
    expect(span(c.map((k) => k.y))).toBe(0);
    expect(span(c.map((k) => k.rot))).toBe(0);
    expect(span(c.map((k) => k.zoom)) / c[0]!.zoom).toBeLessThan(0.02);
  });

  it("pan right moves the camera right, pan left moves it left", () => {
    const r = path("a mountain valley at dawn, slow pan right");
    const l = path("a mountain valley at dawn, pan left");
    expect(r.at(-1)!.x).toBeGreaterThan(r[0]!.x + W * 0.1);
    expect(l.at(-1)!.x).toBeLessThan(l[0]!.x - W * 0.1);
  });

  it("tilt up raises the view", () => {
    const c = path("a tall tower in a city, tilt up");
    expect(c.at(-1)!.y).toBeLessThan(c[0]!.y - H * 0.1);
  });

  it("dolly from wide to medium pushes in to the medium framing; zoom out pulls back", () => {
    const d = path("a jazz band in a club, dolly from wide to medium shot");
    expect(d[0]!.zoom).toBeCloseTo(1, 5);
    expect(d.at(-1)!.zoom).toBeCloseTo(1.7, 5);
    const z = path("a city skyline, zoom out");
    expect(z.at(-1)!.zoom).toBeLessThan(z[0]!.zoom);
  });

  it("tracking keeps a walker framed: the camera moves with the subject", () => {
    const c = path("tracking shot following a woman walking down a street");
    expect(span(c.map((k) => k.subjectX))).toBeGreaterThan(W * 0.1);
    for (const k of c) expect(k.x).toBeCloseTo(k.subjectX, 6);
  });

  it("orbit swings the angle from one side to the other around the subject", () => {
    const c = path("camera slowly rotating around a cup of coffee");
    expect(c[0]!.orbit).toBeLessThan(-0.2);
    expect(c.at(-1)!.orbit).toBeGreaterThan(0.2);
  });

  it("handheld shakes and rolls a little, never more than a few percent of the frame", () => {
    const c = path("a reporter in a market, handheld camera");
    expect(span(c.map((k) => k.x))).toBeGreaterThan(0.5);
    expect(span(c.map((k) => k.rot))).toBeGreaterThan(0.001);
    expect(Math.max(...c.map((k) => Math.abs(k.x)))).toBeLessThan(W * 0.05);
    expect(Math.max(...c.map((k) => Math.abs(k.rot)))).toBeLessThan(0.02);
  });
});
