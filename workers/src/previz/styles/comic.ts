import { luma, saturate } from "./color.ts";
import { celBands, inkOutlines, soften } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Comic book: two flat tones a colour, heavy ink lines, and Ben-Day halftone dots in the shadows
 * of the scenery; subjects get the ink line.
 */
export const comic: StyleTreatment = {
  id: "comic",
  label: "Comic book",
  look: "heavy ink lines, flat colour, halftone dots",
  setup: ({ W }) => {
    const px = Math.max(2, Math.round((3 * W) / 720));
    return {
      grade: (c) => saturate(c, 1.5),
      layer: (canvas, info) => {
        if (info.role === "ground" || info.role === "front") soften(canvas, (2 * info.W) / 720);
        const ctx = canvas.getContext("2d");
        const w = canvas.width;
        const img = ctx.getImageData(0, 0, w, canvas.height);
        celBands(img, 2);
        inkOutlines(
          img,
          [10, 10, 10],
          info.role === "ground" || info.role === "front" ? 0.3 : 0.12,
          Math.max(2, Math.round((4 * info.W) / 720)),
        );
        const d = img.data;
        const pitch = Math.max(4, Math.round((7 * info.W) / 720));
        for (let y = 0; y < canvas.height; y++)
          for (let x = 0; x < w; x++) {
            const j = (y * w + x) * 4;
            if (d[j + 3]! < 8 || (d[j]! < 20 && d[j + 1]! < 20 && d[j + 2]! < 20)) continue;
            const l = luma([d[j]!, d[j + 1]!, d[j + 2]!]) / 255;
            // Dot radius grows in the shadows.
            const cx = ((x % pitch) - pitch / 2) / pitch;
            const cy =
              (((y + (Math.floor(x / pitch) % 2) * (pitch / 2)) % pitch) - pitch / 2) / pitch;
            if (Math.hypot(cx, cy) < (1 - l) * 0.5) {
              d[j] = d[j]! * 0.45;
              d[j + 1] = d[j + 1]! * 0.45;
              d[j + 2] = d[j + 2]! * 0.45;
            }
          }
        ctx.putImageData(img, 0, 0);
      },
      subjectFilter: `drop-shadow(${px}px 0 0 #0a0a0a) drop-shadow(-${px}px 0 0 #0a0a0a) drop-shadow(0 ${px}px 0 #0a0a0a) drop-shadow(0 -${px}px 0 #0a0a0a)`,
      vignette: 0,
      grain: 0,
      movingGrain: false,
    };
  },
};
