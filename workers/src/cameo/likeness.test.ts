import path from "node:path";
import { cosine, LIKENESS_THRESHOLD } from "@reelhouse/shared/cameos/likeness";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { detectFace } from "./face.server.ts";
import { SAMPLE_PORTRAIT } from "./footage.server.ts";

/**
 * The likeness threshold on real faces that ship in @vladmandic/human's assets: the webcam portrait
 * (screenshot-faceid.jpg) against another photo of the same man and against other people, all from
 * the face-match demo's grid of extracted faces (screenshot-facematch.jpg, 1920×954, faces about
 * 106 px a cell; row 0 column 0 is the same man).
 */
vi.setConfig({ testTimeout: 300_000 });

const GRID = path.join(path.dirname(SAMPLE_PORTRAIT), "screenshot-facematch.jpg");

async function embed(
  file: string,
  crop: { left: number; top: number; width: number; height: number },
) {
  const side = 360;
  const { data, info } = await sharp(file)
    .extract(crop)
    .resize(200, 200, { fit: "contain", background: "#303030" })
    .extend({ top: 80, bottom: 80, left: 80, right: 80, background: "#303030" })
    .resize(side, side)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const f = await detectFace(new Uint8Array(data), info.width, info.height, { embedding: true });
  if (!f) throw new Error(`no face found in ${path.basename(file)} at ${JSON.stringify(crop)}`);
  return f.embedding;
}
const cell = (row: number, col: number) => ({
  left: Math.round(col * 106.6 + 4),
  top: Math.round(284 + row * 110),
  width: 100,
  height: 100,
});

describe("likeness threshold", () => {
  it("scores the same man above the threshold and other people below it", async () => {
    const me = await embed(SAMPLE_PORTRAIT, { left: 14, top: 142, width: 140, height: 140 });
    const meAgain = await embed(GRID, cell(0, 0));
    const others = [];
    for (const [r, c] of [
      [2, 1],
      [2, 3],
      [3, 2],
      [4, 5],
      [5, 2],
    ] as const)
      others.push(await embed(GRID, cell(r, c)));
    const same = cosine(me, meAgain);
    const different = others.map((o) => cosine(me, o));
    console.log(JSON.stringify({ same, different }));
    expect(same).toBeGreaterThanOrEqual(LIKENESS_THRESHOLD);
    for (const d of different) expect(d).toBeLessThan(LIKENESS_THRESHOLD);
  });
});
