import { luma, mix, nearest, type RGB } from "./color.ts";
import { inkOutlines, quantize, texture } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Ukiyo-e woodblock: the scenery snapped to a handful of flat block colours (Prussian blue,
 * indigo, vermilion, ochre, sage, pale pink, paper), bold dark-ink contours, a dark indigo
 * bokashi band across the top of the sky, wave lines cut into every blue area, and the whole frame
 * printed on warm paper (a multiply blend per frame). Moving subjects get the ink outline.
 */

const INK: RGB = [35, 30, 40];
const PAPER: RGB = [240, 226, 196];
const BLOCKS: RGB[] = [
  PAPER,
  [214, 196, 160], // paper shadow
  [28, 52, 96], // indigo
  [38, 88, 140], // Prussian blue
  [120, 166, 190], // pale blue
  [196, 66, 46], // vermilion
  [222, 150, 70], // ochre
  [112, 132, 84], // sage
  [150, 172, 104], // young leaf
  [186, 190, 120], // straw
  [70, 96, 60], // dark green
  [232, 170, 160], // sakura pink
  [110, 80, 60], // brown
  INK,
];

export const ukiyoE: StyleTreatment = {
  id: "ukiyo-e",
  label: "Ukiyo-e woodblock",
  look: "flat block colours, bold ink outlines, wave lines, paper",
  setup: ({ W, H, r }) => {
    const paper = texture("paper", W, H, r, [255, 246, 226]);
    return {
      grade: (c) => mix(c, nearest(c, BLOCKS), 0.6),
      layer: (canvas, info) => {
        const ctx = canvas.getContext("2d");
        const k = info.W / 720;
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        quantize(img, BLOCKS);
        const d = img.data;
        const w = canvas.width;
        // Wave lines: carved light arcs across every blue block.
        const pitch = 14 * k;
        for (let y = 0; y < canvas.height; y++)
          for (let x = 0; x < w; x++) {
            const j = (y * w + x) * 4;
            if (d[j + 3]! < 8) continue;
            const blue =
              d[j + 2]! > d[j]! + 30 &&
              d[j + 2]! > d[j + 1]! + 10 &&
              luma([d[j]!, d[j + 1]!, d[j + 2]!]) < 200;
            if (!blue || (info.role !== "far" && info.role !== "mid")) continue;
            const ph = (y + Math.abs(Math.sin(x / (18 * k))) * 8 * k) % pitch;
            if (ph < 1.6 * k) {
              d[j] = 220;
              d[j + 1] = 228;
              d[j + 2] = 230;
            }
          }
        inkOutlines(
          img,
          INK,
          info.role === "ground" || info.role === "front" ? 0.35 : 0.14,
          Math.max(2, Math.round(2.5 * k)),
        );
        ctx.putImageData(img, 0, 0);
        if (info.role === "sky") {
          // Bokashi: the dark indigo gradient band at the top of the print, and long cloud bands.
          const top = ctx.createLinearGradient(0, 0, 0, info.oy - info.H * 0.25);
          top.addColorStop(0, "rgba(20,36,80,0.95)");
          top.addColorStop(1, "rgba(20,36,80,0)");
          ctx.fillStyle = top;
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.fillStyle = `rgb(${PAPER.join(",")})`;
          ctx.strokeStyle = `rgb(${INK.join(",")})`;
          ctx.lineWidth = 2 * k;
          for (let i = 0; i < 3; i++) {
            const y = info.oy + info.horizon - info.H * info.r.range(0.15, 0.4);
            const x = info.r.range(0, canvas.width * 0.7);
            const bw = info.W * info.r.range(0.4, 0.8);
            ctx.beginPath();
            ctx.roundRect(x, y, bw, info.H * 0.022, info.H * 0.011);
            ctx.fill();
            ctx.stroke();
          }
        }
      },
      subjectFilter: `drop-shadow(${(2 * W) / 720}px 0 0 #231e28) drop-shadow(-${(2 * W) / 720}px 0 0 #231e28) drop-shadow(0 ${(2 * W) / 720}px 0 #231e28) drop-shadow(0 -${(2 * W) / 720}px 0 #231e28)`,
      frame: (ctx) => {
        ctx.save();
        ctx.globalCompositeOperation = "multiply";
        ctx.drawImage(paper, 0, 0);
        ctx.restore();
      },
      vignette: 0.12,
      grain: 0,
      movingGrain: false,
    };
  },
};
