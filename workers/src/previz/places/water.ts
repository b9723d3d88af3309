import type { ScenePainters } from "../picture/scenery.ts";
import { mix } from "../styles/color.ts";
import { band, fill, lit, type Painter, ridge, waves } from "./kit.ts";

/** Places by the water: open ocean, a rocky coast with a lighthouse, a lake, a river, underwater. */

const sea = (P: Painter) => mix(P.pal.skyBottom, [20, 90, 150], 0.7);

/** Open water from the horizon to the bottom of the layer, with crests and the sun's glitter. */
function openWater(P: Painter, ctx: CanvasCtx, w: number, h: number, ox: number, oy: number) {
  const hy = oy + P.world.horizon;
  band(P, ctx, w, hy, h, sea(P), [10, 55, 110]);
  waves(P, ctx, w, hy + 2, h, [220, 240, 255], 0.45);
  if (P.pal.sun.show) {
    // The sun's path on the water: short bright dashes under it.
    const sx = ox + P.pal.sun.x * P.world.W;
    ctx.fillStyle = P.g(mix(P.pal.sun.color, [255, 255, 255], 0.4), 0.7);
    for (let i = 0; i < 90; i++) {
      const y = hy + (h - hy) * P.r.next() ** 2;
      const spread = P.world.W * (0.03 + 0.25 * ((y - hy) / (h - hy)));
      ctx.fillRect(
        sx + P.r.range(-spread, spread),
        y,
        P.world.W * P.r.range(0.01, 0.04),
        Math.max(1, P.world.H * 0.003),
      );
    }
  }
}

type CanvasCtx = Parameters<ScenePainters["far"]>[1];

const ocean: Partial<ScenePainters> = {
  far: (P, ctx, w, h, ox, oy) => openWater(P, ctx, w, h, ox, oy),
  mid: (P, ctx, w, _h, _ox, oy) => {
    // A far sail on the horizon.
    const hy = oy + P.world.horizon;
    const x = P.r.range(w * 0.2, w * 0.8);
    const s = P.world.H * 0.03;
    fill(P, ctx, [245, 245, 240]);
    ctx.beginPath();
    ctx.moveTo(x, hy - s);
    ctx.lineTo(x + s * 0.6, hy - s * 0.05);
    ctx.lineTo(x, hy - s * 0.05);
    ctx.fill();
    fill(P, ctx, [60, 50, 45]);
    ctx.fillRect(x - s * 0.3, hy - s * 0.05, s * 1.1, s * 0.12);
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    // Nearer swell: broad darker bands with foam.
    const top = oy + P.world.horizon + P.world.H * 0.08;
    for (let y = top; y < h; y += P.world.H * 0.05) {
      fill(P, ctx, mix([15, 70, 125], [5, 35, 80], (y - top) / (h - top)), 0.35);
      ctx.beginPath();
      ctx.moveTo(0, y);
      for (let x = 0; x <= w; x += 10)
        ctx.lineTo(x, y + Math.sin(x / (P.world.W * 0.08) + y) * P.world.H * 0.008);
      ctx.lineTo(w, y + P.world.H * 0.02);
      ctx.lineTo(0, y + P.world.H * 0.02);
      ctx.fill();
    }
    waves(P, ctx, w, top, h, [240, 250, 255], 0.6);
  },
  foreground: () => {},
};

function lighthouse(P: Painter, ctx: CanvasCtx, x: number, base: number, s: number) {
  // Tapered white tower with red bands, a gallery, the lamp room and its glow.
  const top = base - s;
  const half = (y: number) => s * (0.09 - 0.03 * ((base - y) / s));
  for (let i = 0; i < 5; i++) {
    const y0 = base - (s * i) / 5;
    const y1 = base - (s * (i + 1)) / 5;
    fill(P, ctx, i % 2 ? [200, 40, 40] : [245, 245, 240]);
    ctx.beginPath();
    ctx.moveTo(x - half(y0), y0);
    ctx.lineTo(x + half(y0), y0);
    ctx.lineTo(x + half(y1), y1);
    ctx.lineTo(x - half(y1), y1);
    ctx.fill();
  }
  fill(P, ctx, [40, 40, 45]);
  ctx.fillRect(x - s * 0.09, top - s * 0.02, s * 0.18, s * 0.025);
  fill(P, ctx, [255, 230, 150]);
  ctx.fillRect(x - s * 0.05, top - s * 0.1, s * 0.1, s * 0.08);
  fill(P, ctx, [190, 30, 30]);
  ctx.beginPath();
  ctx.moveTo(x - s * 0.075, top - s * 0.1);
  ctx.lineTo(x, top - s * 0.17);
  ctx.lineTo(x + s * 0.075, top - s * 0.1);
  ctx.fill();
  const glow = ctx.createRadialGradient(x, top - s * 0.06, 0, x, top - s * 0.06, s * 0.5);
  glow.addColorStop(0, P.g([255, 240, 180], P.pal.night ? 0.7 : 0.35));
  glow.addColorStop(1, P.g([255, 240, 180], 0));
  ctx.fillStyle = glow;
  ctx.fillRect(x - s * 0.5, top - s * 0.56, s, s);
}

function rocks(P: Painter, ctx: CanvasCtx, x0: number, x1: number, base: number, size: number) {
  for (let x = x0; x < x1; x += size * P.r.range(0.5, 0.9)) {
    const r = size * P.r.range(0.35, 0.6);
    fill(P, ctx, mix([95, 90, 85], [60, 55, 55], P.r.next()));
    ctx.beginPath();
    ctx.ellipse(x, base, r * 1.3, r, 0, Math.PI, 0);
    ctx.fill();
    fill(P, ctx, [150, 145, 135], 0.5);
    ctx.beginPath();
    ctx.ellipse(x - r * 0.3, base - r * 0.55, r * 0.5, r * 0.25, -0.3, 0, Math.PI * 2);
    ctx.fill();
  }
}

const coast: Partial<ScenePainters> = {
  far: (P, ctx, w, h, ox, oy) => openWater(P, ctx, w, h, ox, oy),
  mid: (P, ctx, w, _h, ox, oy) => {
    // A cliff headland on the right with the lighthouse on it.
    const hy = oy + P.world.horizon;
    const cx = ox + P.world.W * 0.28;
    fill(P, ctx, [110, 100, 90]);
    ctx.beginPath();
    ctx.moveTo(cx - P.world.W * 0.25, hy + P.world.H * 0.06);
    ctx.lineTo(cx - P.world.W * 0.12, hy - P.world.H * 0.08);
    ctx.lineTo(cx + P.world.W * 0.05, hy - P.world.H * 0.1);
    ctx.lineTo(w, hy - P.world.H * 0.06);
    ctx.lineTo(w, hy + P.world.H * 0.08);
    ctx.fill();
    fill(P, ctx, [90, 130, 70]);
    ctx.fillRect(cx - P.world.W * 0.13, hy - P.world.H * 0.105, w, P.world.H * 0.02);
    // A lighthouse the prompt names is the subject, drawn big in front: not twice.
    if (!P.spec.subjects.some((s) => s.art === "lighthouse"))
      lighthouse(P, ctx, cx, hy - P.world.H * 0.095, P.world.H * 0.22);
    waves(P, ctx, w * 0.0, hy + P.world.H * 0.05, hy + P.world.H * 0.08, [255, 255, 255], 0.8);
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.1;
    band(P, ctx, w, top, h, [150, 130, 105], [110, 95, 80]);
    rocks(P, ctx, 0, w, top + P.world.H * 0.02, P.world.H * 0.06);
    // Surf breaking on the rocks.
    fill(P, ctx, [250, 252, 255], 0.8);
    for (let i = 0; i < 40; i++) {
      ctx.beginPath();
      ctx.arc(
        P.r.range(0, w),
        top + P.r.range(-0.02, 0.01) * P.world.H,
        P.world.W * P.r.range(0.005, 0.02),
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
  },
  foreground: (P, ctx, w, _h, _ox, oy) =>
    rocks(P, ctx, 0, w, oy + P.world.H * 0.5, P.world.H * 0.09),
};

const lake: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, _ox, oy) => {
    const hy = oy + P.world.horizon;
    ridge(
      P,
      ctx,
      w,
      hy - P.world.H * 0.02,
      P.world.H * 0.16,
      mix(P.pal.far, [90, 100, 130], 0.4),
      2,
    );
    ridge(P, ctx, w, hy, P.world.H * 0.05, mix(P.pal.far, [40, 80, 50], 0.5), 5);
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    const hy = oy + P.world.horizon;
    band(
      P,
      ctx,
      w,
      hy,
      hy + P.world.H * 0.2,
      mix(P.pal.skyBottom, [40, 90, 130], 0.5),
      [30, 70, 110],
    );
    // Reflections: pale horizontal streaks.
    fill(P, ctx, mix(P.pal.skyBottom, [255, 255, 255], 0.4), 0.35);
    for (let i = 0; i < 50; i++)
      ctx.fillRect(
        P.r.range(0, w),
        hy + P.r.range(0.005, 0.19) * P.world.H,
        P.world.W * P.r.range(0.03, 0.12),
        Math.max(1, P.world.H * 0.002),
      );
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.2;
    band(P, ctx, w, top, h, [95, 140, 70], [60, 105, 50]);
    fill(P, ctx, [200, 190, 150]);
    ctx.fillRect(0, top, w, P.world.H * 0.012);
  },
};

const river: Partial<ScenePainters> = {
  far: lake.far,
  ground: (P, ctx, w, h, ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.03;
    band(P, ctx, w, top, h, [100, 150, 75], [65, 115, 50]);
    // The river winds from the horizon to the bottom left, widening toward us.
    const water = mix(P.pal.skyBottom, [40, 100, 150], 0.6);
    fill(P, ctx, water);
    ctx.beginPath();
    const steps = 24;
    const left: [number, number][] = [];
    const right: [number, number][] = [];
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const y = top + (h - top) * t;
      const cx = ox + Math.sin(t * 3.2) * P.world.W * 0.25 - t * P.world.W * 0.15;
      const half = P.world.W * (0.01 + 0.3 * t * t);
      left.push([cx - half, y]);
      right.push([cx + half, y]);
    }
    ctx.moveTo(left[0]![0], left[0]![1]);
    for (const [x, y] of left) ctx.lineTo(x, y);
    for (const [x, y] of right.reverse()) ctx.lineTo(x, y);
    ctx.fill();
    ctx.save();
    ctx.clip();
    waves(P, ctx, w, top, h, [230, 245, 255], 0.5);
    ctx.restore();
  },
};

const underwater: Partial<ScenePainters> = {
  sky: (P, ctx, w, h, ox, _oy) => {
    band(P, ctx, w, 0, h, [30, 120, 170], [5, 30, 70]);
    // Light rays from the surface.
    for (let i = 0; i < 7; i++) {
      const x = ox + P.r.range(-0.6, 0.6) * P.world.W;
      const g = ctx.createLinearGradient(0, 0, 0, h * 0.8);
      g.addColorStop(0, P.g([200, 240, 255], 0.28));
      g.addColorStop(1, P.g([200, 240, 255], 0));
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.moveTo(x - P.world.W * 0.03, 0);
      ctx.lineTo(x + P.world.W * 0.03, 0);
      ctx.lineTo(x + P.world.W * 0.18, h * 0.8);
      ctx.lineTo(x + P.world.W * 0.02, h * 0.8);
      ctx.fill();
    }
  },
  far: (P, ctx, w, _h, _ox, oy) => {
    ridge(P, ctx, w, oy + P.world.horizon + P.world.H * 0.05, P.world.H * 0.12, [15, 55, 85], 3);
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    // Seaweed and coral.
    const base = oy + P.world.horizon + P.world.H * 0.14;
    for (let x = 0; x < w; x += P.world.W * P.r.range(0.05, 0.12)) {
      const hgt = P.world.H * P.r.range(0.1, 0.25);
      ctx.strokeStyle = P.g(lit(P, mix([40, 140, 80], [20, 90, 60], P.r.next())));
      ctx.lineWidth = P.world.W * 0.012;
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(x, base);
      ctx.bezierCurveTo(
        x + P.world.W * 0.04,
        base - hgt * 0.33,
        x - P.world.W * 0.04,
        base - hgt * 0.66,
        x + P.world.W * 0.01,
        base - hgt,
      );
      ctx.stroke();
      if (P.r.next() < 0.4) {
        fill(
          P,
          ctx,
          P.r.pick([
            [250, 110, 90],
            [255, 170, 60],
            [230, 90, 160],
          ] as const) as unknown as [number, number, number],
        );
        ctx.beginPath();
        ctx.arc(x + P.world.W * 0.03, base - P.world.H * 0.02, P.world.W * 0.025, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.12;
    band(P, ctx, w, top, h, [170, 160, 120], [120, 110, 85]);
    // Shells and bubbles (bubbles drift in the foreground).
    fill(P, ctx, [240, 220, 200]);
    for (let i = 0; i < 30; i++) {
      ctx.beginPath();
      ctx.ellipse(
        P.r.range(0, w),
        P.r.range(top, h),
        P.world.W * 0.008,
        P.world.W * 0.005,
        0,
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
  },
  foreground: (P, ctx, w, h, _ox, _oy) => {
    ctx.strokeStyle = P.g([220, 245, 255], 0.6);
    ctx.lineWidth = Math.max(1, P.world.W * 0.003);
    for (let i = 0; i < 40; i++) {
      ctx.beginPath();
      ctx.arc(
        P.r.range(0, w),
        P.r.range(0, h * 0.8),
        P.world.W * P.r.range(0.004, 0.015),
        0,
        Math.PI * 2,
      );
      ctx.stroke();
    }
  },
};

export const waterPlaces = { ocean, coast, lake, river, underwater };
