import { type Canvas, createCanvas, type Image, type SKRSContext2D } from "@napi-rs/canvas";
import { type Rng, rng } from "./prng.ts";
import type { Timeline } from "./timeline.ts";
import type { ShotSpec, ShotType, Style } from "./understand.ts";

/**
 * The picture: a stylized 2D animatic drawn per frame with @napi-rs/canvas (Skia).
 *
 * Cost model (it must run at a few ms a frame): everything that does not move — sky, far and middle
 * scenery, ground, foreground, vignette, grain tiles — is painted ONCE into layer canvases (blurred
 * there for depth of field). Each frame then composites those layers under a per-layer camera
 * transform (parallax), and draws only what moves: subjects, particles, light, flashes, captions.
 */

type Ctx = SKRSContext2D;
type RGB = [number, number, number];

export interface PictureOptions {
  spec: ShotSpec;
  timeline: Timeline;
  /** Internal drawing size (ffmpeg scales it to the output size). */
  width: number;
  height: number;
  /** Mouth opening 0..1 of `subject` at `frame` (from the speech's loudness), 0 when silent. */
  mouth: (subject: number, frame: number) => number;
  /** Image-to-video: animate this picture instead of drawing a scene. */
  image?: Image;
}

// ------------------------------------------------------------------ colour

function hex(c: string): RGB {
  const v = Number.parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function mixRGB(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Style grading applied to every colour the scene uses. */
function grader(style: Style): (c: RGB | string, alpha?: number) => string {
  const cache = new Map<string, string>();
  return (c, alpha = 1) => {
    const rgb = typeof c === "string" ? hex(c) : c;
    const key = `${rgb.join(",")}|${alpha}`;
    const hit = cache.get(key);
    if (hit) return hit;
    let [r, g, b] = rgb;
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    switch (style) {
      case "noir": {
        const v = Math.min(255, Math.max(0, (l - 128) * 1.35 + 120));
        [r, g, b] = [v, v, v * 1.02];
        break;
      }
      case "pastel-symmetric":
        [r, g, b] = mixRGB([r, g, b], [255, 228, 225], 0.35);
        break;
      case "vintage":
        [r, g, b] = mixRGB([r, g, b], [l * 1.07 + 12, l * 0.95 + 6, l * 0.78], 0.55);
        break;
      case "documentary":
        [r, g, b] = mixRGB([r, g, b], [l, l, l], 0.25);
        break;
      case "anime": {
        const s = 1.3;
        [r, g, b] = [l + (r - l) * s, l + (g - l) * s, l + (b - l) * s];
        break;
      }
      case "neon":
        [r, g, b] = [r * 0.9 + 10, g * 0.8, b * 1.1 + 15];
        break;
      case "watercolor":
        [r, g, b] = mixRGB([r, g, b], [250, 245, 235], 0.2);
        break;
      default:
        // cinematic: teal shadows, warm highlights
        [r, g, b] = l < 110 ? [r * 0.92, g * 1.0, b * 1.08] : [r * 1.04, g * 1.0, b * 0.94];
    }
    const clamp = (x: number) => Math.round(Math.min(255, Math.max(0, x)));
    const out =
      alpha >= 1
        ? `rgb(${clamp(r)},${clamp(g)},${clamp(b)})`
        : `rgba(${clamp(r)},${clamp(g)},${clamp(b)},${alpha})`;
    cache.set(key, out);
    return out;
  };
}

interface Palette {
  skyTop: RGB;
  skyBottom: RGB;
  sun: { x: number; y: number; color: RGB; radius: number; show: boolean; moon: boolean };
  far: RGB;
  mid: RGB;
  ground: RGB;
  groundFar: RGB;
  key: RGB;
  shadow: number;
  night: boolean;
  wash: RGB;
  washAlpha: number;
}

function palette(spec: ShotSpec): Palette {
  const t = spec.timeOfDay;
  const night = t === "night";
  const base: Record<typeof t, [string, string, string]> = {
    dawn: ["#3b4a7a", "#f7a87b", "#ffd1a1"],
    morning: ["#6fa8dc", "#dcefff", "#fff3d6"],
    day: ["#3d85d8", "#b9e0ff", "#ffffff"],
    afternoon: ["#4a8fd9", "#f2dcae", "#fff0c9"],
    "golden-hour": ["#5a4e8c", "#ffb86b", "#ffcf7a"],
    dusk: ["#25305e", "#e9876a", "#ffb08a"],
    night: ["#070a1d", "#1b2447", "#aab8ff"],
  };
  let [top, bottom, key] = base[t].map(hex) as [RGB, RGB, RGB];
  if (
    spec.weather === "rain" ||
    spec.weather === "storm" ||
    spec.weather === "cloudy" ||
    spec.weather === "fog"
  ) {
    top = mixRGB(top, [110, 118, 130], night ? 0.2 : 0.6);
    bottom = mixRGB(bottom, [150, 155, 165], night ? 0.2 : 0.55);
  }
  if (spec.lighting.kind === "neon") {
    top = mixRGB(top, [40, 10, 70], 0.5);
    bottom = mixRGB(bottom, [120, 30, 140], 0.35);
  }
  const dim = night || spec.lighting.kind === "dim" || spec.lighting.kind === "moody";
  let ground: RGB = ["garden", "park", "forest", "mountain"].includes(spec.setting.kind)
    ? [78, 140, 62]
    : spec.setting.kind === "beach"
      ? [222, 200, 150]
      : [92, 92, 100];
  if (spec.weather === "snow" && !spec.setting.interior)
    ground = mixRGB(ground, [235, 240, 248], 0.85);
  const far = mixRGB(bottom, [60, 80, 110], 0.45);
  const mid = mixRGB(far, [40, 50, 60], 0.4);
  const washes: Partial<Record<string, [RGB, number]>> = {
    golden: [[255, 170, 80], 0.14],
    sunlit: [[255, 220, 160], 0.08],
    neon: [[200, 60, 255], 0.12],
    moody: [[30, 50, 110], 0.18],
    dim: [[80, 40, 10], 0.16],
    spotlight: [[40, 20, 10], 0.12],
    soft: [[240, 240, 255], 0.06],
  };
  const [wash, washAlpha] = washes[spec.lighting.kind] ?? [[255, 255, 255], 0];
  const sunY = {
    dawn: -0.02,
    morning: -0.25,
    day: -0.38,
    afternoon: -0.28,
    "golden-hour": -0.05,
    dusk: 0.0,
    night: -0.3,
  }[t];
  return {
    skyTop: top,
    skyBottom: bottom,
    sun: {
      x: t === "morning" || t === "dawn" ? -0.25 : 0.28,
      y: sunY,
      color: night ? [235, 240, 255] : key,
      radius: night ? 0.035 : t === "golden-hour" || t === "dusk" || t === "dawn" ? 0.09 : 0.06,
      show: spec.weather === "clear" || spec.weather === "cloudy",
      moon: night,
    },
    far: dim ? mixRGB(far, [10, 12, 25], 0.6) : far,
    mid: dim ? mixRGB(mid, [8, 10, 20], 0.6) : mid,
    ground: dim ? mixRGB(ground, [10, 10, 20], 0.6) : ground,
    groundFar: mixRGB(ground, bottom, 0.35),
    key,
    shadow: dim ? 0.25 : 0.35,
    night: dim,
    wash,
    washAlpha,
  };
}

// ------------------------------------------------------------------ camera

export interface Cam {
  x: number;
  y: number;
  zoom: number;
  rot: number;
  /** Orbit angle, radians. */
  orbit: number;
  /** Subject's own world x (walking across / tracked). */
  subjectX: number;
}

const shotZoom: Record<ShotType, number> = {
  "extreme-wide": 0.75,
  wide: 1,
  medium: 1.7,
  "over-the-shoulder": 1.6,
  "close-up": 2.4,
  "extreme-close-up": 3.2,
};

export function cameraPath(spec: ShotSpec, tl: Timeline, W: number, H: number): Cam[] {
  const r = rng(tl.seed, "camera");
  const cams: Cam[] = [];
  const c = spec.camera;
  const speed = c.speed === "slow" ? 0.6 : c.speed === "fast" ? 1.6 : 1;
  const dir = c.direction === "left" || c.direction === "up" ? -1 : 1;
  const z0 = shotZoom[spec.shotType];
  const z1 = c.endShot ? shotZoom[c.endShot] : c.direction === "out" ? z0 / 1.45 : z0 * 1.45;
  const walking =
    ["walk", "run"].includes(spec.action.kind) ||
    (spec.action.kind === "talk" && tl.stepFrames !== undefined);
  const walkSpeed = (spec.action.kind === "run" ? 0.16 : 0.07) * W * tl.speed; // px per second
  const phases = [r.next(), r.next(), r.next(), r.next()].map((p) => p * Math.PI * 2);
  const subjectMoves =
    (walking && tl.stepFrames !== undefined) ||
    tl.catchFrame !== undefined ||
    spec.action.kind === "play" ||
    (spec.action.kind === "run" && !tl.stepFrames);
  for (let f = 0; f < tl.frames; f++) {
    const t = tl.frames > 1 ? f / (tl.frames - 1) : 0;
    const ease = t * t * (3 - 2 * t);
    const sec = f / tl.fps;
    let subjectX = 0;
    if (walking && tl.stepFrames) {
      subjectX = (sec - tl.frames / tl.fps / 2) * walkSpeed * (c.direction === "left" ? -1 : 1);
    } else if (tl.catchFrame !== undefined) {
      // Run in towards the frisbee, leap at the catch, trot on a little after it.
      const u = Math.min(1, f / tl.catchFrame);
      subjectX =
        (-0.3 + 0.4 * (u * (2 - u)) + Math.max(0, (f - tl.catchFrame) / tl.frames) * 0.15) * W;
    } else if (spec.action.kind === "play" || (spec.action.kind === "run" && !tl.stepFrames)) {
      subjectX = Math.sin(sec * tl.speed * 0.6) * W * 0.15;
    }
    const cam: Cam = { x: 0, y: 0, zoom: z0, rot: 0, orbit: 0, subjectX };
    switch (c.movement) {
      case "pan":
        cam.x = dir * (ease - 0.5) * 0.5 * W * speed;
        break;
      case "tilt":
        cam.y = dir * (ease - 0.5) * 0.45 * H * speed;
        break;
      case "dolly":
      case "zoom":
        cam.zoom = z0 + (z1 - z0) * ease;
        break;
      case "tracking":
        cam.x = subjectMoves ? subjectX : (ease - 0.5) * 0.4 * W * dir;
        break;
      case "orbit":
        cam.orbit = (ease - 0.5) * 1.3 * speed * (c.direction === "left" ? -1 : 1);
        break;
      case "handheld":
        break;
      case "static":
        cam.zoom = z0 * (1 + 0.015 * ease); // a barely-there creep keeps it alive
        break;
    }
    if (c.movement === "handheld" || spec.style === "documentary") {
      const a = c.movement === "handheld" ? 1 : 0.4;
      cam.x +=
        a * W * 0.008 * (Math.sin(sec * 1.7 + phases[0]!) + 0.5 * Math.sin(sec * 4.3 + phases[1]!));
      cam.y +=
        a * H * 0.006 * (Math.sin(sec * 2.1 + phases[2]!) + 0.5 * Math.sin(sec * 5.1 + phases[3]!));
      cam.rot = a * 0.008 * Math.sin(sec * 1.3 + phases[1]!);
    }
    if (c.movement !== "tracking" && c.movement !== "pan") {
      // Keep a moving subject in frame: the camera drifts after them, more so when following.
      cam.x += subjectX * (c.follows ? 0.9 : 0.6);
    }
    cams.push(cam);
  }
  return cams;
}

// ------------------------------------------------------------------ layers

interface Layer {
  canvas: Canvas;
  /** Parallax: 0 = at infinity (never moves), 1 = the subject's plane, > 1 in front of it. */
  p: number;
  /** World origin inside the layer canvas. */
  ox: number;
  oy: number;
  alpha?: number;
  composite?: GlobalCompositeOperation;
}

type GlobalCompositeOperation =
  | "source-over"
  | "lighter"
  | "screen"
  | "multiply"
  | "overlay"
  | "soft-light";

/** World geometry shared by the layers and the subjects (world units = internal pixels at zoom 1). */
interface World {
  W: number;
  H: number;
  horizon: number;
  ground: number;
  figure: number;
}

function makeLayer(
  world: World,
  cams: Cam[],
  p: number,
  paint: (ctx: Ctx, w: number, h: number, ox: number, oy: number) => void,
  blurPx = 0,
  wash?: { rgb: RGB; alpha: number },
): Layer {
  const { W, H } = world;
  const zs = cams.map((c) => layerZoom(c.zoom, p));
  const zMin = Math.min(...zs);
  const xs = cams.map((c) => layerShiftX(c, p, world));
  const ys = cams.map((c) => c.y * Math.min(p, 1.2));
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  const orbitSpan = p < 1 ? W * 0.5 : W * 0.2;
  const w = Math.ceil(
    (W * 1.15) / zMin + spanX + (cams.some((c) => c.orbit !== 0) ? orbitSpan : 0) + W * 0.1,
  );
  const h = Math.ceil((H * 1.15) / zMin + spanY + H * 0.12);
  const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
  const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
  const ox = w / 2 + cx;
  const oy = h / 2 + cy;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  paint(ctx, w, h, ox, oy);
  if (wash && wash.alpha > 0) {
    // The lighting's colour wash is baked into the static layer once, not blended every frame.
    ctx.globalCompositeOperation = "source-atop";
    ctx.globalAlpha = 1;
    ctx.fillStyle = `rgba(${wash.rgb.map(Math.round).join(",")},${(wash.alpha * 0.8).toFixed(3)})`;
    ctx.fillRect(0, 0, w, h);
    ctx.globalCompositeOperation = "source-over";
  }
  if (blurPx > 0.5) {
    const blurred = createCanvas(w, h);
    const bctx = blurred.getContext("2d");
    bctx.filter = `blur(${blurPx.toFixed(1)}px)`;
    bctx.drawImage(canvas, 0, 0);
    return { canvas: blurred, p, ox, oy };
  }
  return { canvas, p, ox, oy };
}

/** Dolly/zoom: near layers grow more than far ones (the parallax of a moving camera). */
function layerZoom(zoom: number, p: number): number {
  if (p <= 0.01) return 1 + (zoom - 1) * 0.05;
  return 1 + (zoom - 1) * Math.min(1.3, p) ** 1.4;
}

function layerShiftX(c: Cam, p: number, world: World): number {
  // Orbit: the background slides against the subject, the foreground with it.
  return c.x * p + Math.sin(c.orbit) * world.W * (p < 1 ? -(1 - p) * 0.9 : (p - 1) * 2.5);
}

/** Set ctx to the layer's camera transform: world (0,0) at its screen position. */
function applyCam(ctx: Ctx, c: Cam, p: number, world: World) {
  const { W, H } = world;
  const z = layerZoom(c.zoom, p);
  // Zooming in frames the subject's upper body, so the focus point rises with the zoom.
  const focusY =
    (world.ground - world.figure * 0.62) * Math.min(1, (c.zoom - 1) / 1.4) * Math.min(1, p);
  ctx.translate(W / 2, H / 2);
  ctx.rotate(c.rot);
  ctx.scale(z, z);
  ctx.translate(-layerShiftX(c, p, world), -(c.y * Math.min(p, 1.2) + Math.max(0, focusY)));
}

function drawLayer(ctx: Ctx, layer: Layer, c: Cam, world: World) {
  ctx.save();
  applyCam(ctx, c, layer.p, world);
  if (layer.alpha !== undefined) ctx.globalAlpha = layer.alpha;
  if (layer.composite) ctx.globalCompositeOperation = layer.composite;
  ctx.drawImage(layer.canvas, -layer.ox, -layer.oy);
  ctx.restore();
}

// ------------------------------------------------------------------ scenery painters

interface Painter {
  g: ReturnType<typeof grader>;
  pal: Palette;
  spec: ShotSpec;
  world: World;
  r: Rng;
}

function paintSky(P: Painter, ctx: Ctx, w: number, h: number, ox: number, oy: number) {
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

function hills(ctx: Ctx, w: number, y: number, amp: number, r: Rng, color: string, waves = 3) {
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

function tree(ctx: Ctx, x: number, base: number, size: number, P: Painter, leaf: RGB) {
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

function building(
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

const NEON: RGB[] = [
  [255, 40, 180],
  [40, 220, 255],
  [170, 80, 255],
  [255, 120, 40],
];

function paintFar(P: Painter, ctx: Ctx, w: number, _h: number, ox: number, oy: number) {
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

function paintInteriorWall(P: Painter, ctx: Ctx, w: number, ox: number, oy: number) {
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

function paintMid(P: Painter, ctx: Ctx, w: number, _h: number, _ox: number, oy: number) {
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

function stall(P: Painter, ctx: Ctx, x: number, base: number, sw: number, i: number) {
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

function neonSign(P: Painter, ctx: Ctx, x: number, y: number, sw: number, i: number) {
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

function paintGround(P: Painter, ctx: Ctx, w: number, h: number, ox: number, oy: number) {
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

function paintForeground(P: Painter, ctx: Ctx, w: number, h: number, _ox: number, oy: number) {
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

// ------------------------------------------------------------------ subjects

function limb(
  ctx: Ctx,
  x: number,
  y: number,
  len: number,
  angle: number,
  width: number,
  color: string,
): [number, number] {
  const ex = x + Math.sin(angle) * len;
  const ey = y + Math.cos(angle) * len;
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(x, y);
  ctx.lineTo(ex, ey);
  ctx.stroke();
  return [ex, ey];
}

function traitColor(traits: string[], fallback: RGB): RGB {
  const map: Record<string, RGB> = {
    red: [200, 50, 50],
    blue: [50, 90, 190],
    green: [60, 140, 70],
    yellow: [230, 200, 60],
    black: [30, 30, 35],
    white: [235, 235, 235],
    purple: [120, 60, 160],
    pink: [230, 120, 170],
    orange: [230, 130, 40],
    brown: [120, 80, 50],
    grey: [120, 120, 125],
    gray: [120, 120, 125],
    golden: [214, 160, 70],
    silver: [190, 195, 205],
  };
  for (const t of traits) if (map[t]) return map[t]!;
  return fallback;
}

interface PersonLook {
  coat: RGB;
  pants: RGB;
  skin: RGB;
  hair: RGB;
  hood: boolean;
}

function drawPerson(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  H: number,
  look: PersonLook,
  legA: number,
  armA: number,
  bob: number,
  mouth: number,
  facing: number,
  extraArm?: (shoulderX: number, shoulderY: number) => void,
) {
  const { g } = P;
  const y0 = ground - bob;
  const hip = y0 - H * 0.47;
  const shoulder = y0 - H * 0.78;
  const lw = H * 0.085;
  // shadow
  ctx.fillStyle = g([0, 0, 0], P.pal.shadow);
  ctx.beginPath();
  ctx.ellipse(x, ground, H * 0.16, H * 0.03, 0, 0, Math.PI * 2);
  ctx.fill();
  const pants = g(look.pants);
  const coat = g(look.coat);
  const coatDark = g(mixRGB(look.coat, [0, 0, 0], 0.3));
  // back leg / arm
  limb(ctx, x, hip, H * 0.47, -legA, lw, g(mixRGB(look.pants, [0, 0, 0], 0.25)));
  if (!extraArm) limb(ctx, x, shoulder + H * 0.03, H * 0.36, armA, lw * 0.8, coatDark);
  // torso
  ctx.fillStyle = coat;
  ctx.beginPath();
  ctx.moveTo(x - H * 0.1, shoulder);
  ctx.quadraticCurveTo(x - H * 0.13, hip, x - H * 0.09, hip + H * 0.04);
  ctx.lineTo(x + H * 0.09, hip + H * 0.04);
  ctx.quadraticCurveTo(x + H * 0.13, hip, x + H * 0.1, shoulder);
  ctx.quadraticCurveTo(x, shoulder - H * 0.04, x - H * 0.1, shoulder);
  ctx.fill();
  limb(ctx, x, hip, H * 0.47, legA, lw, pants);
  // head
  const hx = x + facing * H * 0.01;
  const hy = shoulder - H * 0.11;
  const hr = H * 0.085;
  if (look.hood) {
    ctx.fillStyle = coatDark;
    ctx.beginPath();
    ctx.arc(hx, hy - hr * 0.1, hr * 1.35, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.fillStyle = g(look.skin);
  ctx.beginPath();
  ctx.arc(hx, hy, hr, 0, Math.PI * 2);
  ctx.fill();
  if (!look.hood) {
    ctx.fillStyle = g(look.hair);
    ctx.beginPath();
    ctx.arc(hx, hy - hr * 0.25, hr * 1.02, Math.PI, 0);
    ctx.fill();
  }
  // face: eyes and a mouth that opens with the voice
  ctx.fillStyle = g([25, 20, 20]);
  ctx.beginPath();
  ctx.arc(hx + facing * hr * 0.35 - hr * 0.28, hy - hr * 0.05, hr * 0.1, 0, Math.PI * 2);
  ctx.arc(hx + facing * hr * 0.35 + hr * 0.28, hy - hr * 0.05, hr * 0.1, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([120, 30, 40]);
  ctx.beginPath();
  ctx.ellipse(
    hx + facing * hr * 0.35,
    hy + hr * 0.45,
    hr * 0.25,
    hr * (0.05 + 0.3 * mouth),
    0,
    0,
    Math.PI * 2,
  );
  ctx.fill();
  // front arm
  if (extraArm) extraArm(x + H * 0.06, shoulder + H * 0.03);
  else limb(ctx, x, shoulder + H * 0.03, H * 0.36, -armA, lw * 0.8, coat);
}

function drawDog(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  S: number,
  color: RGB,
  phase: number,
  lift: number,
  mouth: number,
  facing: number,
  sec: number,
) {
  const { g } = P;
  const y = ground - lift;
  ctx.fillStyle = g([0, 0, 0], P.pal.shadow * Math.max(0.3, 1 - lift / (S * 2)));
  ctx.beginPath();
  ctx.ellipse(x, ground, S * 0.55, S * 0.08, 0, 0, Math.PI * 2);
  ctx.fill();
  const body = g(color);
  const dark = g(mixRGB(color, [60, 30, 10], 0.35));
  const legLen = S * 0.38;
  const bodyY = y - legLen - S * 0.12;
  const swing = Math.sin(phase * Math.PI) * 0.6;
  // legs (far pair darker)
  limb(ctx, x - S * 0.3 * facing, bodyY, legLen, swing, S * 0.09, dark);
  limb(ctx, x + S * 0.25 * facing, bodyY, legLen, -swing, S * 0.09, dark);
  // tail
  ctx.strokeStyle = body;
  ctx.lineWidth = S * 0.08;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(x - S * 0.42 * facing, bodyY - S * 0.05);
  ctx.quadraticCurveTo(
    x - S * 0.6 * facing,
    bodyY - S * 0.3,
    x - S * (0.55 + 0.1 * Math.sin(sec * 14)) * facing,
    bodyY - S * 0.42,
  );
  ctx.stroke();
  // body
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.ellipse(x, bodyY, S * 0.48, S * 0.19, 0, 0, Math.PI * 2);
  ctx.fill();
  limb(ctx, x - S * 0.3 * facing, bodyY, legLen, -swing, S * 0.1, body);
  limb(ctx, x + S * 0.25 * facing, bodyY, legLen, swing, S * 0.1, body);
  // head
  const hx = x + S * 0.5 * facing;
  const hy = bodyY - S * 0.28;
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.arc(hx, hy, S * 0.2, 0, Math.PI * 2);
  ctx.fill();
  // snout + mouth
  ctx.beginPath();
  ctx.ellipse(hx + S * 0.2 * facing, hy + S * 0.06, S * 0.14, S * 0.09, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([40, 20, 20]);
  ctx.beginPath();
  ctx.arc(hx + S * 0.33 * facing, hy + S * 0.02, S * 0.04, 0, Math.PI * 2);
  ctx.fill();
  if (mouth > 0.05) {
    ctx.fillStyle = g([150, 40, 50]);
    ctx.beginPath();
    ctx.ellipse(
      hx + S * 0.22 * facing,
      hy + S * 0.14,
      S * 0.09,
      S * 0.06 * mouth,
      0,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
  // ear + eye
  ctx.fillStyle = dark;
  ctx.beginPath();
  ctx.ellipse(
    hx - S * 0.06 * facing,
    hy + S * 0.02,
    S * 0.07,
    S * 0.15,
    0.3 * facing,
    0,
    Math.PI * 2,
  );
  ctx.fill();
  ctx.fillStyle = g([20, 15, 10]);
  ctx.beginPath();
  ctx.arc(hx + S * 0.08 * facing, hy - S * 0.06, S * 0.03, 0, Math.PI * 2);
  ctx.fill();
}

function drawCup(
  ctx: Ctx,
  P: Painter,
  x: number,
  ground: number,
  S: number,
  orbit: number,
  sec: number,
  speed: number,
) {
  const { g } = P;
  const cupW = S * 0.55;
  const cupH = S * 0.45;
  const top = ground - cupH;
  // saucer
  ctx.fillStyle = g([0, 0, 0], 0.25);
  ctx.beginPath();
  ctx.ellipse(x + S * 0.05, ground + S * 0.03, S * 0.55, S * 0.1, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([235, 232, 225]);
  ctx.beginPath();
  ctx.ellipse(x, ground, S * 0.5, S * 0.09, 0, 0, Math.PI * 2);
  ctx.fill();
  // handle: moves around the cup as the camera orbits
  const ang = 0.9 + orbit * 1.6;
  const hxOff = Math.cos(ang) * cupW * 0.55;
  const behind = Math.sin(ang) < 0;
  const handle = () => {
    ctx.strokeStyle = g([225, 222, 215]);
    ctx.lineWidth = S * 0.05;
    ctx.beginPath();
    ctx.ellipse(
      x + hxOff,
      top + cupH * 0.45,
      Math.abs(Math.cos(ang)) * S * 0.12 + S * 0.02,
      S * 0.12,
      0,
      0,
      Math.PI * 2,
    );
    ctx.stroke();
  };
  if (behind) handle();
  const body = ctx.createLinearGradient(x - cupW / 2, 0, x + cupW / 2, 0);
  const hl = 0.3 + 0.4 * (0.5 + 0.5 * Math.sin(orbit * 2));
  body.addColorStop(0, g([200, 196, 190]));
  body.addColorStop(hl, g([252, 250, 246]));
  body.addColorStop(1, g([180, 176, 170]));
  ctx.fillStyle = body;
  ctx.beginPath();
  ctx.moveTo(x - cupW / 2, top);
  ctx.lineTo(x + cupW / 2, top);
  ctx.quadraticCurveTo(x + cupW * 0.48, ground - S * 0.02, x + cupW * 0.3, ground - S * 0.01);
  ctx.lineTo(x - cupW * 0.3, ground - S * 0.01);
  ctx.quadraticCurveTo(x - cupW * 0.48, ground - S * 0.02, x - cupW / 2, top);
  ctx.fill();
  if (!behind) handle();
  // rim + coffee
  ctx.fillStyle = g([245, 243, 238]);
  ctx.beginPath();
  ctx.ellipse(x, top, cupW / 2, S * 0.07, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([92, 52, 28]);
  ctx.beginPath();
  ctx.ellipse(x, top + S * 0.01, cupW * 0.44, S * 0.055, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = g([200, 150, 100], 0.6);
  ctx.beginPath();
  ctx.ellipse(x - cupW * 0.08, top + S * 0.005, cupW * 0.15, S * 0.02, 0.2, 0, Math.PI * 2);
  ctx.fill();
  // steam: soft wisps rising and swaying
  ctx.lineCap = "round";
  for (let k = 0; k < 3; k++) {
    const t0 = sec * speed * 0.5 + k * 0.33;
    const ph = t0 - Math.floor(t0);
    ctx.strokeStyle = g([255, 255, 255], 0.35 * Math.sin(ph * Math.PI));
    ctx.lineWidth = S * 0.05;
    ctx.beginPath();
    const sx = x + (k - 1) * cupW * 0.22;
    ctx.moveTo(sx, top - S * 0.05);
    for (let j = 1; j <= 8; j++) {
      const yy = top - S * 0.05 - (j / 8) * S * (0.5 + ph * 0.6);
      ctx.lineTo(sx + Math.sin(j * 0.8 + sec * speed * 2 + k * 2) * S * 0.07 * (j / 8), yy);
    }
    ctx.stroke();
  }
}

function drawInstrument(
  ctx: Ctx,
  P: Painter,
  kind: string,
  sx: number,
  sy: number,
  H: number,
  hit: number,
) {
  const { g } = P;
  const brass = g([225, 170, 60]);
  ctx.lineCap = "round";
  if (kind === "saxophone" || kind === "trumpet") {
    ctx.strokeStyle = brass;
    ctx.lineWidth = H * 0.045;
    ctx.beginPath();
    ctx.moveTo(sx - H * 0.02, sy - H * 0.06);
    ctx.quadraticCurveTo(sx + H * 0.02, sy + H * 0.25, sx + H * 0.1, sy + H * 0.2);
    ctx.stroke();
    ctx.fillStyle = brass;
    ctx.beginPath();
    ctx.ellipse(sx + H * 0.11, sy + H * 0.17, H * 0.05, H * 0.035, -0.6, 0, Math.PI * 2);
    ctx.fill();
    // glint
    ctx.fillStyle = g([255, 245, 200], 0.8);
    ctx.fillRect(sx + H * 0.01, sy + H * 0.05, H * 0.01, H * 0.06);
  } else if (kind === "bass" || kind === "violin" || kind === "guitar") {
    const big = kind === "bass" ? 1 : 0.55;
    ctx.fillStyle = g([130, 70, 35]);
    ctx.beginPath();
    ctx.ellipse(sx, sy + H * 0.22 * big, H * 0.12 * big, H * 0.2 * big, 0.15, 0, Math.PI * 2);
    ctx.fill();
    ctx.strokeStyle = g([50, 30, 20]);
    ctx.lineWidth = H * 0.02;
    ctx.beginPath();
    ctx.moveTo(sx, sy + H * 0.2 * big);
    ctx.lineTo(sx - H * 0.08, sy - H * 0.3 * big);
    ctx.stroke();
  } else if (kind === "microphone") {
    ctx.strokeStyle = g([40, 40, 45]);
    ctx.lineWidth = H * 0.015;
    ctx.beginPath();
    ctx.moveTo(sx, sy - H * 0.1);
    ctx.lineTo(sx, sy + H * 0.75);
    ctx.stroke();
    ctx.fillStyle = g([150, 150, 160]);
    ctx.beginPath();
    ctx.arc(sx, sy - H * 0.12, H * 0.03, 0, Math.PI * 2);
    ctx.fill();
  } else if (kind === "drums") {
    // A bass drum facing us and a snare; the skin flashes on each hit.
    const skin = mixRGB([235, 225, 205], [255, 255, 255], hit);
    ctx.fillStyle = g([150, 30, 40]);
    ctx.beginPath();
    ctx.arc(sx, sy + H * 0.42, H * 0.22, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = g(skin);
    ctx.beginPath();
    ctx.arc(sx, sy + H * 0.42, H * 0.18, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = g([200, 200, 210]);
    ctx.beginPath();
    ctx.ellipse(sx + H * 0.28, sy + H * 0.22, H * 0.13, H * 0.04, 0, 0, Math.PI * 2);
    ctx.fill();
    // cymbal
    ctx.fillStyle = g([220, 180, 70]);
    ctx.beginPath();
    ctx.ellipse(
      sx - H * 0.3,
      sy + H * 0.02 - hit * H * 0.02,
      H * 0.14,
      H * 0.025,
      -0.2 + hit * 0.2,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  } else if (kind === "piano") {
    ctx.fillStyle = g([20, 20, 25]);
    ctx.fillRect(sx - H * 0.3, sy + H * 0.15, H * 0.6, H * 0.3);
    ctx.fillStyle = g([240, 240, 235]);
    ctx.fillRect(sx - H * 0.28, sy + H * 0.15, H * 0.56, H * 0.05);
  }
}

// ------------------------------------------------------------------ overlays

/**
 * The screen-space finish, pre-rendered: a vignette with film grain on top, as a few variants that
 * alternate per frame. One plain drawImage a frame instead of two full-frame blends.
 */
function makeFinish(W: number, H: number, vignette: number, grain: number, r: Rng): Canvas {
  const c = createCanvas(W, H);
  const ctx = c.getContext("2d");
  const grad = ctx.createRadialGradient(
    W / 2,
    H / 2,
    Math.min(W, H) * 0.35,
    W / 2,
    H / 2,
    Math.hypot(W, H) * 0.6,
  );
  grad.addColorStop(0, "rgba(0,0,0,0)");
  grad.addColorStop(1, `rgba(0,0,0,${vignette})`);
  ctx.fillStyle = grad;
  ctx.fillRect(0, 0, W, H);
  if (grain > 0) {
    const img = ctx.getImageData(0, 0, W, H);
    const d = img.data;
    for (let i = 0; i < W * H; i++) {
      // A dark or light speck over the vignette pixel ("over" compositing, straight alpha).
      const n = r.next();
      const ga = grain * Math.abs(n - 0.5) * 2;
      const v = n < 0.5 ? 0 : 255;
      const a0 = d[i * 4 + 3]! / 255;
      const a = ga + a0 * (1 - ga);
      const c0 = d[i * 4]!;
      const mixed = a > 0 ? (v * ga + c0 * a0 * (1 - ga)) / a : 0;
      d[i * 4] = mixed;
      d[i * 4 + 1] = mixed;
      d[i * 4 + 2] = mixed;
      d[i * 4 + 3] = Math.round(a * 255);
    }
    ctx.putImageData(img, 0, 0);
  }
  return c;
}

// ------------------------------------------------------------------ the renderer

export class PictureRenderer {
  readonly canvas: Canvas;
  private readonly ctx: Ctx;
  private readonly P: Painter;
  private readonly world: World;
  private readonly cams: Cam[];
  private readonly layers: { back: Layer[]; front: Layer[] };
  private readonly finish: Canvas[];
  private readonly rain: { x: number; y: number; z: number }[] = [];
  private readonly clouds: { x: number; y: number; s: number; v: number }[] = [];
  private readonly look: PersonLook[];
  private readonly imageLayers?: Layer[];

  constructor(private readonly o: PictureOptions) {
    const { width: W, height: H, spec, timeline: tl } = o;
    this.canvas = createCanvas(W, H);
    this.ctx = this.canvas.getContext("2d");
    const pal = palette(spec);
    this.world = {
      W,
      H,
      horizon: spec.setting.interior ? -H * 0.05 : H * 0.02,
      ground: H * (spec.subjects[0]?.kind === "cup" ? 0.18 : 0.3),
      figure: H * (spec.subjects[0]?.kind === "cup" ? 0.3 : 0.34),
    };
    this.P = { g: grader(spec.style), pal, spec, world: this.world, r: rng(tl.seed, "scenery") };
    this.cams = cameraPath(spec, tl, W, H);
    const shallow = spec.depthOfField === "shallow";
    const wash = { rgb: pal.wash, alpha: pal.washAlpha };
    const blur = (k: number) => (W / 360) * k;
    if (o.image) {
      this.imageLayers = this.buildImageLayers(o.image);
      this.layers = { back: [], front: [] };
    } else {
      const P = this.P;
      this.layers = {
        back: [
          makeLayer(
            this.world,
            this.cams,
            0.03,
            (c, w, h, ox, oy) => paintSky(P, c, w, h, ox, oy),
            spec.weather === "fog" ? blur(3) : 0,
            wash,
          ),
          makeLayer(
            this.world,
            this.cams,
            0.25,
            (c, w, h, ox, oy) => paintFar(P, c, w, h, ox, oy),
            blur(shallow ? 5 : 0.8),
            wash,
          ),
          makeLayer(
            this.world,
            this.cams,
            0.55,
            (c, w, h, ox, oy) => paintMid(P, c, w, h, ox, oy),
            blur(shallow ? 3.5 : 0),
            wash,
          ),
          makeLayer(
            this.world,
            this.cams,
            0.9,
            (c, w, h, ox, oy) => paintGround(P, c, w, h, ox, oy),
            blur(shallow ? 1.2 : 0),
            wash,
          ),
        ],
        front: [
          makeLayer(
            this.world,
            this.cams,
            1.35,
            (c, w, h, ox, oy) => paintForeground(P, c, w, h, ox, oy),
            blur(4),
          ),
        ],
      };
    }
    const strongVignette = ["noir", "vintage"].includes(spec.style) || pal.night;
    const vignette = strongVignette ? 0.55 : spec.style === "cinematic" ? 0.4 : 0.3;
    // Grain is a style choice, and moving grain is costly to encode (every frame is new noise):
    // noir and vintage get visible, moving grain; film looks a faint texture that holds still.
    const grain =
      { noir: 0.16, vintage: 0.18, cinematic: 0.04, documentary: 0.04 }[spec.style as string] ?? 0;
    const moving = spec.style === "noir" || spec.style === "vintage";
    const gr = rng(tl.seed, "grain");
    this.finish = (moving ? [0, 1, 2] : [0]).map(() => makeFinish(W, H, vignette, grain, gr));
    const r = rng(tl.seed, "particles");
    const count =
      spec.weather === "rain" || spec.weather === "storm" ? 220 : spec.weather === "snow" ? 160 : 0;
    for (let i = 0; i < count; i++)
      this.rain.push({ x: r.next(), y: r.next(), z: r.range(0.4, 1.3) });
    const cloudCount =
      spec.weather === "cloudy"
        ? 7
        : spec.weather === "clear" && !pal.night && !spec.setting.interior
          ? 3
          : 0;
    for (let i = 0; i < cloudCount; i++)
      this.clouds.push({
        x: r.range(-0.6, 0.6),
        y: r.range(-0.45, -0.15),
        s: r.range(0.6, 1.3),
        v: r.range(0.004, 0.012),
      });
    const lr = rng(tl.seed, "people");
    const cast = [...spec.subjects, ...spec.subjects, ...spec.subjects].slice(
      0,
      Math.max(3, spec.subjects.length),
    );
    this.look = cast.map((s, i) => ({
      coat: traitColor(
        s.traits,
        lr.pick([
          [180, 60, 50],
          [50, 90, 160],
          [70, 120, 80],
          [200, 150, 60],
          [90, 60, 130],
        ] as RGB[]),
      ),
      pants: lr.pick([
        [40, 45, 60],
        [70, 60, 50],
        [30, 30, 35],
      ] as RGB[]),
      skin: lr.pick([
        [240, 200, 170],
        [200, 150, 110],
        [150, 100, 70],
        [110, 75, 55],
      ] as RGB[]),
      hair: lr.pick([
        [40, 30, 25],
        [90, 60, 30],
        [200, 170, 100],
        [20, 20, 20],
      ] as RGB[]),
      hood: s.traits.includes("hooded") || (i === 0 && /hood/i.test(s.label)),
    }));
  }

  private buildImageLayers(img: Image): Layer[] {
    // Depth by a simple heuristic: the top of a photo is usually far (sky, background), the bottom
    // near (ground, foreground). Three feathered horizontal bands move with different parallax.
    const { W, H } = this.world;
    const scale = Math.max(W / img.width, H / img.height) * 1.25;
    const iw = img.width * scale;
    const ih = img.height * scale;
    const bands = [
      { from: 0, to: 0.45, p: 0.55 },
      { from: 0.3, to: 0.8, p: 0.75 },
      { from: 0.6, to: 1, p: 0.95 },
    ];
    return bands.map((b, i) =>
      makeLayer(this.world, this.cams, b.p, (ctx, w, h, ox, oy) => {
        ctx.drawImage(img, ox - iw / 2, oy - ih / 2 - this.world.ground * 0.0, iw, ih);
        if (i > 0) {
          // Feather the top edge of the band so bands blend.
          ctx.globalCompositeOperation = "destination-in";
          const grad = ctx.createLinearGradient(
            0,
            oy - ih / 2 + ih * b.from,
            0,
            oy - ih / 2 + ih * (b.from + 0.3),
          );
          grad.addColorStop(0, "rgba(0,0,0,0)");
          grad.addColorStop(1, "rgba(0,0,0,1)");
          ctx.fillStyle = grad;
          ctx.fillRect(0, 0, w, h);
          ctx.globalCompositeOperation = "source-over";
        }
      }),
    );
  }

  /** Draw `frame` into `this.canvas`. */
  draw(frame: number): Canvas {
    const { ctx, world, o } = this;
    const cam = this.cams[frame]!;
    const sec = frame / o.timeline.fps;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = "source-over";
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, world.W, world.H);

    if (this.imageLayers) {
      for (const l of this.imageLayers) drawLayer(ctx, l, cam, world);
    } else {
      drawLayer(ctx, this.layers.back[0]!, cam, world);
      this.drawClouds(cam, sec);
      for (const l of this.layers.back.slice(1)) drawLayer(ctx, l, cam, world);
      this.drawLightBehind(cam, frame);
      this.drawSubjects(cam, frame);
      for (const l of this.layers.front) drawLayer(ctx, l, cam, world);
    }
    this.drawWeather(cam, frame);
    this.drawFlashes(cam, frame);
    this.drawGrade(frame);
    this.drawCaption(frame);
    return this.canvas;
  }

  private drawClouds(cam: Cam, sec: number) {
    if (this.clouds.length === 0) return;
    const { ctx, world } = this;
    ctx.save();
    applyCam(ctx, cam, 0.08, world);
    const speed = this.o.timeline.speed;
    ctx.fillStyle = this.P.g(
      this.P.pal.night ? [60, 70, 90] : [255, 255, 255],
      this.P.spec.weather === "cloudy" ? 0.75 : 0.6,
    );
    for (const c of this.clouds) {
      const x = ((c.x + c.v * sec * speed * 3 + 1) % 2) - 1;
      const cx = x * world.W;
      const cy = c.y * world.H;
      const s = c.s * world.W * 0.08;
      ctx.beginPath();
      ctx.ellipse(cx, cy, s * 1.8, s * 0.55, 0, 0, Math.PI * 2);
      ctx.ellipse(cx - s * 0.6, cy - s * 0.3, s * 0.8, s * 0.6, 0, 0, Math.PI * 2);
      ctx.ellipse(cx + s * 0.5, cy - s * 0.4, s, s * 0.7, 0, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.restore();
  }

  private drawLightBehind(cam: Cam, frame: number) {
    const { ctx, world, P } = this;
    const k = P.spec.lighting.kind;
    const sec = frame / this.o.timeline.fps;
    if (k === "spotlight" || P.spec.setting.kind === "club" || P.spec.setting.kind === "stage") {
      ctx.save();
      applyCam(ctx, cam, 0.95, world);
      ctx.globalCompositeOperation = "lighter";
      const sx = cam.subjectX + Math.sin(sec * 0.5) * world.W * 0.03;
      const cone = ctx.createLinearGradient(0, -world.H * 0.6, 0, world.ground);
      cone.addColorStop(0, P.g([255, 230, 170], 0.35));
      cone.addColorStop(1, P.g([255, 210, 140], 0.12));
      ctx.fillStyle = cone;
      ctx.beginPath();
      ctx.moveTo(sx - world.W * 0.04, -world.H * 0.6);
      ctx.lineTo(sx + world.W * 0.04, -world.H * 0.6);
      ctx.lineTo(sx + world.W * 0.24, world.ground + world.H * 0.02);
      ctx.lineTo(sx - world.W * 0.24, world.ground + world.H * 0.02);
      ctx.fill();
      ctx.fillStyle = P.g([255, 220, 150], 0.2);
      ctx.beginPath();
      ctx.ellipse(sx, world.ground, world.W * 0.25, world.H * 0.03, 0, 0, Math.PI * 2);
      ctx.fill();
      ctx.restore();
    }
    if ((k === "sunlit" || k === "golden") && P.pal.sun.show !== undefined) {
      // Light shafts from the sun (or the window indoors), slowly breathing.
      ctx.save();
      applyCam(ctx, cam, 0.3, world);
      ctx.globalCompositeOperation = "lighter";
      const sx = (P.spec.setting.interior ? -0.12 : P.pal.sun.x) * world.W;
      const sy = (P.spec.setting.interior ? -0.2 : P.pal.sun.y) * world.H;
      for (let i = 0; i < 5; i++) {
        const a = 0.5 + i * 0.22 + Math.sin(sec * 0.3 + i) * 0.03;
        ctx.fillStyle = P.g(P.pal.key, 0.05 + 0.02 * Math.sin(sec * 0.7 + i * 1.3));
        ctx.beginPath();
        ctx.moveTo(sx, sy);
        ctx.lineTo(
          sx + Math.cos(a) * world.H * 1.5 - world.W * 0.03,
          sy + Math.sin(a) * world.H * 1.5,
        );
        ctx.lineTo(
          sx + Math.cos(a) * world.H * 1.5 + world.W * 0.05,
          sy + Math.sin(a) * world.H * 1.5,
        );
        ctx.fill();
      }
      ctx.restore();
    }
  }

  private personPose(subject: number, frame: number) {
    const tl = this.o.timeline;
    const spec = this.o.spec;
    const sec = frame / tl.fps;
    const act = sec * tl.speed;
    if (tl.stepFrames && subject === 0 && ["walk", "run", "talk"].includes(spec.action.kind)) {
      const ph = (frame - tl.firstStepFrame!) / tl.stepFrames;
      const amp = spec.action.kind === "run" ? 0.65 : 0.42;
      // Legs are widest apart exactly on a step frame: that is when the heel hits (and the sound plays).
      const legA = amp * Math.cos(Math.PI * ph);
      return {
        legA,
        armA: -legA * 0.9,
        bob: Math.abs(Math.sin(Math.PI * ph)) * this.world.figure * 0.03,
      };
    }
    if (spec.action.kind === "dance") {
      const b = tl.beatFrames ? frame / tl.beatFrames : act * 2;
      return {
        legA: 0.25 * Math.sin(Math.PI * b),
        armA: 1.2 + 0.8 * Math.sin(Math.PI * b),
        bob: Math.abs(Math.sin(Math.PI * b)) * this.world.figure * 0.05,
      };
    }
    if (spec.action.kind === "jump") {
      const hop = Math.round((tl.fps * 1.2) / tl.speed);
      const ph = ((frame - Math.round(hop * 0.8)) / hop + 10) % 1;
      const h = Math.max(0, Math.sin(Math.PI * ph)) * this.world.figure * 0.35;
      return { legA: 0.2, armA: 1.5 * Math.sin(Math.PI * ph), bob: h };
    }
    const talking = this.o.mouth(subject, frame) > 0.05;
    return {
      legA: 0.08,
      armA: talking ? 0.5 + 0.3 * Math.sin(sec * 3) : 0.12 + 0.04 * Math.sin(act * 1.5),
      bob: Math.sin(act * 2) * this.world.figure * 0.005,
    };
  }

  private drawSubjects(cam: Cam, frame: number) {
    const { ctx, world, o, P } = this;
    const { spec, timeline: tl } = o;
    const sec = frame / tl.fps;
    ctx.save();
    applyCam(ctx, cam, 1, world);
    const subjects = spec.subjects.slice(0, 3);
    const band = subjects[0]!.kind === "musician" && subjects[0]!.count >= 3;
    const facing = spec.camera.direction === "left" ? -1 : 1;
    const slots = band
      ? [0, -0.3, 0.3]
      : subjects.map((_, i) => (i === 0 ? 0 : i === 1 ? 0.32 : -0.32));
    const drawOne = (s: (typeof subjects)[number], i: number, x: number, instrument?: string) => {
      const baseX = x + (i === 0 ? cam.subjectX : 0);
      const mouth = o.mouth(i, frame);
      if (s.kind === "dog" || s.kind === "cat") {
        const S = world.figure * (s.kind === "cat" ? 0.4 : 0.5);
        let lift = 0;
        let runPhase = tl.stepFrames
          ? (frame - (tl.firstStepFrame ?? 0)) / tl.stepFrames
          : sec * tl.speed * 3;
        const dogX = baseX;
        let open = mouth;
        if (tl.catchFrame !== undefined && tl.throwFrame !== undefined) {
          // Run in, leap at the catch, land: jump arc centred on the catch frame.
          const up = Math.round((tl.fps * 0.45) / tl.speed);
          const down = Math.round((tl.fps * 0.35) / tl.speed);
          const d = frame - tl.catchFrame;
          if (d > -up && d < down) {
            const u = d < 0 ? 1 - (-d / up) ** 2 : 1 - (d / down) ** 2;
            lift = Math.max(0, u) * S * 0.75;
          }
          runPhase = frame < tl.catchFrame + down ? sec * tl.speed * 4 : 0.5;
          open = frame >= tl.catchFrame - up && frame < tl.catchFrame ? 1 : mouth;
          this.drawFrisbee(frame, dogX + S * 0.6 * facing, world.ground - lift - S * 0.75, facing);
        }
        const barking = tl.events.some(
          (e) => e.kind === "bark" && frame >= e.frame && frame < e.frame + 8,
        );
        // Centre the whole animal (body and head) on its path.
        drawDog(
          ctx,
          P,
          dogX - S * 0.12 * facing,
          world.ground,
          S,
          traitColor(s.traits, s.kind === "cat" ? [90, 90, 95] : [205, 150, 70]),
          runPhase,
          lift,
          barking ? 0.9 : open,
          facing,
          sec,
        );
        return;
      }
      if (s.kind === "cup") {
        drawCup(ctx, P, baseX, world.ground, world.figure * 1.1, cam.orbit, sec, tl.speed);
        return;
      }
      if (s.kind === "car") {
        const cx = baseX + (((sec * tl.speed * 0.12) % 1.4) - 0.7) * world.W * facing;
        ctx.fillStyle = P.g(traitColor(s.traits, [200, 50, 50]));
        ctx.beginPath();
        ctx.roundRect(
          cx - world.W * 0.2,
          world.ground - world.H * 0.09,
          world.W * 0.4,
          world.H * 0.06,
          world.W * 0.03,
        );
        ctx.roundRect(
          cx - world.W * 0.11,
          world.ground - world.H * 0.13,
          world.W * 0.22,
          world.H * 0.05,
          world.W * 0.03,
        );
        ctx.fill();
        ctx.fillStyle = P.g([170, 210, 235]);
        ctx.beginPath();
        ctx.roundRect(
          cx - world.W * 0.09,
          world.ground - world.H * 0.12,
          world.W * 0.08,
          world.H * 0.032,
          world.W * 0.01,
        );
        ctx.roundRect(
          cx + world.W * 0.01,
          world.ground - world.H * 0.12,
          world.W * 0.08,
          world.H * 0.032,
          world.W * 0.01,
        );
        ctx.fill();
        ctx.fillStyle = P.g([255, 240, 180]);
        ctx.fillRect(
          cx + world.W * 0.185 * facing - world.W * 0.01,
          world.ground - world.H * 0.08,
          world.W * 0.02,
          world.H * 0.015,
        );
        ctx.fillStyle = P.g([20, 20, 25]);
        for (const wx of [-0.12, 0.12]) {
          ctx.beginPath();
          ctx.arc(
            cx + wx * world.W,
            world.ground - world.H * 0.025,
            world.H * 0.028,
            0,
            Math.PI * 2,
          );
          ctx.fill();
        }
        return;
      }
      if (s.kind === "bird") {
        ctx.strokeStyle = P.g([30, 30, 40]);
        ctx.lineWidth = world.W * 0.008;
        for (let k = 0; k < Math.min(5, s.count); k++) {
          const bx = baseX + (((sec * tl.speed * 0.08 + k * 0.17) % 1.2) - 0.6) * world.W;
          const by = -world.H * (0.25 + 0.05 * Math.sin(k * 2.3 + sec));
          const flap = Math.sin(sec * tl.speed * 9 + k) * world.W * 0.02;
          ctx.beginPath();
          ctx.moveTo(bx - world.W * 0.04, by - flap);
          ctx.quadraticCurveTo(bx - world.W * 0.01, by, bx, by + world.W * 0.005);
          ctx.quadraticCurveTo(bx + world.W * 0.01, by, bx + world.W * 0.04, by - flap);
          ctx.stroke();
        }
        return;
      }
      if (s.kind === "object") {
        ctx.fillStyle = P.g([240, 200, 90]);
        ctx.beginPath();
        ctx.arc(baseX, world.ground - world.figure * 0.4, world.figure * 0.2, 0, Math.PI * 2);
        ctx.fill();
        return;
      }
      // People and musicians
      const look = this.look[i] ?? this.look[0]!;
      const pose = this.personPose(i, frame);
      const inst = instrument ?? (s.kind === "musician" ? s.instrument : undefined);
      if (inst) {
        const beat = tl.beatFrames ? frame / tl.beatFrames : sec * 2;
        const sway = Math.sin(Math.PI * beat) * 0.06;
        const hit = this.hitLevel(frame, i);
        ctx.save();
        ctx.translate(baseX, world.ground);
        ctx.rotate(sway * 0.3);
        ctx.translate(-baseX, -world.ground);
        if (inst === "drums") {
          // Drummer behind the kit: sticks rise between beats and come down on the hit frame.
          const lift = tl.beatFrames ? ((frame - (tl.beats[0] ?? 0)) / tl.beatFrames) % 1 : 0.5;
          const stick = -2.4 + Math.sin(Math.PI * Math.max(0, lift)) * 1.2;
          drawPerson(
            ctx,
            P,
            baseX,
            world.ground,
            world.figure * 0.95,
            look,
            0.1,
            0,
            0,
            mouth,
            facing,
            (shx, shy) => {
              const [ex, ey] = limb(
                ctx,
                shx,
                shy,
                world.figure * 0.3,
                stick,
                world.figure * 0.06,
                P.g(look.coat),
              );
              ctx.strokeStyle = P.g([230, 210, 170]);
              ctx.lineWidth = world.figure * 0.015;
              ctx.beginPath();
              ctx.moveTo(ex, ey);
              ctx.lineTo(ex + world.figure * 0.15, ey + world.figure * 0.08);
              ctx.stroke();
            },
          );
          drawInstrument(
            ctx,
            P,
            "drums",
            baseX,
            world.ground - world.figure * 0.62,
            world.figure,
            hit,
          );
        } else {
          drawPerson(
            ctx,
            P,
            baseX,
            world.ground,
            world.figure,
            look,
            0.08,
            0,
            0,
            inst === "microphone" ? mouth : 0,
            facing,
            (shx, shy) => {
              limb(
                ctx,
                shx,
                shy,
                world.figure * 0.28,
                -0.6 + sway,
                world.figure * 0.07,
                P.g(look.coat),
              );
              drawInstrument(
                ctx,
                P,
                inst,
                shx - world.figure * 0.02,
                shy + world.figure * 0.02,
                world.figure,
                hit,
              );
            },
          );
        }
        ctx.restore();
        return;
      }
      drawPerson(
        ctx,
        P,
        baseX,
        world.ground,
        world.figure,
        look,
        pose.legA,
        pose.armA,
        pose.bob,
        mouth,
        facing,
      );
    };
    if (band) {
      const lead = subjects[0]!;
      const leadInst = lead.instrument ?? "saxophone";
      const others = ["bass", "drums"].filter((x) => x !== leadInst);
      drawOne(lead, 1, slots[1]! * world.W, others[0]);
      drawOne(lead, 2, slots[2]! * world.W, others[1] ?? "piano");
      drawOne(lead, 0, 0, leadInst);
    } else {
      subjects.forEach((s, i) => {
        if (i > 0) drawOne(s, i, slots[i]! * world.W);
      });
      drawOne(subjects[0]!, 0, 0);
    }
    ctx.restore();
  }

  /** 1 on a drum hit's frame, decaying over the next frames. */
  private hitLevel(frame: number, subject: number): number {
    let level = 0;
    for (const e of this.o.timeline.events) {
      if (e.kind !== "drum" && e.kind !== "impact") continue;
      if (
        e.subject !== undefined &&
        e.subject !== subject &&
        e.kind === "drum" &&
        subject !== 2 &&
        subject !== 0
      )
        continue;
      const d = frame - e.frame;
      if (d >= 0 && d < 4) level = Math.max(level, 1 - d / 4);
    }
    return level;
  }

  private drawFrisbee(frame: number, catchX: number, catchY: number, facing: number) {
    const tl = this.o.timeline;
    const { ctx, P, world } = this;
    if (tl.throwFrame === undefined || tl.catchFrame === undefined || frame < tl.throwFrame) return;
    let x = catchX;
    let y = catchY;
    if (frame < tl.catchFrame) {
      const u = (frame - tl.throwFrame) / (tl.catchFrame - tl.throwFrame);
      x = catchX + (1 - u) * world.W * 0.9 * facing;
      y = catchY - Math.sin(Math.PI * (0.3 + 0.7 * u)) * world.H * 0.12 + (1 - u) * world.H * 0.05;
    }
    ctx.fillStyle = P.g([230, 50, 60]);
    ctx.beginPath();
    ctx.ellipse(
      x,
      y,
      world.figure * 0.13,
      world.figure * 0.04,
      frame < tl.catchFrame ? -0.2 : 0.4,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }

  private drawWeather(cam: Cam, frame: number) {
    if (this.rain.length === 0) return;
    const { ctx, world, P, o } = this;
    const sec = frame / o.timeline.fps;
    const sp = o.timeline.speed;
    const snow = P.spec.weather === "snow";
    ctx.save();
    if (snow) ctx.fillStyle = P.g([255, 255, 255], 0.85);
    else {
      ctx.strokeStyle = P.g([200, 215, 240], 0.45);
      ctx.lineWidth = Math.max(1, world.W / 400);
      ctx.beginPath();
    }
    for (const d of this.rain) {
      const fall = snow ? 0.08 : 1.6;
      const y = (((d.y + sec * fall * d.z * sp) % 1) + 1) % 1;
      const drift = snow ? Math.sin(sec * 1.3 + d.x * 20) * 0.02 : 0;
      const x = ((((d.x - (cam.x * d.z) / world.W / 2 + drift) % 1) + 1) % 1) * world.W;
      const yy = y * world.H;
      if (snow) {
        ctx.beginPath();
        ctx.arc(x, yy, d.z * world.W * 0.004, 0, Math.PI * 2);
        ctx.fill();
      } else {
        const len = world.H * 0.035 * d.z * (sp < 1 ? 0.5 : 1);
        ctx.moveTo(x, yy);
        ctx.lineTo(x - len * 0.12, yy + len);
      }
    }
    if (!snow) ctx.stroke();
    ctx.restore();
  }

  /** Visual events on their exact frame: impact bursts, splashes, lightning. */
  private drawFlashes(cam: Cam, frame: number) {
    const { ctx, world, P, o } = this;
    for (const e of o.timeline.events) {
      const d = frame - e.frame;
      if (d < 0 || d > 5) continue;
      const fade = 1 - d / 6;
      if (e.kind === "thunder") {
        ctx.fillStyle = `rgba(230,235,255,${(0.7 * fade * (d < 2 ? 1 : 0.4)).toFixed(3)})`;
        ctx.fillRect(0, 0, world.W, world.H);
        continue;
      }
      ctx.save();
      applyCam(ctx, cam, 1, world);
      if (e.kind === "impact" || e.kind === "drum") {
        // An animatic "hit" mark: a bright burst with rays where the contact happens.
        const s = o.spec.subjects[e.subject ?? 0];
        const isDrum = e.kind === "drum";
        const band = s?.kind === "musician" && s.count >= 3;
        // Where the contact is: the drum skin, an animal's mouth at the catch, else the figure's hands.
        const animal = s?.kind === "dog" || s?.kind === "cat";
        const facing = o.spec.camera.direction === "left" ? -1 : 1;
        const x = isDrum
          ? band
            ? 0.3 * world.W
            : 0
          : cam.subjectX + (animal ? world.figure * 0.26 * facing : 0);
        const y = isDrum
          ? world.ground - world.figure * 0.2
          : world.ground - world.figure * (animal ? 0.72 : 0.9);
        const R = world.figure * (0.25 + 0.25 * (d / 5)) * e.strength * (animal ? 0.6 : 1);
        if (d === 0) {
          // The contact frame itself: a white core, the animatic's "hit" marker.
          ctx.fillStyle = "rgba(255,255,245,0.75)";
          ctx.beginPath();
          ctx.arc(x, y, R * 0.4, 0, Math.PI * 2);
          ctx.fill();
        }
        ctx.globalCompositeOperation = "lighter";
        const burst = ctx.createRadialGradient(x, y, 0, x, y, R);
        burst.addColorStop(0, `rgba(255,250,220,${(0.95 * fade).toFixed(3)})`);
        burst.addColorStop(1, "rgba(255,200,120,0)");
        ctx.fillStyle = burst;
        ctx.fillRect(x - R, y - R, R * 2, R * 2);
        ctx.strokeStyle = `rgba(255,255,230,${(0.9 * fade).toFixed(3)})`;
        ctx.lineWidth = world.W * 0.006;
        ctx.beginPath();
        for (let k = 0; k < 8; k++) {
          const a = (k / 8) * Math.PI * 2 + 0.2;
          ctx.moveTo(x + Math.cos(a) * R * 0.55, y + Math.sin(a) * R * 0.55);
          ctx.lineTo(x + Math.cos(a) * R * 1.1, y + Math.sin(a) * R * 1.1);
        }
        ctx.stroke();
      } else if (e.kind === "splash" || (e.kind === "footstep" && d < 3)) {
        const x = cam.subjectX + (e.side ?? 0) * world.figure * 0.08;
        const y = world.ground;
        ctx.strokeStyle =
          e.kind === "splash" ? P.g([210, 225, 255], 0.7 * fade) : P.g([200, 190, 170], 0.5 * fade);
        ctx.lineWidth = world.W * 0.004;
        ctx.beginPath();
        ctx.ellipse(
          x,
          y,
          world.figure * (0.06 + d * 0.03),
          world.figure * (0.015 + d * 0.006),
          0,
          0,
          Math.PI * 2,
        );
        ctx.stroke();
      }
      ctx.restore();
    }
  }

  private drawGrade(frame: number) {
    const { ctx, world, P } = this;
    if (P.spec.lighting.kind === "neon") {
      // Pulsing neon spill from both sides.
      ctx.globalCompositeOperation = "lighter";
      const sec = frame / this.o.timeline.fps;
      const a = 0.1 + 0.04 * Math.sin(sec * 5) * Math.sin(sec * 1.7);
      const left = ctx.createLinearGradient(0, 0, world.W * 0.5, 0);
      left.addColorStop(0, `rgba(255,40,180,${a.toFixed(3)})`);
      left.addColorStop(1, "rgba(255,40,180,0)");
      ctx.fillStyle = left;
      ctx.fillRect(0, 0, world.W, world.H);
      const right = ctx.createLinearGradient(world.W, 0, world.W * 0.5, 0);
      right.addColorStop(0, `rgba(40,200,255,${a.toFixed(3)})`);
      right.addColorStop(1, "rgba(40,200,255,0)");
      ctx.fillStyle = right;
      ctx.fillRect(0, 0, world.W, world.H);
    }
    ctx.globalCompositeOperation = "source-over";
    ctx.drawImage(this.finish[frame % this.finish.length]!, 0, 0);
    if (P.spec.style === "cinematic" && world.W > world.H) {
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, world.W, world.H * 0.06);
      ctx.fillRect(0, world.H * 0.94, world.W, world.H * 0.06);
    }
  }

  private drawCaption(frame: number) {
    const { ctx, world } = this;
    const line = this.o.timeline.dialogue.find(
      (d) => frame >= d.startFrame && frame < d.endFrame + 6,
    );
    if (!line) return;
    const size = Math.round(world.W * (world.W > world.H ? 0.032 : 0.05));
    ctx.font = `bold ${size}px DejaVu Sans`;
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    const words = `${line.speaker.toUpperCase()}: ${line.text}`.split(/\s+/);
    const lines: string[] = [];
    let cur = "";
    for (const w of words) {
      const next = cur ? `${cur} ${w}` : w;
      if (ctx.measureText(next).width > world.W * 0.84 && cur) {
        lines.push(cur);
        cur = w;
      } else cur = next;
    }
    if (cur) lines.push(cur);
    const shown = lines.slice(0, 3);
    const y0 = world.H * 0.86 - (shown.length - 1) * size * 1.25;
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    const boxW = Math.max(...shown.map((l) => ctx.measureText(l).width)) + size;
    ctx.fillRect(
      world.W / 2 - boxW / 2,
      y0 - size * 1.1,
      boxW,
      shown.length * size * 1.25 + size * 0.5,
    );
    ctx.fillStyle = "#fff";
    shown.forEach((l, i) => {
      ctx.fillText(l, world.W / 2, y0 + i * size * 1.25);
    });
  }
}

/**
 * The poster and the thumbnail spritesheet, collected from the frames the renderer draws anyway
 * (no second decode of the video). `offer(f, frame)` copies the frame, scaled, if `f` is the poster
 * frame or a sprite tile, and starts encoding each JPEG as soon as its last frame is in; `encode()`
 * gives both once every frame has been offered. Skia drawing and its JPEG encoder are deterministic,
 * so the same frames give the same bytes.
 */
export class ThumbnailSheet {
  private readonly poster: Canvas;
  private readonly sprite: Canvas;
  private readonly posterCtx: SKRSContext2D;
  private readonly spriteCtx: SKRSContext2D;
  private readonly posterFrame: number;
  /** Frame → the tiles showing it (neighbouring tiles of a very short clip may share a frame). */
  private readonly tilesAt = new Map<number, number[]>();
  private tilesLeft: number;
  private posterJpeg?: Promise<Buffer>;
  private spriteJpeg?: Promise<Buffer>;

  constructor(
    private readonly o: {
      poster: { width: number; height: number; frame: number };
      sprite: { columns: number; rows: number; tileWidth: number; tileHeight: number };
      tileFrames: number[];
    },
  ) {
    const { sprite } = o;
    this.poster = createCanvas(o.poster.width, o.poster.height);
    this.sprite = createCanvas(sprite.columns * sprite.tileWidth, sprite.rows * sprite.tileHeight);
    this.posterCtx = this.poster.getContext("2d");
    this.spriteCtx = this.sprite.getContext("2d");
    // Bilinear, like the ffmpeg pass's sprite scaler: Skia's mipmapped or cubic modes cost ~1 ms
    // a tile on the drawing thread, which the encoder waits for.
    for (const ctx of [this.posterCtx, this.spriteCtx]) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "low";
    }
    this.posterFrame = o.poster.frame;
    this.tilesLeft = o.tileFrames.length;
    o.tileFrames.forEach((f, i) => {
      this.tilesAt.set(f, [...(this.tilesAt.get(f) ?? []), i]);
    });
  }

  offer(f: number, frame: Canvas): void {
    if (f === this.posterFrame) {
      this.posterCtx.drawImage(frame, 0, 0, this.poster.width, this.poster.height);
      // Encoded off the main thread (libuv pool) while the next frames are drawn.
      this.posterJpeg = handled(this.poster.encode("jpeg", POSTER_QUALITY));
    }
    const tiles = this.tilesAt.get(f);
    if (!tiles) return;
    const { columns, tileWidth: w, tileHeight: h } = this.o.sprite;
    for (const i of tiles) {
      this.spriteCtx.drawImage(frame, (i % columns) * w, Math.floor(i / columns) * h, w, h);
      this.tilesLeft--;
    }
    if (this.tilesLeft === 0) this.spriteJpeg = handled(this.sprite.encode("jpeg", SPRITE_QUALITY));
  }

  /** Both JPEGs; call once every frame has been offered. */
  async encode(): Promise<{ poster: Buffer; sprite: Buffer }> {
    const [poster, sprite] = await Promise.all([
      this.posterJpeg ?? this.poster.encode("jpeg", POSTER_QUALITY),
      this.spriteJpeg ?? this.sprite.encode("jpeg", SPRITE_QUALITY),
    ]);
    return { poster, sprite };
  }
}

/** A cancelled render never awaits its thumbnails: their failure must not be an unhandled one. */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** JPEG qualities close to the ffmpeg pass's (-q:v 3 for the poster, 4 for the sprite). */
const POSTER_QUALITY = 90;
const SPRITE_QUALITY = 85;
