import type { Rng } from "../prng.ts";
import type { SettingKind, ShotSpec } from "../understand.ts";
import { type Ctx, mixRGB, type RGB } from "./color.ts";
import type { grader } from "./grade.ts";
import type { World } from "./layers.ts";
import type { Palette } from "./palette.ts";

/** The scenery painters: sky, far, middle, ground and foreground, each painted once per shot. */

export interface Painter {
  g: ReturnType<typeof grader>;
  pal: Palette;
  spec: ShotSpec;
  world: World;
  r: Rng;
}

export function paintSky(P: Painter, ctx: Ctx, w: number, h: number, ox: number, oy: number) {
  const { g, pal, world } = P;
  const sky = ctx.createLinearGradient(0, 0, 0, oy + world.horizon);
  sky.addColorStop(0, g(pal.skyTop));
  sky.addColorStop(1, g(pal.skyBottom));
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, w, h);
  if (pal.night) {
    ctx.fillStyle = g([230, 235, 255], 0.8);
    for (let i = 0; i < 140; i++) {
      const s = P.r.range(0.4, 1.4);
      ctx.fillRect(P.r.range(0, w), P.r.range(0, oy + world.horizon * 0.9), s, s);
    }
  }
  if (pal.sun.show) {
    const sx = ox + pal.sun.x * world.W;
    const sy = oy + pal.sun.y * world.H;
    const R = pal.sun.radius * world.H;
    const glow = ctx.createRadialGradient(sx, sy, R * 0.5, sx, sy, R * 6);
    glow.addColorStop(0, g(pal.sun.color, 0.55));
    glow.addColorStop(1, g(pal.sun.color, 0));
    ctx.fillStyle = glow;
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = g(pal.sun.moon ? [240, 240, 250] : mixRGB(pal.sun.color, [255, 255, 255], 0.6));
    ctx.beginPath();
    ctx.arc(sx, sy, R, 0, Math.PI * 2);
    ctx.fill();
  }
}

export function hills(
  ctx: Ctx,
  w: number,
  y: number,
  amp: number,
  r: Rng,
  color: string,
  waves = 3,
) {
  const ph = [r.next() * 6, r.next() * 6, r.next() * 6];
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(0, y + amp * 4);
  for (let x = 0; x <= w; x += 6) {
    const k = x / w;
    const v =
      Math.sin(k * waves * 3.1 + ph[0]!) * 0.6 +
      Math.sin(k * waves * 7.3 + ph[1]!) * 0.3 +
      Math.sin(k * waves * 13 + ph[2]!) * 0.1;
    ctx.lineTo(x, y - amp * (0.5 + 0.5 * v));
  }
  ctx.lineTo(w, y + amp * 40);
  ctx.lineTo(0, y + amp * 40);
  ctx.closePath();
  ctx.fill();
}

export function tree(ctx: Ctx, x: number, base: number, size: number, P: Painter, leaf: RGB) {
  const { g } = P;
  ctx.fillStyle = g([70, 50, 35]);
  ctx.fillRect(x - size * 0.06, base - size * 0.5, size * 0.12, size * 0.5);
  for (let i = 0; i < 5; i++) {
    const rx = x + P.r.range(-0.25, 0.25) * size;
    const ry = base - size * (0.65 + P.r.range(-0.12, 0.2));
    const rr = size * P.r.range(0.2, 0.3);
    ctx.fillStyle = g(mixRGB(leaf, [255, 255, 200], P.r.range(0, 0.18)));
    ctx.beginPath();
    ctx.arc(rx, ry, rr, 0, Math.PI * 2);
    ctx.fill();
  }
}

export function building(
  ctx: Ctx,
  x: number,
  base: number,
  bw: number,
  bh: number,
  P: Painter,
  color: RGB,
  litChance: number,
) {
  const { g, r } = P;
  ctx.fillStyle = g(color);
  ctx.fillRect(x, base - bh, bw, bh);
  const cols = Math.max(2, Math.floor(bw / (P.world.W * 0.045)));
  const rows = Math.max(2, Math.floor(bh / (P.world.W * 0.06)));
  const cw = bw / cols;
  const rh = bh / rows;
  for (let i = 0; i < cols; i++)
    for (let j = 0; j < rows - 1; j++) {
      const lit = r.next() < litChance;
      ctx.fillStyle = lit
        ? g(
            r.pick([
              [255, 214, 140],
              [255, 235, 190],
              [180, 220, 255],
            ] as RGB[]),
            0.9,
          )
        : g(mixRGB(color, [0, 0, 0], 0.35));
      ctx.fillRect(x + i * cw + cw * 0.25, base - bh + j * rh + rh * 0.3, cw * 0.5, rh * 0.45);
    }
}

export const NEON: RGB[] = [
  [255, 40, 180],
  [40, 220, 255],
  [170, 80, 255],
  [255, 120, 40],
];

export function paintFar(P: Painter, ctx: Ctx, w: number, _h: number, ox: number, oy: number) {
  const { g, pal, spec, world } = P;
  const hy = oy + world.horizon;
  switch (spec.setting.kind) {
    case "garden":
    case "park":
    case "generic":
      hills(ctx, w, hy, world.H * 0.08, P.r, g(mixRGB(pal.far, [90, 140, 100], 0.4)), 2);
      break;
    case "forest":
      hills(ctx, w, hy, world.H * 0.06, P.r, g(pal.far), 2);
      for (let x = 0; x < w; x += world.W * 0.06)
        tree(
          ctx,
          x + P.r.range(-10, 10),
          hy + world.H * 0.02,
          world.H * 0.22,
          P,
          mixRGB(pal.far, [40, 90, 50], 0.5),
        );
      break;
    case "mountain":
      ctx.fillStyle = g(mixRGB(pal.far, [120, 130, 160], 0.3));
      for (let x = -world.W * 0.2; x < w; x += world.W * P.r.range(0.35, 0.5)) {
        const pk = world.H * P.r.range(0.2, 0.35);
        ctx.beginPath();
        ctx.moveTo(x - pk * 0.9, hy + 5);
        ctx.lineTo(x, hy - pk);
        ctx.lineTo(x + pk * 0.9, hy + 5);
        ctx.fill();
        ctx.fillStyle = g([245, 248, 255]);
        ctx.beginPath();
        ctx.moveTo(x - pk * 0.22, hy - pk * 0.75);
        ctx.lineTo(x, hy - pk);
        ctx.lineTo(x + pk * 0.22, hy - pk * 0.75);
        ctx.fill();
        ctx.fillStyle = g(mixRGB(pal.far, [120, 130, 160], 0.3));
      }
      break;
    case "beach": {
      const sea = ctx.createLinearGradient(0, hy, 0, hy + world.H * 0.15);
      sea.addColorStop(0, g(mixRGB(pal.skyBottom, [30, 90, 140], 0.6)));
      sea.addColorStop(1, g([20, 110, 150]));
      ctx.fillStyle = sea;
      ctx.fillRect(0, hy, w, world.H * 0.2);
      break;
    }
    case "street":
    case "market":
    case "city":
      for (let x = 0; x < w; ) {
        const bw = world.W * P.r.range(0.12, 0.25);
        building(
          ctx,
          x,
          hy + world.H * 0.02,
          bw,
          world.H * P.r.range(0.18, 0.4),
          P,
          mixRGB(pal.far, [20, 25, 40], 0.3),
          pal.night ? 0.45 : 0.05,
        );
        x += bw + world.W * 0.01;
      }
      break;
    case "space":
      ctx.fillStyle = g([200, 120, 90]);
      ctx.beginPath();
      ctx.arc(ox - world.W * 0.2, oy - world.H * 0.15, world.H * 0.12, 0, Math.PI * 2);
      ctx.fill();
      break;
    default:
      // Interiors: a back wall with panels, a window with daylight or night outside.
      paintInteriorWall(P, ctx, w, ox, oy);
  }
}

export function paintInteriorWall(P: Painter, ctx: Ctx, w: number, ox: number, oy: number) {
  const { g, pal, spec, world } = P;
  const club = spec.setting.kind === "club" || spec.setting.kind === "stage";
  const wall: RGB = club
    ? [45, 22, 30]
    : spec.setting.kind === "cafe"
      ? [120, 84, 60]
      : [196, 178, 150];
  const grad = ctx.createLinearGradient(0, 0, 0, oy + world.ground);
  grad.addColorStop(0, g(mixRGB(wall, [0, 0, 0], 0.45)));
  grad.addColorStop(1, g(wall));
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, w, oy + world.ground + world.H);
  if (club) {
    // Curtain folds
    for (let x = 0; x < w; x += world.W * 0.05) {
      const fold = ctx.createLinearGradient(x, 0, x + world.W * 0.05, 0);
      fold.addColorStop(0, g([90, 15, 30], 0.0));
      fold.addColorStop(0.5, g([140, 25, 45], 0.55));
      fold.addColorStop(1, g([60, 10, 20], 0.0));
      ctx.fillStyle = fold;
      ctx.fillRect(x, 0, world.W * 0.05, oy + world.ground);
    }
    return;
  }
  // Window with light streaming in
  const wx = ox - world.W * 0.35;
  const wy = oy - world.H * 0.35;
  const ww = world.W * 0.45;
  const wh = world.H * 0.32;
  const outside = ctx.createLinearGradient(0, wy, 0, wy + wh);
  outside.addColorStop(0, g(pal.skyTop));
  outside.addColorStop(1, g(pal.skyBottom));
  ctx.fillStyle = outside;
  ctx.fillRect(wx, wy, ww, wh);
  ctx.strokeStyle = g([240, 235, 225]);
  ctx.lineWidth = world.W * 0.012;
  ctx.strokeRect(wx, wy, ww, wh);
  ctx.beginPath();
  ctx.moveTo(wx + ww / 2, wy);
  ctx.lineTo(wx + ww / 2, wy + wh);
  ctx.moveTo(wx, wy + wh / 2);
  ctx.lineTo(wx + ww, wy + wh / 2);
  ctx.stroke();
  // Shelf with jars and a plant
  ctx.fillStyle = g([110, 75, 50]);
  ctx.fillRect(ox + world.W * 0.15, oy - world.H * 0.15, world.W * 0.5, world.H * 0.012);
  for (let i = 0; i < 4; i++) {
    ctx.fillStyle = g(
      P.r.pick([
        [200, 90, 70],
        [90, 140, 170],
        [220, 200, 120],
        [120, 160, 110],
      ] as RGB[]),
    );
    const jx = ox + world.W * (0.18 + i * 0.11);
    ctx.fillRect(jx, oy - world.H * 0.15 - world.H * 0.05, world.W * 0.06, world.H * 0.05);
  }
}

export function paintMid(P: Painter, ctx: Ctx, w: number, _h: number, _ox: number, oy: number) {
  const { g, pal, spec, world } = P;
  const base = oy + world.horizon + world.H * 0.06;
  switch (spec.setting.kind) {
    case "garden":
    case "park":
    case "forest":
    case "generic": {
      const leaf: RGB = pal.night ? [25, 45, 35] : [60, 120, 60];
      for (let x = P.r.range(0, world.W * 0.2); x < w; x += world.W * P.r.range(0.2, 0.4))
        tree(ctx, x, base, world.H * P.r.range(0.22, 0.32), P, leaf);
      // hedge
      ctx.fillStyle = g(pal.night ? [20, 40, 25] : [50, 105, 55]);
      for (let x = 0; x < w; x += world.W * 0.04) {
        ctx.beginPath();
        ctx.arc(x, base + world.H * 0.01, world.W * 0.04, 0, Math.PI * 2);
        ctx.fill();
      }
      if (spec.setting.kind === "garden") {
        for (let i = 0; i < w / 6; i++) {
          ctx.fillStyle = g(
            P.r.pick([
              [240, 90, 110],
              [255, 210, 80],
              [250, 250, 250],
              [180, 110, 230],
            ] as RGB[]),
          );
          ctx.beginPath();
          ctx.arc(
            P.r.range(0, w),
            base + P.r.range(-0.01, 0.03) * world.H,
            world.W * 0.006,
            0,
            Math.PI * 2,
          );
          ctx.fill();
        }
      }
      break;
    }
    case "street":
    case "market":
    case "city": {
      let x = 0;
      let i = 0;
      while (x < w) {
        const bw = world.W * P.r.range(0.28, 0.42);
        const bh = world.H * P.r.range(0.35, 0.55);
        const col = mixRGB(
          pal.mid,
          P.r.pick([
            [90, 60, 50],
            [60, 70, 90],
            [80, 80, 80],
          ] as RGB[]),
          0.35,
        );
        building(ctx, x, base + world.H * 0.1, bw, bh, P, col, pal.night ? 0.35 : 0.02);
        if (spec.setting.kind === "market")
          stall(P, ctx, x + bw * 0.1, base + world.H * 0.1, bw * 0.8, i);
        if (pal.night || spec.lighting.kind === "neon")
          neonSign(P, ctx, x + bw * 0.2, base + world.H * 0.1 - bh * 0.6, bw * 0.6, i);
        x += bw;
        i++;
      }
      break;
    }
    case "beach":
      break;
    case "mountain":
      hills(ctx, w, base, world.H * 0.06, P.r, g(mixRGB(pal.mid, [60, 110, 70], 0.4)), 3);
      break;
    default:
      break;
  }
}

export function stall(P: Painter, ctx: Ctx, x: number, base: number, sw: number, i: number) {
  const { g, world } = P;
  const top = base - world.H * 0.16;
  const stripes = 6;
  const colors: RGB[][] = [
    [
      [220, 60, 60],
      [245, 235, 220],
    ],
    [
      [40, 120, 200],
      [245, 235, 220],
    ],
    [
      [240, 170, 40],
      [120, 40, 40],
    ],
  ];
  const pair = colors[i % colors.length]!;
  for (let s = 0; s < stripes; s++) {
    ctx.fillStyle = g(pair[s % 2]!);
    ctx.beginPath();
    ctx.moveTo(x + (s * sw) / stripes, top);
    ctx.lineTo(x + ((s + 1) * sw) / stripes, top);
    ctx.lineTo(x + ((s + 1.15) * sw) / stripes, top + world.H * 0.04);
    ctx.lineTo(x + ((s + 0.15) * sw) / stripes, top + world.H * 0.04);
    ctx.fill();
  }
  ctx.fillStyle = g([70, 45, 30]);
  ctx.fillRect(x + sw * 0.05, base - world.H * 0.05, sw * 0.9, world.H * 0.05);
  for (let k = 0; k < 7; k++) {
    ctx.fillStyle = g(
      P.r.pick([
        [230, 120, 40],
        [200, 40, 40],
        [90, 160, 60],
        [240, 210, 90],
      ] as RGB[]),
    );
    ctx.beginPath();
    ctx.arc(x + sw * (0.12 + k * 0.12), base - world.H * 0.055, world.W * 0.015, 0, Math.PI * 2);
    ctx.fill();
  }
  // lanterns
  for (let k = 0; k < 3; k++) {
    ctx.fillStyle = g([255, 120, 60], 0.95);
    ctx.beginPath();
    ctx.ellipse(
      x + sw * (0.2 + k * 0.3),
      top - world.H * 0.02,
      world.W * 0.018,
      world.W * 0.024,
      0,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
}

export function neonSign(P: Painter, ctx: Ctx, x: number, y: number, sw: number, i: number) {
  const { g, world } = P;
  const col = NEON[i % NEON.length]!;
  const words = ["NOODLES", "OPEN", "BAR", "24H", "RAMEN", "HOTEL"];
  ctx.save();
  ctx.shadowColor = g(col);
  ctx.shadowBlur = world.W * 0.03;
  ctx.strokeStyle = g(mixRGB(col, [255, 255, 255], 0.35));
  ctx.lineWidth = world.W * 0.006;
  ctx.strokeRect(x, y, sw, world.H * 0.05);
  ctx.fillStyle = g(mixRGB(col, [255, 255, 255], 0.5));
  ctx.font = `bold ${Math.round(world.H * 0.032)}px DejaVu Sans`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(words[i % words.length]!, x + sw / 2, y + world.H * 0.026);
  ctx.restore();
}

export function paintGround(P: Painter, ctx: Ctx, w: number, h: number, ox: number, oy: number) {
  const { g, pal, spec, world } = P;
  const top = oy + world.horizon + world.H * 0.05;
  if (spec.setting.kind === "kitchen" || spec.setting.kind === "cafe") {
    // A wooden table top in perspective.
    const ty = oy + world.ground - world.H * 0.12;
    const wood = ctx.createLinearGradient(0, ty, 0, h);
    wood.addColorStop(0, g([150, 98, 60]));
    wood.addColorStop(1, g([95, 58, 34]));
    ctx.fillStyle = wood;
    ctx.fillRect(0, ty, w, h - ty);
    ctx.strokeStyle = g([70, 42, 24], 0.5);
    ctx.lineWidth = 1.5;
    for (let i = -20; i < 20; i++) {
      ctx.beginPath();
      ctx.moveTo(ox + i * world.W * 0.05, ty);
      ctx.lineTo(ox + i * world.W * 0.25, h);
      ctx.stroke();
    }
    return;
  }
  if (spec.setting.interior) {
    const floor = ctx.createLinearGradient(0, oy + world.ground - world.H * 0.1, 0, h);
    const club = spec.setting.kind === "club" || spec.setting.kind === "stage";
    floor.addColorStop(0, g(club ? [60, 35, 25] : [140, 110, 80]));
    floor.addColorStop(1, g(club ? [25, 12, 10] : [90, 65, 45]));
    ctx.fillStyle = floor;
    ctx.fillRect(0, oy + world.ground - world.H * 0.1, w, h);
    return;
  }
  const grad = ctx.createLinearGradient(0, top, 0, h);
  grad.addColorStop(0, g(pal.groundFar));
  grad.addColorStop(1, g(pal.ground));
  ctx.fillStyle = grad;
  ctx.fillRect(0, top, w, h - top);
  const urban = ["street", "market", "city"].includes(spec.setting.kind);
  if (urban) {
    ctx.fillStyle = g(mixRGB(pal.ground, [150, 150, 150], 0.25));
    ctx.fillRect(0, top, w, world.H * 0.03);
    ctx.strokeStyle = g([230, 220, 170], 0.6);
    ctx.lineWidth = world.H * 0.006;
    ctx.setLineDash([world.W * 0.08, world.W * 0.08]);
    ctx.beginPath();
    ctx.moveTo(0, oy + world.ground + world.H * 0.08);
    ctx.lineTo(w, oy + world.ground + world.H * 0.08);
    ctx.stroke();
    ctx.setLineDash([]);
    if (spec.weather === "rain" || spec.weather === "storm") {
      // Puddles that reflect the signs.
      for (let i = 0; i < w / (world.W * 0.15); i++) {
        const col = NEON[i % NEON.length]!;
        ctx.fillStyle = pal.night ? g(col, 0.22) : g([200, 210, 230], 0.2);
        ctx.beginPath();
        ctx.ellipse(
          P.r.range(0, w),
          P.r.range(top + world.H * 0.05, h * 0.95),
          world.W * P.r.range(0.05, 0.12),
          world.H * 0.012,
          0,
          0,
          Math.PI * 2,
        );
        ctx.fill();
      }
    }
  } else if (spec.setting.kind === "beach") {
    // Wet sand at the waterline and scattered pebbles, so a moving camera reads against the sand.
    ctx.fillStyle = g(mixRGB(pal.ground, [120, 110, 90], 0.35));
    ctx.fillRect(0, top - world.H * 0.005, w, world.H * 0.025);
    for (let i = 0; i < w / 3; i++) {
      ctx.fillStyle = g(
        mixRGB(
          pal.ground,
          P.r.pick([
            [120, 100, 80],
            [250, 245, 235],
          ] as RGB[]),
          0.5,
        ),
      );
      const y = P.r.range(top + world.H * 0.03, h);
      const r = world.W * 0.003 * (0.5 + (y - top) / (h - top));
      ctx.beginPath();
      ctx.ellipse(P.r.range(0, w), y, r * 1.6, r, 0, 0, Math.PI * 2);
      ctx.fill();
    }
  } else if (spec.setting.kind !== "space") {
    // grass texture
    ctx.strokeStyle = g(mixRGB(pal.ground, [20, 60, 20], 0.4), 0.5);
    ctx.lineWidth = 1;
    for (let i = 0; i < w / 2; i++) {
      const x = P.r.range(0, w);
      const y = P.r.range(top + world.H * 0.02, h);
      const len = world.H * 0.012 * (0.5 + (y - top) / (h - top));
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + P.r.range(-2, 2), y - len);
      ctx.stroke();
    }
  }
}

export function paintForeground(
  P: Painter,
  ctx: Ctx,
  w: number,
  h: number,
  _ox: number,
  oy: number,
) {
  const { g, pal, spec, world } = P;
  const crowd =
    ["club", "stage"].includes(spec.setting.kind) || (spec.setting.kind === "market" && pal.night);
  const bottom = oy + (crowd ? world.ground + world.H * 0.1 : world.H * 0.5);
  if (crowd) {
    // Crowd: heads and shoulders in silhouette.
    ctx.fillStyle = g([12, 10, 16]);
    for (let x = 0; x < w; x += world.W * P.r.range(0.07, 0.11)) {
      const hy = bottom + world.H * P.r.range(-0.02, 0.04);
      const s = world.W * P.r.range(0.06, 0.08);
      ctx.beginPath();
      ctx.arc(x, hy - s * 1.6, s * 0.7, 0, Math.PI * 2);
      ctx.fill();
      ctx.beginPath();
      ctx.ellipse(x, hy, s * 1.4, s * 1.1, 0, Math.PI, 0);
      ctx.lineTo(x + s * 1.4, h);
      ctx.lineTo(x - s * 1.4, h);
      ctx.fill();
    }
    return;
  }
  if (spec.setting.interior) return;
  if (["garden", "park", "forest", "generic", "mountain"].includes(spec.setting.kind)) {
    for (let i = 0; i < w / (world.W * 0.05); i++) {
      const x = P.r.range(0, w);
      ctx.fillStyle = g(mixRGB(pal.ground, [10, 40, 10], P.r.range(0.2, 0.5)));
      ctx.beginPath();
      ctx.moveTo(x - world.W * 0.02, bottom + world.H * 0.1);
      ctx.quadraticCurveTo(
        x + P.r.range(-0.03, 0.03) * world.W,
        bottom - world.H * P.r.range(0.04, 0.1),
        x + world.W * 0.02,
        bottom + world.H * 0.1,
      );
      ctx.fill();
    }
  }
}

/** One static layer's painter: (w, h) is the layer canvas, (ox, oy) the world origin inside it. */
export type LayerPainter = (
  P: Painter,
  ctx: Ctx,
  w: number,
  h: number,
  ox: number,
  oy: number,
) => void;

/** The five static layers of a place, back to front. */
export interface ScenePainters {
  sky: LayerPainter;
  far: LayerPainter;
  mid: LayerPainter;
  ground: LayerPainter;
  foreground: LayerPainter;
}

const defaultPainters: ScenePainters = {
  sky: paintSky,
  far: paintFar,
  mid: paintMid,
  ground: paintGround,
  foreground: paintForeground,
};

/**
 * The setting painter registry (the seam where places plug in): a place registers the layers it
 * paints its own way; the layers it leaves out are the default painters above.
 */
export const settingPainters: Partial<Record<SettingKind, Partial<ScenePainters>>> = {};

/** The painters for a setting: its registered ones over the defaults. */
export function scenePainters(kind: SettingKind): ScenePainters {
  return { ...defaultPainters, ...settingPainters[kind] };
}
