import type { ScenePainters } from "../picture/scenery.ts";
import { mix } from "../styles/color.ts";
import { band, box, type Ctx, fill, lit, type Painter, type RGB } from "./kit.ts";

/** Built places: a city skyline, a stadium, and interiors (office, classroom, library, bedroom, restaurant). */

function towers(
  P: Painter,
  ctx: Ctx,
  w: number,
  base: number,
  minH: number,
  maxH: number,
  c: RGB,
  lit_: number,
) {
  for (let x = -P.world.W * 0.05; x < w; ) {
    const bw = P.world.W * P.r.range(0.06, 0.14);
    const bh = P.world.H * P.r.range(minH, maxH);
    fill(P, ctx, mix(c, [0, 0, 0], P.r.range(0, 0.25)));
    ctx.fillRect(x, base - bh, bw, bh);
    if (P.r.next() < 0.3)
      ctx.fillRect(x + bw * 0.45, base - bh - P.world.H * 0.04, bw * 0.08, P.world.H * 0.04);
    ctx.fillStyle = P.g([255, 220, 150], 0.85);
    const cell = P.world.W * 0.018;
    for (let yy = base - bh + cell; yy < base - cell; yy += cell * 1.6)
      for (let xx = x + cell * 0.5; xx < x + bw - cell; xx += cell * 1.4)
        if (P.r.next() < lit_) ctx.fillRect(xx, yy, cell * 0.6, cell * 0.8);
    x += bw + P.world.W * P.r.range(0, 0.02);
  }
}

const skyline: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, _ox, oy) =>
    towers(
      P,
      ctx,
      w,
      oy + P.world.horizon + P.world.H * 0.02,
      0.15,
      0.38,
      mix(P.pal.far, [40, 50, 80], 0.5),
      P.pal.night ? 0.5 : 0.04,
    ),
  mid: (P, ctx, w, _h, _ox, oy) =>
    towers(
      P,
      ctx,
      w,
      oy + P.world.horizon + P.world.H * 0.06,
      0.08,
      0.2,
      mix(P.pal.mid, [30, 35, 50], 0.5),
      P.pal.night ? 0.4 : 0.02,
    ),
  ground: (P, ctx, w, h, _ox, oy) => {
    // A riverside promenade: water reflecting the lights, then paving with a railing.
    const top = oy + P.world.horizon + P.world.H * 0.06;
    band(
      P,
      ctx,
      w,
      top,
      top + P.world.H * 0.1,
      mix(P.pal.skyBottom, [20, 40, 70], 0.6),
      [15, 30, 55],
    );
    ctx.fillStyle = P.g([255, 220, 150], 0.35);
    for (let i = 0; i < 60; i++)
      ctx.fillRect(
        P.r.range(0, w),
        top + P.r.range(0.005, 0.09) * P.world.H,
        P.world.W * 0.01,
        Math.max(1, P.world.H * 0.003),
      );
    band(P, ctx, w, top + P.world.H * 0.1, h, [120, 115, 110], [80, 78, 76]);
    fill(P, ctx, [50, 50, 55]);
    ctx.fillRect(0, top + P.world.H * 0.1, w, P.world.H * 0.006);
  },
};

const stadium: Partial<ScenePainters> = {
  far: (P, ctx, w, _h, ox, oy) => {
    const hy = oy + P.world.horizon;
    // Tiers of stands full of a dotted crowd, a roof line, floodlights.
    for (let t = 0; t < 3; t++) {
      const y0 = hy - P.world.H * (0.22 - t * 0.07);
      band(P, ctx, w, y0, y0 + P.world.H * 0.07, [70, 70, 90], [50, 50, 70]);
      for (let i = 0; i < w / 3; i++) {
        fill(
          P,
          ctx,
          P.r.pick([
            [230, 60, 60],
            [250, 250, 250],
            [60, 90, 200],
            [240, 200, 60],
            [40, 40, 40],
          ] as RGB[]),
        );
        ctx.fillRect(
          P.r.range(0, w),
          y0 + P.r.range(0.005, 0.065) * P.world.H,
          P.world.W * 0.006,
          P.world.W * 0.008,
        );
      }
    }
    fill(P, ctx, [40, 40, 50]);
    ctx.fillRect(0, hy - P.world.H * 0.24, w, P.world.H * 0.02);
    for (const fx of [-0.4, 0.4]) {
      const x = ox + fx * P.world.W;
      fill(P, ctx, [90, 90, 100]);
      ctx.fillRect(x, hy - P.world.H * 0.42, P.world.W * 0.01, P.world.H * 0.2);
      box(
        P,
        ctx,
        x - P.world.W * 0.04,
        hy - P.world.H * 0.45,
        P.world.W * 0.09,
        P.world.H * 0.035,
        [250, 250, 230],
      );
      const g = ctx.createRadialGradient(
        x,
        hy - P.world.H * 0.43,
        0,
        x,
        hy - P.world.H * 0.43,
        P.world.W * 0.25,
      );
      g.addColorStop(0, P.g([255, 255, 230], 0.5));
      g.addColorStop(1, P.g([255, 255, 230], 0));
      ctx.fillStyle = g;
      ctx.fillRect(x - P.world.W * 0.25, hy - P.world.H * 0.6, P.world.W * 0.5, P.world.H * 0.35);
    }
  },
  mid: (P, ctx, w, _h, _ox, oy) => {
    fill(P, ctx, [230, 230, 235]);
    ctx.fillRect(0, oy + P.world.horizon, w, P.world.H * 0.015);
  },
  ground: (P, ctx, w, h, ox, oy) => {
    const top = oy + P.world.horizon + P.world.H * 0.015;
    // Mowed stripes and white lines.
    for (let i = 0; i < 14; i++) {
      const y0 = top + (h - top) * (i / 14) ** 1.6;
      const y1 = top + (h - top) * ((i + 1) / 14) ** 1.6;
      fill(P, ctx, i % 2 ? [60, 150, 60] : [75, 170, 70]);
      ctx.fillRect(0, y0, w, y1 - y0 + 1);
    }
    ctx.strokeStyle = P.g(lit(P, [250, 250, 250]), 0.9);
    ctx.lineWidth = Math.max(1, P.world.W * 0.005);
    ctx.beginPath();
    ctx.moveTo(0, top + P.world.H * 0.06);
    ctx.lineTo(w, top + P.world.H * 0.06);
    ctx.moveTo(ox, top + P.world.H * 0.06);
    ctx.lineTo(ox, h);
    ctx.stroke();
    ctx.beginPath();
    ctx.ellipse(ox, top + P.world.H * 0.2, P.world.W * 0.25, P.world.H * 0.07, 0, 0, Math.PI * 2);
    ctx.stroke();
  },
};

/** An interior's back wall, floor and skirting; `paint` adds its furniture. */
function room(
  wall: RGB,
  floor: RGB,
  paint?: (P: Painter, ctx: Ctx, w: number, ox: number, oy: number) => void,
): Partial<ScenePainters> {
  return {
    sky: (P, ctx, w, h) => band(P, ctx, w, 0, h, mix(wall, [0, 0, 0], 0.3), wall),
    far: (P, ctx, w, _h, ox, oy) => paint?.(P, ctx, w, ox, oy),
    mid: () => {},
    ground: (P, ctx, w, h, _ox, oy) => {
      const top = oy + P.world.ground - P.world.H * 0.1;
      band(P, ctx, w, top, h, floor, mix(floor, [0, 0, 0], 0.35));
      fill(P, ctx, mix(wall, [0, 0, 0], 0.4));
      ctx.fillRect(0, top - P.world.H * 0.012, w, P.world.H * 0.012);
    },
    foreground: () => {},
  };
}

function window_(
  P: Painter,
  ctx: Ctx,
  x: number,
  y: number,
  ww: number,
  wh: number,
  city: boolean,
) {
  const g = ctx.createLinearGradient(0, y, 0, y + wh);
  g.addColorStop(0, P.g(P.pal.skyTop));
  g.addColorStop(1, P.g(P.pal.skyBottom));
  ctx.fillStyle = g;
  ctx.fillRect(x, y, ww, wh);
  if (city) {
    fill(P, ctx, mix(P.pal.far, [40, 50, 70], 0.5));
    for (let bx = x; bx < x + ww; bx += ww / 6) {
      const bh = wh * P.r.range(0.2, 0.6);
      ctx.fillRect(bx, y + wh - bh, ww / 7, bh);
    }
  }
  ctx.strokeStyle = P.g([235, 235, 230]);
  ctx.lineWidth = P.world.W * 0.01;
  ctx.strokeRect(x, y, ww, wh);
}

function desk(P: Painter, ctx: Ctx, x: number, top: number, dw: number, monitor: boolean) {
  box(P, ctx, x, top, dw, P.world.H * 0.015, [150, 120, 90]);
  fill(P, ctx, [90, 80, 70]);
  ctx.fillRect(x + dw * 0.05, top, dw * 0.04, P.world.H * 0.09);
  ctx.fillRect(x + dw * 0.91, top, dw * 0.04, P.world.H * 0.09);
  if (monitor) {
    box(P, ctx, x + dw * 0.3, top - P.world.H * 0.07, dw * 0.4, P.world.H * 0.06, [30, 35, 45]);
    fill(P, ctx, [90, 160, 230], 0.8);
    ctx.fillRect(x + dw * 0.33, top - P.world.H * 0.066, dw * 0.34, P.world.H * 0.05);
  }
}

const office = room([205, 210, 215], [110, 115, 125], (P, ctx, _w, ox, oy) => {
  for (let i = -1; i <= 1; i++)
    window_(
      P,
      ctx,
      ox + (i * 0.5 - 0.2) * P.world.W,
      oy - P.world.H * 0.4,
      P.world.W * 0.4,
      P.world.H * 0.3,
      true,
    );
  for (let i = -2; i <= 2; i++)
    desk(
      P,
      ctx,
      ox + (i * 0.45 - 0.18) * P.world.W,
      oy + P.world.ground - P.world.H * 0.19,
      P.world.W * 0.36,
      true,
    );
});

const classroom = room([225, 215, 185], [150, 110, 75], (P, ctx, _w, ox, oy) => {
  // The chalkboard with chalk writing, a clock.
  const bx = ox - P.world.W * 0.45;
  const by = oy - P.world.H * 0.35;
  box(P, ctx, bx, by, P.world.W * 0.9, P.world.H * 0.22, [40, 80, 55]);
  ctx.strokeStyle = P.g([240, 240, 235], 0.8);
  ctx.lineWidth = Math.max(1, P.world.W * 0.004);
  for (let i = 0; i < 5; i++) {
    const y = by + P.world.H * (0.04 + i * 0.035);
    ctx.beginPath();
    ctx.moveTo(bx + P.world.W * 0.05, y);
    for (
      let x = bx + P.world.W * 0.05;
      x < bx + P.world.W * P.r.range(0.4, 0.8);
      x += P.world.W * 0.015
    )
      ctx.lineTo(x, y + P.r.range(-1, 1) * P.world.H * 0.006);
    ctx.stroke();
  }
  fill(P, ctx, [250, 250, 245]);
  ctx.beginPath();
  ctx.arc(ox + P.world.W * 0.35, by - P.world.H * 0.06, P.world.H * 0.03, 0, Math.PI * 2);
  ctx.fill();
  for (let i = -2; i <= 2; i++)
    desk(
      P,
      ctx,
      ox + (i * 0.4 - 0.15) * P.world.W,
      oy + P.world.ground - P.world.H * 0.19,
      P.world.W * 0.3,
      false,
    );
});

const library = room([120, 85, 60], [110, 75, 50], (P, ctx, w, _ox, oy) => {
  // Floor-to-ceiling shelves of coloured spines.
  const top = oy - P.world.H * 0.55;
  const bottom = oy + P.world.ground - P.world.H * 0.1;
  const shelf = P.world.H * 0.1;
  for (let y = top; y < bottom - shelf * 0.5; y += shelf) {
    fill(P, ctx, [80, 50, 30]);
    ctx.fillRect(0, y + shelf - P.world.H * 0.01, w, P.world.H * 0.01);
    for (let x = 0; x < w; ) {
      const bw = P.world.W * P.r.range(0.012, 0.03);
      const bh = shelf * P.r.range(0.6, 0.88);
      fill(
        P,
        ctx,
        P.r.pick([
          [150, 40, 40],
          [40, 70, 130],
          [40, 110, 70],
          [190, 150, 60],
          [90, 50, 110],
          [200, 190, 170],
        ] as RGB[]),
      );
      ctx.fillRect(x, y + shelf - P.world.H * 0.01 - bh, bw, bh);
      x += bw + 1;
    }
  }
});

const bedroom = room([200, 185, 215], [150, 115, 90], (P, ctx, _w, ox, oy) => {
  window_(
    P,
    ctx,
    ox - P.world.W * 0.4,
    oy - P.world.H * 0.38,
    P.world.W * 0.35,
    P.world.H * 0.26,
    false,
  );
  // The bed: headboard, mattress, blanket, pillow; a bedside lamp.
  const base = oy + P.world.ground - P.world.H * 0.1;
  const bx = ox + P.world.W * 0.05;
  box(P, ctx, bx, base - P.world.H * 0.2, P.world.W * 0.06, P.world.H * 0.2, [120, 80, 55]);
  box(
    P,
    ctx,
    bx + P.world.W * 0.06,
    base - P.world.H * 0.09,
    P.world.W * 0.55,
    P.world.H * 0.06,
    [245, 245, 240],
  );
  box(
    P,
    ctx,
    bx + P.world.W * 0.2,
    base - P.world.H * 0.1,
    P.world.W * 0.41,
    P.world.H * 0.07,
    [90, 120, 190],
  );
  fill(P, ctx, [250, 250, 250]);
  ctx.beginPath();
  ctx.ellipse(
    bx + P.world.W * 0.13,
    base - P.world.H * 0.1,
    P.world.W * 0.06,
    P.world.H * 0.02,
    0,
    0,
    Math.PI * 2,
  );
  ctx.fill();
  box(
    P,
    ctx,
    bx - P.world.W * 0.15,
    base - P.world.H * 0.06,
    P.world.W * 0.1,
    P.world.H * 0.06,
    [140, 100, 70],
  );
  fill(P, ctx, [255, 220, 150]);
  ctx.beginPath();
  ctx.moveTo(bx - P.world.W * 0.14, base - P.world.H * 0.1);
  ctx.lineTo(bx - P.world.W * 0.06, base - P.world.H * 0.1);
  ctx.lineTo(bx - P.world.W * 0.08, base - P.world.H * 0.14);
  ctx.lineTo(bx - P.world.W * 0.12, base - P.world.H * 0.14);
  ctx.fill();
});

const restaurant = room([150, 60, 50], [90, 55, 40], (P, ctx, _w, ox, oy) => {
  // Pendant lamps over tables with white cloths and wine glasses.
  const base = oy + P.world.ground - P.world.H * 0.17;
  for (let i = -2; i <= 2; i++) {
    const x = ox + i * P.world.W * 0.42;
    ctx.strokeStyle = P.g([30, 30, 30]);
    ctx.lineWidth = Math.max(1, P.world.W * 0.003);
    ctx.beginPath();
    ctx.moveTo(x, oy - P.world.H * 0.6);
    ctx.lineTo(x, oy - P.world.H * 0.2);
    ctx.stroke();
    fill(P, ctx, [255, 200, 110]);
    ctx.beginPath();
    ctx.arc(x, oy - P.world.H * 0.2, P.world.W * 0.04, Math.PI, 0);
    ctx.fill();
    const g = ctx.createRadialGradient(
      x,
      oy - P.world.H * 0.18,
      0,
      x,
      oy - P.world.H * 0.18,
      P.world.W * 0.25,
    );
    g.addColorStop(0, P.g([255, 210, 140], 0.45));
    g.addColorStop(1, P.g([255, 210, 140], 0));
    ctx.fillStyle = g;
    ctx.fillRect(x - P.world.W * 0.25, oy - P.world.H * 0.43, P.world.W * 0.5, P.world.H * 0.5);
    box(P, ctx, x - P.world.W * 0.15, base, P.world.W * 0.3, P.world.H * 0.07, [245, 242, 235]);
    fill(P, ctx, [200, 220, 230], 0.8);
    ctx.fillRect(
      x - P.world.W * 0.06,
      base - P.world.H * 0.03,
      P.world.W * 0.012,
      P.world.H * 0.03,
    );
    ctx.fillRect(
      x + P.world.W * 0.05,
      base - P.world.H * 0.03,
      P.world.W * 0.012,
      P.world.H * 0.03,
    );
  }
});

export const builtPlaces = { skyline, stadium, office, classroom, library, bedroom, restaurant };
