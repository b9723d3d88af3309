import { createCanvas } from "@napi-rs/canvas";
import { mix, saturate } from "./color.ts";
import { texture, valueNoise } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Watercolour: pigment diluted toward the paper, colours bleeding past their shapes (a soft blurred
 * halo under each layer), darker pooled edges where a wash dried, granulation in the pigment, and
 * cold-press paper under the whole frame (one multiply blend per frame).
 */
export const watercolor: StyleTreatment = {
  id: "watercolor",
  label: "Watercolour",
  look: "soft washes on paper, bleeding edges, pigment granulation",
  setup: ({ W, H, r }) => {
    const paper = texture("paper", W, H, r, [255, 252, 244]);
    return {
      grade: (c) => mix(saturate(c, 1.35), [250, 245, 235], 0.18),
      layer: (canvas, info) => {
        const k = info.W / 720;
        const w = canvas.width;
        const h = canvas.height;
        const ctx = canvas.getContext("2d");
        const sharp = ctx.getImageData(0, 0, w, h);
        // Bleed: a wide blurred copy, drawn under the wash.
        const halo = createCanvas(w, h);
        const hctx = halo.getContext("2d");
        hctx.filter = `blur(${(7 * k).toFixed(1)}px)`;
        hctx.drawImage(canvas, 0, 0);
        hctx.filter = "none";
        const blurred = hctx.getImageData(0, 0, w, h).data;
        const d = sharp.data;
        const n = valueNoise(info.r);
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            const j = (y * w + x) * 4;
            const a = d[j + 3]!;
            const ba = blurred[j + 3]!;
            if (a < 4 && ba < 4) continue;
            // Edge darkening: where the sharp wash differs from its blur, pigment pooled.
            const edge = Math.min(1, Math.abs(a - ba) / 160 + Math.abs(d[j]! - blurred[j]!) / 200);
            const gran =
              1 - 0.1 * n(x / (2.5 * k), y / (2.5 * k)) - 0.08 * n(x / (25 * k), y / (25 * k));
            const dark = (1 - 0.35 * edge) * gran;
            if (a >= 4) {
              d[j] = d[j]! * dark;
              d[j + 1] = d[j + 1]! * dark;
              d[j + 2] = d[j + 2]! * dark;
            } else {
              // Outside the shape: the bled pigment, faint.
              d[j] = blurred[j]!;
              d[j + 1] = blurred[j + 1]!;
              d[j + 2] = blurred[j + 2]!;
              d[j + 3] = ba * 0.55;
            }
          }
        ctx.putImageData(sharp, 0, 0);
      },
      subjectFilter: `blur(${(0.7 * W) / 720}px) saturate(0.85)`,
      frame: (ctx, canvas) => {
        ctx.save();
        // Diluted pigment: everything (subjects too) lifts toward the paper, then the paper grain.
        ctx.globalCompositeOperation = "screen";
        ctx.fillStyle = "rgba(255,250,240,0.22)";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.globalCompositeOperation = "multiply";
        ctx.drawImage(paper, 0, 0);
        ctx.restore();
      },
      vignette: 0.08,
      grain: 0,
      movingGrain: false,
    };
  },
};
