import { createCanvas } from "@napi-rs/canvas";
import { luma, mix, type RGB, saturate } from "./color.ts";
import { inkOutlines, texture } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Cyberpunk: shadows pushed to deep violet-blue, light split between neon magenta and cyan, glowing
 * neon contours on the scenery, a bloom on everything bright (the frame drawn small and added back
 * soft) and CRT scanlines, per frame.
 */
export const cyberpunk: StyleTreatment = {
  id: "cyberpunk",
  label: "Cyberpunk",
  look: "neon magenta and cyan, glow, scanlines, violet shadows",
  setup: ({ W, H, r }) => {
    const lines = texture("scanlines", W, H, r);
    const bw = Math.max(8, Math.round(W / 10));
    const bh = Math.max(8, Math.round(H / 10));
    const bloom = createCanvas(bw, bh);
    const bctx = bloom.getContext("2d");
    return {
      grade: (c) => {
        const l = luma(c) / 255;
        const dark: RGB = [30, 10, 60];
        const magenta: RGB = [255, 40, 190];
        const cyan: RGB = [30, 230, 255];
        // Warm-ish colours go magenta, cool ones cyan; the darks sink to violet.
        const neon = c[0] >= c[2] ? magenta : cyan;
        const lit = mix(saturate(c, 1.5), neon, 0.45);
        return mix(dark, lit, Math.min(1, l * l * 1.6));
      },
      layer: (canvas, info) => {
        if (info.role === "sky") return;
        const ctx = canvas.getContext("2d");
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const k = info.W / 720;
        inkOutlines(
          img,
          info.role === "far" ? [40, 230, 255] : [255, 50, 200],
          0.16,
          Math.max(2, Math.round(2.5 * k)),
          1,
        );
        ctx.putImageData(img, 0, 0);
      },
      frame: (ctx, canvas) => {
        bctx.imageSmoothingEnabled = true;
        bctx.drawImage(canvas, 0, 0, bw, bh);
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.globalCompositeOperation = "screen";
        ctx.globalAlpha = 0.45;
        ctx.drawImage(bloom, 0, 0, W, H);
        ctx.globalAlpha = 1;
        ctx.globalCompositeOperation = "source-over";
        ctx.drawImage(lines, 0, 0);
        ctx.restore();
      },
      vignette: 0.5,
      grain: 0,
      movingGrain: false,
    };
  },
};
