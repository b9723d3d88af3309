import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { rng } from "../prng.ts";
import { treatmentFor } from "../styles/index.ts";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import { PictureRenderer } from "./renderer.ts";

/**
 * The style's subject filter (outlines, blur, hue drift) runs on the box the subjects are drawn
 * in, not on the whole frame: the frames must be the same bytes as with a whole-frame pass.
 */
function frames(prompt: string, whole: boolean): { hash: string; boxArea: number } {
  const spec = understand({ text: prompt, sections: {} });
  const tl = buildTimeline(spec, { durationSeconds: 3, fps: 10, seed: 11 });
  const r = new PictureRenderer({ spec, timeline: tl, width: 360, height: 640, mouth: () => 0 });
  let boxArea = 0;
  const box = r.subjectBox.bind(r);
  r.subjectBox = (cam, frame) => {
    const b = box(cam, frame);
    boxArea = Math.max(boxArea, b.w * b.h);
    return whole ? { x: 0, y: 0, w: 360, h: 640 } : b;
  };
  const h = createHash("sha256");
  for (let f = 0; f < tl.frames; f += 3) h.update(r.draw(f).data());
  return { hash: h.digest("hex"), boxArea };
}

describe("subject filter on the subjects' box", () => {
  test.each([
    "an eagle flying above snowy mountains, ukiyo-e woodblock print",
    "a yellow umbrella next to a blue bench in the park, watercolor",
    "a cow standing in front of a barn, cartoon",
    "a giant apple floating in the sky, surreal",
    "three sheep grazing on a farm, comic book style",
    "two friends talking at a cafe table, anime",
    "a red car driving down a desert road, pencil sketch",
    // Compositions: a rider moving with its mount, flowers on stems in a vase on a table.
    "a woman riding a horse on a beach, cartoon",
    "a vase of flowers on a table, watercolor",
  ])("draws byte-identical frames: %s", (prompt) => {
    const spec = understand({ text: prompt, sections: {} });
    // The style filters its subjects (else this would compare nothing).
    expect(
      treatmentFor(spec.style).setup({ W: 360, H: 640, r: rng(1) }).subjectFilter,
    ).toBeTruthy();
    const boxed = frames(prompt, false);
    // The box is smaller than the frame for these shots (else the saving is nil)...
    expect(boxed.boxArea).toBeLessThan(360 * 640);
    // ...and the frames are the same bytes.
    expect(boxed.hash).toBe(frames(prompt, true).hash);
  });

  test("a lighthouse's beams at dusk are inside the box (it reaches across the frame)", () => {
    const prompt = "a lighthouse on a rocky coast at dusk, ukiyo-e woodblock print";
    expect(understand({ text: prompt, sections: {} }).subjects[0]?.art).toBe("lighthouse");
    expect(frames(prompt, false).hash).toBe(frames(prompt, true).hash);
  });
});
