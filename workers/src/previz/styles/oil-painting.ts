import { createCanvas } from "@napi-rs/canvas";
import { brushStrokes } from "./brush.ts";
import { luma, mix, type RGB } from "./color.ts";
import { texture, valueNoise } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Oil painting: the layers are first softened (wet-into-wet blending), then laid over with broad,
 * soft, straight-ish strokes in a warm, varnished palette; a linen canvas weave shows through the
 * whole frame (one soft-light blend per frame, subjects included).
 */
export const oilPainting: StyleTreatment = {
  id: "oil-painting",
  label: "Oil painting",
  look: "soft blended brush strokes, warm varnish, canvas weave",
  setup: ({ W, H, r }) => {
    const weave = texture("canvas", W, H, r, [150, 145, 135]);
    return {
      grade: (c) => {
        const l = luma(c);
        // Warm varnish: a little amber, deeper darks, rich mid-tones.
        const rich: RGB = [l + (c[0] - l) * 1.15, l + (c[1] - l) * 1.1, l + (c[2] - l) * 1.05];
        return mix(rich, [l * 1.1 + 8, l * 0.95, l * 0.72], 0.32);
      },
      layer: (canvas, info) => {
        const k = info.W / 720;
        // Blend: paint a blurred copy under the sharp one.
        const soft = createCanvas(canvas.width, canvas.height);
        const sctx = soft.getContext("2d");
        sctx.filter = `blur(${(3 * k).toFixed(1)}px)`;
        sctx.drawImage(canvas, 0, 0);
        const ctx = canvas.getContext("2d");
        ctx.globalAlpha = 0.7;
        ctx.drawImage(soft, 0, 0);
        ctx.globalAlpha = 1;
        const noise = valueNoise(info.r);
        const sky = info.role === "sky";
        brushStrokes(canvas, {
          spacing: 13 * k,
          length: (sky ? 34 : 24) * k,
          width: 14 * k,
          angle: (x, y) =>
            (sky ? 0 : -0.3) +
            (noise(x / (info.W * 0.25), y / (info.W * 0.25)) - 0.5) * (sky ? 0.8 : 2.4),
          jitter: 0.16,
          alpha: 0.75,
          saturation: 1.05,
          ridge: false,
          r: info.r,
        });
      },
      frame: (ctx) => {
        ctx.save();
        ctx.globalCompositeOperation = "soft-light";
        ctx.globalAlpha = 0.85;
        ctx.drawImage(weave, 0, 0);
        ctx.restore();
      },
      vignette: 0.42,
      grain: 0,
      movingGrain: false,
    };
  },
};
