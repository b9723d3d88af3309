import { createCanvas } from "@napi-rs/canvas";
import { nearest, type RGB, saturate } from "./color.ts";
import { posterize } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Pixel art: each frame is drawn down to a small canvas (about 128 px wide), snapped to a
 * few levels a channel (125 colours), and scaled back up with nearest-neighbour — chunky square pixels,
 * subjects included. Cheap: the small canvas has 1/36 of the pixels.
 */
const PICO8: RGB[] = [
  [0, 0, 0],
  [29, 43, 83],
  [126, 37, 83],
  [0, 135, 81],
  [171, 82, 54],
  [95, 87, 79],
  [194, 195, 199],
  [255, 241, 232],
  [255, 0, 77],
  [255, 163, 0],
  [255, 236, 39],
  [0, 228, 54],
  [41, 173, 255],
  [131, 118, 156],
  [255, 119, 168],
  [255, 204, 170],
];

/** The pixel size at a frame width: 128 art pixels across a portrait frame, ~200 on landscape. */
export function pixelSize(W: number, H: number): number {
  return Math.max(2, Math.round(Math.min(W, H) / 128));
}

export const pixelArt: StyleTreatment = {
  id: "pixel-art",
  label: "Pixel art",
  look: "chunky square pixels in a limited palette",
  setup: ({ W, H }) => {
    const p = pixelSize(W, H);
    const sw = Math.ceil(W / p);
    const sh = Math.ceil(H / p);
    const small = createCanvas(sw, sh);
    const sctx = small.getContext("2d");
    return {
      grade: (c) => saturate(c, 1.25),
      frame: (ctx, canvas) => {
        sctx.imageSmoothingEnabled = true;
        sctx.drawImage(canvas, 0, 0, sw, sh);
        const img = sctx.getImageData(0, 0, sw, sh);
        posterize(img, 5);
        sctx.putImageData(img, 0, 0);
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(small, 0, 0, sw * p, sh * p);
        ctx.restore();
        ctx.imageSmoothingEnabled = true;
      },
      vignette: 0,
      grain: 0,
      movingGrain: false,
    };
  },
};

export const pico8 = (c: RGB) => nearest(c, PICO8);
