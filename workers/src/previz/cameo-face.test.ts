import { createCanvas, type Image } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { type CameoFaceKit, drawCameoFace, pickSprite } from "./cameo-face.ts";

/** A flat coloured oval as a stand-in kit image, so which sprite was drawn shows in the pixels. */
function oval(color: string): Image {
  const c = createCanvas(64, 64);
  const x = c.getContext("2d");
  x.fillStyle = color;
  x.beginPath();
  x.ellipse(32, 32, 26, 32, 0, 0, Math.PI * 2);
  x.fill();
  return c as unknown as Image;
}
const kit: CameoFaceKit = {
  front: oval("#808080"),
  mouthClosed: oval("#ff0000"),
  mouthOpen: oval("#00ff00"),
  left: oval("#0000ff"),
  right: oval("#ffff00"),
  up: oval("#ff00ff"),
};

describe("cameo face on a previz figure", () => {
  it("picks the pose from the head's turn and the mouth from the speech loudness", () => {
    const at = { x: 0, y: 0, size: 10, turn: 0, speech: 0 };
    expect(pickSprite(kit, at)).toBe(kit.mouthClosed);
    expect(pickSprite(kit, { ...at, speech: 0.5 })).toBe(kit.mouthOpen);
    expect(pickSprite(kit, { ...at, turn: -0.8 })).toBe(kit.left);
    expect(pickSprite(kit, { ...at, turn: 0.8 })).toBe(kit.right);
    expect(pickSprite(kit, { ...at, lookUp: 0.9 })).toBe(kit.up);
    expect(pickSprite({ ...kit, left: undefined }, { ...at, turn: -0.8 })).toBe(kit.mouthClosed);
  });

  it("draws the chosen cutout centred on the head, and nothing far from it", () => {
    const c = createCanvas(200, 200);
    const ctx = c.getContext("2d");
    drawCameoFace(ctx, kit, { x: 100, y: 80, size: 60, turn: 0, speech: 0.6 });
    const px = (x: number, y: number) => Array.from(ctx.getImageData(x, y, 1, 1).data);
    expect(px(100, 80)).toEqual([0, 255, 0, 255]);
    expect(px(10, 190)[3]).toBe(0);
    drawCameoFace(ctx, kit, { x: 100, y: 80, size: 60, turn: 0, speech: 0 });
    expect(px(100, 80)).toEqual([255, 0, 0, 255]);
  });

  it("a turned head is drawn narrower", () => {
    const width = (turn: number) => {
      const c = createCanvas(200, 200);
      const ctx = c.getContext("2d");
      drawCameoFace(
        ctx,
        { ...kit, left: undefined, right: undefined },
        { x: 100, y: 100, size: 80, turn, speech: 0 },
      );
      const row = ctx.getImageData(0, 100, 200, 1).data;
      let n = 0;
      for (let i = 3; i < row.length; i += 4) if (row[i]! > 128) n++;
      return n;
    };
    expect(width(0.9)).toBeLessThan(width(0) * 0.85);
  });
});
