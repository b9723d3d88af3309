import type { ScenePainters } from "../picture/scenery.ts";
import { mix } from "../styles/color.ts";
import {
  band,
  box,
  type Ctx,
  fill,
  lit,
  type Painter,
  pine,
  type RGB,
  ridge,
  roundTree,
} from "./kit.ts";

/** Open-air places on land: field, farm, desert, snow, jungle, road, and up in the sky. */

function meadow(P: Painter, ctx: Ctx, w: number, h: number, ox: number, oy: number, crop: RGB) {
  const top = oy + P.world.horizon + P.world.H * 0.03;
  band(P, ctx, w, top, h, mix(crop, P.pal.skyBottom, 0.25), mix(crop, [40, 60, 20], 0.3));
  // Crop rows converging on a vanishing point at the horizon.
  ctx.strokeStyle = P.g(lit(P, mix(crop, [40, 50, 10], 0.35)), 0.55);
  ctx.lineWidth = Math.max(1, P.world.W * 0.003);
  for (let i = -30; i <= 30; i++) {
    ctx.beginPath();
    ctx.moveTo(ox + i * P.world.W * 0.01, top);
    ctx.lineTo(ox + i * P.world.W * 0.12, h);
    ctx.stroke();
  }
  // Wildflowers.
  for (let i = 0; i < 120; i++) {
    const y = P.r.range(top + P.world.H * 0.02, h);
    fill(
      P,
      ctx,
      P.r.pick([
        [250, 250, 250],
        [250, 210, 60],
        [230, 80, 90],
        [170, 110, 230],
      ] as RGB[]),
    );
    ctx.beginPath();
    ctx.arc(P.r.range(0, w), y, P.world.W * 0.004 * (0.5 + (y - top) / (h - top)), 0, Math.PI * 2);
    ctx.fill();
  }
}

const farHills = (P: Painter, ctx: Ctx, w: number, _h: number, _ox: number, oy: number) => {
  ridge(P, ctx, w, oy + P.world.horizon, P.world.H * 0.07, mix(P.pal.far, [90, 140, 90], 0.45), 2);
};

const field: Partial<ScenePainters> = {
  far: farHills,
  mid: (P, ctx, w, _h, _ox, oy) => {
    for (let x = P.r.range(0, w * 0.3); x < w; x += P.world.W * P.r.range(0.3, 0.6))
      roundTree(
        P,
        ctx,
        x,
        oy + P.world.horizon + P.world.H * 0.02,
        P.world.H * 0.08,
        [70, 120, 60],
      );
  },
  ground: (P, ctx, w, h, ox, oy) => meadow(P, ctx, w, h, ox, oy, [200, 180, 80]),
};

function barn(P: Painter, ctx: Ctx, x: number, base: number, s: number) {
  box(P, ctx, x, base - s * 0.6, s, s * 0.6, [170, 40, 35]);
  fill(P, ctx, [140, 30, 30]);
  ctx.beginPath();
  ctx.moveTo(x - s * 0.06, base - s * 0.6);
  ctx.lineTo(x + s * 0.5, base - s * 0.95);
  ctx.lineTo(x + s * 1.06, base - s * 0.6);
  ctx.fill();
  // White trim and the X door.
  ctx.strokeStyle = P.g(lit(P, [245, 240, 230]));
  ctx.lineWidth = Math.max(1, s * 0.025);
  const dx = x + s * 0.32;
  const dw = s * 0.36;
  const dy = base - s * 0.38;
  ctx.strokeRect(dx, dy, dw, s * 0.38);
  ctx.beginPath();
  ctx.moveTo(dx, dy);
  ctx.lineTo(dx + dw, base);
  ctx.moveTo(dx + dw, dy);
  ctx.lineTo(dx, base);
  ctx.stroke();
  // Silo.
  box(P, ctx, x + s * 1.1, base - s * 0.85, s * 0.25, s * 0.85, [190, 190, 180]);
  fill(P, ctx, [150, 150, 150]);
  ctx.beginPath();
  ctx.arc(x + s * 1.225, base - s * 0.85, s * 0.125, Math.PI, 0);
  ctx.fill();
}

function fence(P: Painter, ctx: Ctx, w: number, y: number, s: number) {
  fill(P, ctx, [150, 110, 70]);
  for (let x = 0; x < w; x += s * 0.5) ctx.fillRect(x, y - s * 0.35, s * 0.05, s * 0.4);
  ctx.fillRect(0, y - s * 0.3, w, s * 0.04);
  ctx.fillRect(0, y - s * 0.15, w, s * 0.04);
}

const farm: Partial<ScenePainters> = {
  far: farHills,
  mid: (P, ctx, _w, _h, ox, oy) => {
    barn(P, ctx, ox - P.world.W * 0.45, oy + P.world.horizon + P.world.H * 0.04, P.world.H * 0.16);
    roundTree(
      P,
      ctx,
      ox + P.world.W * 0.3,
      oy + P.world.horizon + P.world.H * 0.04,
      P.world.H * 0.14,
      [70, 120, 60],
    );
  },
  ground: (P, ctx, w, h, ox, oy) => {
    meadow(P, ctx, w, h, ox, oy, [120, 170, 70]);
    fence(P, ctx, w, oy + P.world.horizon + P.world.H * 0.1, P.world.H * 0.08);
  },
};

function cactus(P: Painter, ctx: Ctx, x: number, base: number, s: number) {
  fill(P, ctx, [60, 130, 70]);
  ctx.beginPath();
  ctx.roundRect(x - s * 0.08, base - s, s * 0.16, s, s * 0.08);
  ctx.roundRect(x - s * 0.32, base - s * 0.7, s * 0.12, s * 0.35, s * 0.06);
  ctx.roundRect(x + s * 0.2, base - s * 0.8, s * 0.12, s * 0.4, s * 0.06);
  ctx.fill();
  ctx.fillRect(x - s * 0.3, base - s * 0.42, s * 0.3, s * 0.08);
  ctx.fillRect(x, base - s * 0.48, s * 0.3, s * 0.08);
}

const desert: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, ox, oy) => {
    // Flat-topped mesas.
    const hy = oy + P.world.horizon;
    fill(P, ctx, mix([190, 100, 60], P.pal.skyBottom, 0.3));
    for (let i = 0; i < 3; i++) {
      const x = ox + (i - 1) * P.world.W * 0.5 + P.r.range(-0.1, 0.1) * P.world.W;
      const mh = P.world.H * P.r.range(0.06, 0.12);
      const mw = P.world.W * P.r.range(0.2, 0.35);
      ctx.beginPath();
      ctx.moveTo(x - mw * 0.7, hy + 4);
      ctx.lineTo(x - mw * 0.45, hy - mh);
      ctx.lineTo(x + mw * 0.45, hy - mh);
      ctx.lineTo(x + mw * 0.7, hy + 4);
      ctx.fill();
    }
    void w;
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    ridge(P, ctx, w, oy + P.world.horizon + P.world.H * 0.04, P.world.H * 0.05, [225, 180, 110], 2);
  },
  ground: (P, ctx, w, h, ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.05;
    band(P, ctx, w, top, h, [235, 195, 125], [205, 155, 90]);
    // Wind ripples in the sand.
    ctx.strokeStyle = P.g(lit(P, [180, 130, 75]), 0.5);
    ctx.lineWidth = Math.max(1, P.world.W * 0.003);
    for (let y = top + 6; y < h; y += P.world.H * 0.018) {
      ctx.beginPath();
      for (let x = 0; x <= w; x += 12)
        ctx.lineTo(x, y + Math.sin(x / (P.world.W * 0.05) + y * 0.1) * P.world.H * 0.004);
      ctx.stroke();
    }
    cactus(P, ctx, ox - P.world.W * 0.38, oy + P.world.ground - P.world.H * 0.03, P.world.H * 0.16);
    cactus(
      P,
      ctx,
      ox + P.world.W * 0.42,
      oy + P.world.horizon + P.world.H * 0.12,
      P.world.H * 0.08,
    );
  },
};

const snow: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, _ox, oy) => {
    const hy = oy + P.world.horizon;
    ridge(P, ctx, w, hy, P.world.H * 0.2, [225, 232, 245], 2);
    ridge(P, ctx, w, hy + P.world.H * 0.01, P.world.H * 0.06, [200, 212, 232], 4);
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    for (let x = P.r.range(0, P.world.W * 0.1); x < w; x += P.world.W * P.r.range(0.08, 0.18))
      pine(
        P,
        ctx,
        x,
        oy + P.world.horizon + P.world.H * 0.05,
        P.world.H * P.r.range(0.12, 0.2),
        [40, 80, 60],
        true,
      );
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.04;
    band(P, ctx, w, top, h, [235, 240, 250], [215, 225, 245]);
    // Blue drift shadows.
    fill(P, ctx, [170, 190, 225], 0.5);
    for (let i = 0; i < 12; i++) {
      ctx.beginPath();
      ctx.ellipse(
        P.r.range(0, w),
        P.r.range(top, h),
        P.world.W * P.r.range(0.1, 0.3),
        P.world.H * 0.01,
        0,
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
  },
  foreground: () => {},
};

const jungle: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, _ox, oy) => {
    const hy = oy + P.world.horizon;
    for (let x = 0; x < w; x += P.world.W * 0.08)
      roundTree(P, ctx, x, hy + P.world.H * 0.05, P.world.H * P.r.range(0.3, 0.45), [30, 90, 45]);
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    // Broad leaves and hanging vines.
    const base = oy + P.world.horizon + P.world.H * 0.1;
    for (let x = 0; x < w; x += P.world.W * P.r.range(0.06, 0.12)) {
      fill(P, ctx, mix([40, 140, 60], [20, 90, 40], P.r.next()));
      ctx.beginPath();
      ctx.ellipse(
        x,
        base - P.world.H * P.r.range(0, 0.08),
        P.world.W * 0.06,
        P.world.H * 0.025,
        P.r.range(-0.8, 0.8),
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
    ctx.strokeStyle = P.g(lit(P, [50, 100, 40]));
    ctx.lineWidth = Math.max(1, P.world.W * 0.004);
    for (let i = 0; i < 10; i++) {
      const x = P.r.range(0, w);
      ctx.beginPath();
      ctx.moveTo(x, 0);
      ctx.quadraticCurveTo(x + P.world.W * 0.05, base * 0.5, x, base - P.world.H * 0.1);
      ctx.stroke();
    }
  },
  ground: (P, ctx, w, h, _ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.06;
    band(P, ctx, w, top, h, [60, 90, 40], [35, 60, 25]);
  },
};

const road: Partial<ScenePainters> = {
  far: farHills,
  mid: (P, ctx, w, _h, _ox, oy) => {
    // Telephone poles along the road.
    const base = oy + P.world.horizon + P.world.H * 0.02;
    fill(P, ctx, [90, 70, 50]);
    for (let x = P.r.range(0, w * 0.2); x < w; x += P.world.W * 0.35) {
      ctx.fillRect(x, base - P.world.H * 0.12, P.world.W * 0.006, P.world.H * 0.12);
      ctx.fillRect(
        x - P.world.W * 0.02,
        base - P.world.H * 0.115,
        P.world.W * 0.046,
        P.world.W * 0.005,
      );
    }
  },
  ground: (P, ctx, w, h, ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.02;
    band(P, ctx, w, top, h, [120, 150, 80], [80, 120, 55]);
    // Asphalt to the vanishing point, dashed centre line.
    fill(P, ctx, [70, 70, 75]);
    ctx.beginPath();
    ctx.moveTo(ox - P.world.W * 0.01, top);
    ctx.lineTo(ox + P.world.W * 0.01, top);
    ctx.lineTo(ox + P.world.W * 0.9, h);
    ctx.lineTo(ox - P.world.W * 0.9, h);
    ctx.fill();
    fill(P, ctx, [240, 210, 80]);
    for (let t = 0.02; t < 1; t += 0.08) {
      const y = top + (h - top) * t * t;
      const y2 = top + (h - top) * (t + 0.04) ** 2;
      const half = (yy: number) => P.world.W * 0.004 * (1 + ((yy - top) / (h - top)) * 4);
      ctx.beginPath();
      ctx.moveTo(ox - half(y), y);
      ctx.lineTo(ox + half(y), y);
      ctx.lineTo(ox + half(y2), y2);
      ctx.lineTo(ox - half(y2), y2);
      ctx.fill();
    }
  },
};

const sky: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, _ox, oy) => {
    // A sea of clouds below.
    const y = oy + P.world.horizon + P.world.H * 0.05;
    for (let i = 0; i < 3; i++)
      ridge(
        P,
        ctx,
        w,
        y + i * P.world.H * 0.05,
        P.world.H * 0.05,
        mix([255, 255, 255], P.pal.skyBottom, 0.25 - i * 0.08),
        6 + i * 2,
      );
  },
  mid: () => {},
  ground: (P, ctx, w, h, _ox, oy) => {
    ridge(
      P,
      ctx,
      w,
      oy + P.world.ground + P.world.H * 0.12,
      P.world.H * 0.06,
      [250, 250, 255],
      5,
      h,
    );
  },
  foreground: () => {},
};

export const landPlaces = { field, farm, desert, snow, jungle, road, sky };
