import { luma } from "./color.ts";
import { edgeMap, texture } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Pencil sketch: the scenery becomes graphite on white paper — contour lines where edges are,
 * diagonal hatching whose density follows the darkness, and the colour gone (subjects too, by a
 * per-frame desaturation and the paper multiply).
 */
export const sketch: StyleTreatment = {
  id: "sketch",
  label: "Pencil sketch",
  look: "graphite lines and hatching on white paper",
  setup: ({ W, H, r }) => {
    const paper = texture("paper", W, H, r, [255, 255, 252]);
    return {
      grade: (c) => {
        const v = 255 - (255 - luma(c)) * 0.6;
        return [v, v, v];
      },
      layer: (canvas, info) => {
        const ctx = canvas.getContext("2d");
        const w = canvas.width;
        const img = ctx.getImageData(0, 0, w, canvas.height);
        const e = edgeMap(img);
        const d = img.data;
        const k = info.W / 720;
        const pitch = 6 * k;
        for (let y = 0; y < canvas.height; y++)
          for (let x = 0; x < w; x++) {
            const i = y * w + x;
            const j = i * 4;
            if (d[j + 3]! < 8 && e[i]! < 0.2) continue;
            const dark = 1 - luma([d[j]!, d[j + 1]!, d[j + 2]!]) / 255;
            let v = 250;
            const h1 = (x + y) % pitch < 1.1 * k;
            const h2 = (x - y + 10000) % pitch < 1.1 * k;
            if ((dark > 0.35 && h1) || (dark > 0.6 && h2)) v = 150;
            if (e[i]! > 0.12) v = Math.min(v, 255 - e[i]! * 220);
            d[j] = v;
            d[j + 1] = v;
            d[j + 2] = v * 0.98;
            d[j + 3] = Math.max(d[j + 3]!, e[i]! > 0.12 ? 255 : 0);
          }
        ctx.putImageData(img, 0, 0);
      },
      frame: (ctx, canvas) => {
        ctx.save();
        ctx.globalCompositeOperation = "saturation";
        ctx.fillStyle = "#808080";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.globalCompositeOperation = "multiply";
        ctx.drawImage(paper, 0, 0);
        ctx.restore();
      },
      subjectFilter: `contrast(1.3) brightness(1.1)`,
      vignette: 0,
      grain: 0,
      movingGrain: false,
    };
  },
};
