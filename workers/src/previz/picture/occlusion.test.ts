import { createHash } from "node:crypto";
import { createCanvas } from "@napi-rs/canvas";
import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import type { Cam } from "./camera.ts";
import { type Layer, occludedFrom, type World } from "./layers.ts";
import { PictureRenderer } from "./renderer.ts";

const world: World = { W: 360, H: 640, horizon: 12, ground: 192, figure: 218 };
const still: Cam = { x: 0, y: 0, zoom: 1, rot: 0, orbit: 0, subjectX: 0 };

/** A layer canvas wider and taller than the frame, centred on the world origin. */
function layer(opaqueTop: number | undefined, extra: Partial<Layer> = {}): Layer {
  return { canvas: createCanvas(420, 700), p: 0.9, ox: 210, oy: 350, opaqueTop, ...extra };
}

describe("occludedFrom", () => {
  test("an opaque floor hides everything below its top edge plus a resampling margin", () => {
    // Canvas row 500 lands on screen row 320 + (500 - 350) = 470; the margin keeps 3 more rows.
    expect(occludedFrom(layer(500), still, world)).toBe(473);
  });

  test("no floor, a turned camera, alpha or a blend mode: nothing is hidden", () => {
    expect(occludedFrom(layer(undefined), still, world)).toBeUndefined();
    expect(occludedFrom(layer(500), { ...still, rot: 0.01 }, world)).toBeUndefined();
    expect(occludedFrom(layer(500, { alpha: 0.5 }), still, world)).toBeUndefined();
    expect(occludedFrom(layer(500, { composite: "screen" }), still, world)).toBeUndefined();
  });

  test("a floor whose side or bottom edge shows inside the frame hides nothing", () => {
    // Panned so far that the layer's left edge is inside the frame.
    expect(occludedFrom(layer(500), { ...still, x: -120 }, world)).toBeUndefined();
    // Raised so that its bottom edge is inside the frame.
    expect(occludedFrom(layer(500), { ...still, y: 100 }, world)).toBeUndefined();
  });
});

/** sha256 of frames drawn with and without the layers' opaque floors (so without culling). */
function frames(prompt: string, cull: boolean): string {
  const spec = understand({ text: prompt, sections: {} });
  const tl = buildTimeline(spec, { durationSeconds: 2, fps: 12, seed: 5 });
  const r = new PictureRenderer({ spec, timeline: tl, width: 360, height: 640, mouth: () => 0 });
  const layers = (r as unknown as { layers: { back: Layer[] } }).layers.back;
  if (!cull) for (const l of layers) l.opaqueTop = undefined;
  const h = createHash("sha256");
  for (const f of [0, Math.floor(tl.frames / 2), tl.frames - 1]) h.update(r.draw(f).data());
  return `${layers.some((l) => l.opaqueTop !== undefined)}:${h.digest("hex")}`;
}

describe("occlusion culling", () => {
  test.each([
    "a horse galloping across a field, Van Gogh style",
    "a lighthouse on a rocky coast at sunset, waves crashing, camera pans right",
    "a golden retriever catching a frisbee in a sunlit garden, cinematic camera following the action",
  ])("draws byte-identical frames: %s", (prompt) => {
    const culled = frames(prompt, true);
    // The shot has a floor to cull behind (else the test would compare nothing)...
    expect(culled.startsWith("true:")).toBe(true);
    // ...and the culled frames are the same bytes as the frames drawn in full.
    expect(culled.slice(5)).toBe(frames(prompt, false).slice(6));
  });
});
