import { luma, type RGB } from "./color.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Black and white: every colour to grey with a photographic contrast curve, and a per-frame
 * desaturation blend (one fill) so subjects drawn in their own colours turn grey too; a faint,
 * still grain and a deep vignette.
 */
export const blackAndWhite: StyleTreatment = {
  id: "black-and-white",
  label: "Black and white",
  look: "greyscale with deep blacks and bright whites",
  setup: () => ({
    grade: (c: RGB) => {
      const l = luma(c) / 255;
      // An S-curve: deeper blacks, brighter whites.
      const s = l < 0.5 ? 2 * l * l : 1 - 2 * (1 - l) * (1 - l);
      const v = (0.35 * l + 0.65 * s) * 255;
      return [v, v, v];
    },
    frame: (ctx, canvas) => {
      ctx.save();
      ctx.globalCompositeOperation = "saturation";
      ctx.fillStyle = "#808080";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
    },
    vignette: 0.5,
    grain: 0.06,
    movingGrain: false,
  }),
};
