import { createCanvas } from "@napi-rs/canvas";
import { saturate } from "./color.ts";
import { valueNoise } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Claymation: rounded, softened shapes in saturated plasticine colours, thumb-pressed bumps in
 * every surface (a lit relief from noise) and a small-set tilt-shift softness at the edges.
 */
export const claymation: StyleTreatment = {
  id: "claymation",
  label: "Claymation",
  look: "soft plasticine shapes with thumbprint texture",
  setup: () => ({
    grade: (c) => saturate([c[0] * 1.05 + 8, c[1] * 1.02 + 6, c[2] * 0.95], 1.3),
    layer: (canvas, info) => {
      const w = canvas.width;
      const h = canvas.height;
      const k = info.W / 720;
      const soft = createCanvas(w, h);
      const sctx = soft.getContext("2d");
      sctx.filter = `blur(${(3 * k).toFixed(1)}px)`;
      sctx.drawImage(canvas, 0, 0);
      const ctx = canvas.getContext("2d");
      const img = sctx.getImageData(0, 0, w, h);
      const d = img.data;
      const n = valueNoise(info.r);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const j = (y * w + x) * 4;
          const a = d[j + 3]!;
          if (a < 8) continue;
          // Harden the blurred alpha into a rounded edge; light the thumbprint relief from the top left.
          d[j + 3] = a > 110 ? 255 : 0;
          const s = 22 * k;
          const dx = n((x + 1) / s, y / s) - n((x - 1) / s, y / s);
          const dy = n(x / s, (y + 1) / s) - n(x / s, (y - 1) / s);
          const lit = 1 + (-dx - dy) * 0.9;
          d[j] = d[j]! * lit;
          d[j + 1] = d[j + 1]! * lit;
          d[j + 2] = d[j + 2]! * lit;
        }
      ctx.clearRect(0, 0, w, h);
      ctx.putImageData(img, 0, 0);
    },
    vignette: 0.35,
    grain: 0,
    movingGrain: false,
  }),
};
