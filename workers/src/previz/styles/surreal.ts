import { createCanvas } from "@napi-rs/canvas";
import { luma, type RGB, rotateHue, saturate } from "./color.ts";
import { valueNoise } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Surreal (Dalí): dreamlike shifted colour (apricot skies, teal shadows), scenery that melts —
 * every column of a layer stretched downward by its own drip so edges sag and run — long
 * impossible shadows, and a huge pale moon hanging low in any sky. Subjects shimmer in a slow
 * hue drift.
 */
export const surreal: StyleTreatment = {
  id: "surreal",
  label: "Surreal",
  look: "melting, dripping shapes, dreamlike colour, a giant moon",
  setup: () => ({
    grade: (c: RGB) => {
      const l = luma(c);
      const shifted = rotateHue(saturate(c, 1.3), l > 140 ? -28 : 40);
      return shifted;
    },
    layer: (canvas, info) => {
      const w = canvas.width;
      const h = canvas.height;
      const ctx = canvas.getContext("2d");
      if (info.role === "sky") {
        // A giant low moon, and a second, smaller one.
        const mx = info.ox + info.W * 0.22;
        const my = info.oy + info.horizon - info.H * 0.2;
        const R = info.H * 0.14;
        const g = ctx.createRadialGradient(mx - R * 0.3, my - R * 0.3, R * 0.1, mx, my, R);
        g.addColorStop(0, "rgba(255,250,235,0.95)");
        g.addColorStop(1, "rgba(240,200,170,0.9)");
        ctx.fillStyle = g;
        ctx.beginPath();
        ctx.arc(mx, my, R, 0, Math.PI * 2);
        ctx.fill();
        ctx.fillStyle = "rgba(250,235,220,0.8)";
        ctx.beginPath();
        ctx.arc(info.ox - info.W * 0.3, my - info.H * 0.15, R * 0.35, 0, Math.PI * 2);
        ctx.fill();
        return;
      }
      // Melt: copy column strips down, each stretched by a drip length from smooth noise.
      const src = createCanvas(w, h);
      src.getContext("2d").drawImage(canvas, 0, 0);
      ctx.clearRect(0, 0, w, h);
      const n = valueNoise(info.r);
      const strip = Math.max(2, Math.round(info.W / 360));
      const maxDrip = info.H * (info.role === "ground" ? 0.03 : 0.09);
      for (let x = 0; x < w; x += strip) {
        const v = n(x / (info.W * 0.05), 0.5);
        const drip = maxDrip * Math.max(0, v - 0.35) ** 2 * 4;
        ctx.drawImage(src, x, 0, strip, h, x, 0, strip, h + drip);
      }
      // Long shadows to the right, a low sun the other side.
      if (info.role === "ground") {
        ctx.globalCompositeOperation = "source-atop";
        const sh = ctx.createLinearGradient(0, 0, w, 0);
        sh.addColorStop(0, "rgba(0,20,40,0)");
        sh.addColorStop(1, "rgba(0,20,40,0.35)");
        ctx.fillStyle = sh;
        ctx.fillRect(0, 0, w, h);
        ctx.globalCompositeOperation = "source-over";
      }
    },
    subjectFilter: "hue-rotate(25deg) saturate(1.2)",
    vignette: 0.35,
    grain: 0,
    movingGrain: false,
  }),
};
