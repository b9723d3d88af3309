import { brushStrokes, swirlField } from "./brush.ts";
import { luma, mix, nearest, type RGB } from "./color.ts";
import { texture, valueNoise } from "./raster.ts";
import type { StyleTreatment } from "./types.ts";

/**
 * Van Gogh / impasto: the whole scenery re-painted in short, thick, curving strokes that follow
 * a flow field — swirling vortices in the sky and around the sun or moon (Starry Night halos),
 * rippling bands on the ground, upward flames in trees — in cobalt, ultramarine, chrome yellow
 * and viridian. Moving subjects get the stroke relief per frame (one overlay blend).
 */

const PALETTE: RGB[] = [
  [22, 38, 110], // ultramarine
  [40, 80, 170], // cobalt
  [90, 140, 210], // cerulean
  [160, 200, 230], // pale blue
  [245, 215, 70], // chrome yellow
  [240, 170, 40], // orange ochre
  [250, 240, 190], // lead white warm
  [60, 120, 70], // viridian
  [120, 160, 60], // sap green
  [110, 70, 40], // umber
  [30, 45, 40], // dark
  [200, 90, 50], // vermilion-ish
];

function paletteShift(c: RGB): RGB {
  // Halfway to the nearest tube colour: the scene's colours, said in his palette.
  return mix(c, nearest(c, PALETTE), 0.55);
}

export const vanGogh: StyleTreatment = {
  id: "van-gogh",
  label: "Van Gogh",
  look: "swirling thick brush strokes, starry halos, cobalt and chrome yellow",
  setup: ({ W, H, r }) => {
    const relief = texture("canvas", W, H, r, [128, 128, 128]);
    // Stroke relief over the whole frame (subjects too): short curved grey strokes, light/dark.
    const rctx = relief.getContext("2d");
    const n = valueNoise(r);
    rctx.lineCap = "round";
    const s = W / 90;
    for (let y = 0; y < H; y += s)
      for (let x = 0; x < W; x += s) {
        const a = n(x / (W * 0.12), y / (W * 0.12)) * Math.PI * 4;
        rctx.strokeStyle = r.next() < 0.5 ? "rgba(200,200,200,0.55)" : "rgba(60,60,60,0.5)";
        rctx.lineWidth = s * 0.45;
        rctx.beginPath();
        rctx.moveTo(x, y);
        rctx.quadraticCurveTo(
          x + Math.cos(a) * s,
          y + Math.sin(a) * s,
          x + Math.cos(a + 0.6) * s * 2,
          y + Math.sin(a + 0.6) * s * 2,
        );
        rctx.stroke();
      }
    return {
      grade: (c) => {
        const l = luma(c);
        // Deeper blues, warmer yellows, more saturation.
        const sat: RGB = [l + (c[0] - l) * 1.35, l + (c[1] - l) * 1.3, l + (c[2] - l) * 1.45];
        return paletteShift(sat);
      },
      layer: (canvas, info) => {
        const k = info.W / 720;
        const noise = valueNoise(info.r);
        let angle: (x: number, y: number) => number;
        let spacing = 10 * k;
        let length = 30 * k;
        let width = 9 * k;
        if (info.role === "sky") {
          const centres: { x: number; y: number; radius: number; spin: 1 | -1 }[] = [];
          if (info.sun)
            centres.push({ x: info.sun.x, y: info.sun.y, radius: info.sun.radius * 3.2, spin: 1 });
          for (let i = 0; i < 4; i++)
            centres.push({
              x: info.r.range(0, canvas.width),
              y: info.oy + info.horizon - info.H * info.r.range(0.25, 0.55),
              radius: info.W * info.r.range(0.12, 0.22),
              spin: i % 2 === 0 ? 1 : -1,
            });
          angle = swirlField(
            centres,
            (x, y) => (noise(x / (info.W * 0.3), y / (info.W * 0.3)) - 0.5) * 1.4,
          );
          spacing = 8 * k;
          length = 34 * k;
        } else if (info.role === "ground" || info.role === "front") {
          // Rippling furrows across the field.
          angle = (x, y) =>
            Math.sin(x / (info.W * 0.12) + noise(x / (info.W * 0.2), y / (info.W * 0.2)) * 3) * 0.5;
        } else {
          // Trees and hills: strokes climb like flames.
          angle = (x, y) =>
            -Math.PI / 2 + (noise(x / (info.W * 0.08), y / (info.W * 0.08)) - 0.5) * 2.2;
          length = 20 * k;
          width = 6 * k;
        }
        brushStrokes(canvas, {
          spacing,
          length,
          width,
          angle,
          jitter: 0.22,
          alpha: 0.95,
          saturation: 1.15,
          ridge: true,
          recolor: paletteShift,
          r: info.r,
        });
        if (info.role === "sky" && info.sun) {
          // Concentric halo rings of dabs around the sun or moon.
          const ctx = canvas.getContext("2d");
          ctx.lineCap = "round";
          for (let ring = 1; ring <= 4; ring++) {
            const R = info.sun.radius * (1 + ring * 0.55);
            const dabs = Math.round(R / (4 * k));
            ctx.lineWidth = 6 * k;
            for (let i = 0; i < dabs; i++) {
              const a0 = (i / dabs) * Math.PI * 2 + info.r.next() * 0.1;
              ctx.strokeStyle = ring % 2 ? "rgba(250,225,90,0.85)" : "rgba(255,245,200,0.7)";
              ctx.beginPath();
              ctx.arc(info.sun.x, info.sun.y, R, a0, a0 + 0.18);
              ctx.stroke();
            }
          }
        }
      },
      frame: (ctx, _canvas, _frame) => {
        ctx.save();
        ctx.globalCompositeOperation = "overlay";
        ctx.globalAlpha = 0.35;
        ctx.drawImage(relief, 0, 0);
        ctx.restore();
      },
      vignette: 0.25,
      grain: 0,
      movingGrain: false,
    };
  },
};
