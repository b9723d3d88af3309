import type { Palette } from "../picture/palette.ts";
import type { ShotSpec } from "../understand.ts";
import { colorRgb, css, luma, mix, type RGB, saturate } from "./color.ts";
import type { Ctx } from "./types.ts";

/**
 * The light a prompt names, made visible whatever else it says: named light colours ("moody blue
 * and purple lighting", "green and gold lighting") colour the sky, the key light and a wash over
 * the static layers, and spill from the two sides of every frame onto the subjects; mood words
 * ("warm", "melancholic", "dreamy", "tense", ...) shift the palette. Pure on the palette, cheap per
 * frame (two gradient fills).
 */

/** The light colours the prompt names, as RGB (unknown words such as "warm" are mood, not colour). */
export function lightColors(spec: Pick<ShotSpec, "lighting">): RGB[] {
  return spec.lighting.colors.flatMap((n) => {
    const c = colorRgb(n);
    return c ? [c] : [];
  });
}

type MoodShift = { wash: RGB; alpha: number; sat: number; bright: number };

const MOODS: Record<string, MoodShift> = {
  warm: { wash: [255, 150, 60], alpha: 0.16, sat: 1.1, bright: 1.04 },
  cozy: { wash: [255, 160, 80], alpha: 0.16, sat: 1.05, bright: 1 },
  cosy: { wash: [255, 160, 80], alpha: 0.16, sat: 1.05, bright: 1 },
  intimate: { wash: [255, 140, 90], alpha: 0.12, sat: 1, bright: 0.95 },
  romantic: { wash: [255, 120, 150], alpha: 0.14, sat: 1.1, bright: 1 },
  nostalgic: { wash: [240, 190, 120], alpha: 0.16, sat: 0.8, bright: 1 },
  melancholic: { wash: [80, 100, 150], alpha: 0.18, sat: 0.6, bright: 0.85 },
  sad: { wash: [80, 100, 150], alpha: 0.18, sat: 0.6, bright: 0.85 },
  eerie: { wash: [60, 150, 120], alpha: 0.18, sat: 0.7, bright: 0.8 },
  mysterious: { wash: [60, 60, 140], alpha: 0.18, sat: 0.8, bright: 0.8 },
  moody: { wash: [30, 50, 110], alpha: 0.14, sat: 0.85, bright: 0.85 },
  dramatic: { wash: [20, 20, 40], alpha: 0.14, sat: 1.1, bright: 0.85 },
  tense: { wash: [120, 30, 30], alpha: 0.12, sat: 0.9, bright: 0.85 },
  dreamy: { wash: [230, 170, 255], alpha: 0.16, sat: 0.9, bright: 1.08 },
  whimsical: { wash: [255, 200, 240], alpha: 0.12, sat: 1.2, bright: 1.06 },
  joyful: { wash: [255, 230, 120], alpha: 0.1, sat: 1.25, bright: 1.08 },
  energetic: { wash: [255, 120, 60], alpha: 0.1, sat: 1.3, bright: 1.05 },
  playful: { wash: [255, 220, 120], alpha: 0.08, sat: 1.2, bright: 1.05 },
  peaceful: { wash: [200, 230, 255], alpha: 0.1, sat: 0.9, bright: 1.04 },
  serene: { wash: [200, 230, 255], alpha: 0.1, sat: 0.9, bright: 1.04 },
  calm: { wash: [200, 230, 255], alpha: 0.08, sat: 0.9, bright: 1.02 },
};

const shade = (c: RGB, sat: number, bright: number): RGB => {
  const s = saturate(c, sat);
  return [s[0] * bright, s[1] * bright, s[2] * bright];
};

/** The palette with the named light colours and the mood applied. */
export function relight(pal: Palette, spec: Pick<ShotSpec, "lighting" | "mood">): Palette {
  let out: Palette = { ...pal, sun: { ...pal.sun } };
  const colors = lightColors(spec);
  if (colors.length > 0) {
    const a = colors[0]!;
    const b = colors[1] ?? colors[0]!;
    const avg: RGB = mix(a, b, 0.5);
    const dark = (c: RGB, k: number): RGB => mix(c, [0, 0, 10], k);
    out = {
      ...out,
      // The sky carries both colours, top to horizon; darker at night so it still reads as night.
      skyTop: mix(out.skyTop, dark(a, out.night ? 0.55 : 0.2), 0.7),
      skyBottom: mix(out.skyBottom, dark(b, out.night ? 0.3 : 0), 0.65),
      far: mix(out.far, dark(avg, 0.5), 0.35),
      mid: mix(out.mid, dark(avg, 0.55), 0.3),
      ground: mix(out.ground, dark(avg, 0.4), 0.25),
      groundFar: mix(out.groundFar, dark(b, 0.3), 0.3),
      key: mix(out.key, a, 0.6),
      sun: { ...out.sun, color: mix(out.sun.color, a, 0.5) },
      wash: avg,
      washAlpha: Math.max(out.washAlpha, 0.24),
    };
  }
  const moods = spec.mood.map((m) => MOODS[m.toLowerCase()]).filter((m): m is MoodShift => !!m);
  for (const m of moods) {
    const k = (c: RGB) => shade(c, m.sat, m.bright);
    out = {
      ...out,
      skyTop: k(out.skyTop),
      skyBottom: k(out.skyBottom),
      far: k(out.far),
      mid: k(out.mid),
      ground: k(out.ground),
      groundFar: k(out.groundFar),
      // A mood wash adds to the light's own (weighted by strength), never replaces it.
      wash: out.washAlpha > 0 ? mix(out.wash, m.wash, m.alpha / (out.washAlpha + m.alpha)) : m.wash,
      washAlpha: Math.min(0.4, out.washAlpha + m.alpha * 0.8),
    };
  }
  return out;
}

/**
 * Per frame: the named light colours spill in from the two sides onto everything (subjects
 * included) — the first colour from the left, the second from the right. Nothing without colours.
 */
export function drawLightSpill(ctx: Ctx, W: number, H: number, colors: RGB[], frame: number): void {
  if (colors.length === 0) return;
  const a = colors[0]!;
  const b = colors[1] ?? colors[0]!;
  const breathe = 0.2 + 0.03 * Math.sin(frame / 23);
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = "screen";
  for (const [c, x0, x1] of [
    [a, 0, W * 0.75],
    [b, W, W * 0.25],
  ] as const) {
    const g = ctx.createLinearGradient(x0, 0, x1, 0);
    // Dark colours spill less visibly in screen mode: lift them to their bright version.
    const lift = luma(c) < 90 ? mix(c, [255, 255, 255], 0.15) : c;
    g.addColorStop(0, css(lift, breathe * 1.6));
    g.addColorStop(1, css(lift, 0));
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, W, H);
  }
  ctx.restore();
}
