import { luma, type RGB, saturate } from "./color.ts";
import { celBands, inkOutlines, soften } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Cartoon and anime: cel shading (light in a few flat bands, hue kept), vivid colour and dark
 * outlines around every shape — subjects too, through the outline filter. Anime keeps softer
 * three-band skies and thinner lines than the cartoon's bold ones.
 */
const cel = (
  id: "cartoon" | "anime",
  label: string,
  look: string,
  o: { bands: number; line: number; sat: number },
): StyleTreatment => ({
  id,
  label,
  look,
  setup: ({ W }) => {
    const px = Math.max(1, Math.round((o.line * W) / 720));
    const ink = id === "anime" ? "#2a1e32" : "#141414";
    return {
      grade: (c: RGB) => {
        const s = saturate(c, o.sat);
        const l = luma(s);
        return l < 60 ? [s[0] * 1.2 + 12, s[1] * 1.2 + 12, s[2] * 1.2 + 16] : s;
      },
      layer: (canvas, info) => {
        if (info.role === "ground" || info.role === "front") soften(canvas, (2 * info.W) / 720);
        const ctx = canvas.getContext("2d");
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        celBands(img, info.role === "sky" ? o.bands + 1 : o.bands);
        // The ground's own texture (grass, ripples, rows) is not a shape: no outlines there.
        if (info.role !== "sky" && info.role !== "ground")
          inkOutlines(
            img,
            [20, 18, 26],
            info.role === "front" ? 0.32 : 0.12,
            Math.max(2, Math.round((o.line * info.W) / 720)),
          );
        ctx.putImageData(img, 0, 0);
      },
      subjectFilter: `drop-shadow(${px}px 0 0 ${ink}) drop-shadow(-${px}px 0 0 ${ink}) drop-shadow(0 ${px}px 0 ${ink}) drop-shadow(0 -${px}px 0 ${ink})`,
      vignette: 0.1,
      grain: 0,
      movingGrain: false,
    };
  },
});

export const cartoon = cel(
  "cartoon",
  "Cartoon",
  "flat cel shading, bold black outlines, vivid colour",
  { bands: 3, line: 3.5, sat: 1.45 },
);
export const anime = cel(
  "anime",
  "Anime",
  "cel shading, clean thin outlines, bright saturated colour",
  { bands: 4, line: 2, sat: 1.3 },
);
