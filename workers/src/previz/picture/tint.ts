import type { RGB } from "./color.ts";

/**
 * Tinting a drawing to a named colour while keeping its shading: the drawing's dominant colour
 * family (by painted area) is moved to the target hue and lightness, and every colour of that
 * family keeps its offset in lightness from the dominant one, so a shadow stays a shadow. Eyes,
 * outlines and highlights (other hues, near-black, near-white) are left alone. Pure: it rewrites
 * the colours in the SVG text, so Skia draws the tinted drawing as crisply as the original.
 */

const NAMED: Record<string, RGB> = {
  red: [214, 40, 40],
  crimson: [190, 20, 50],
  scarlet: [230, 40, 25],
  maroon: [120, 20, 30],
  orange: [240, 130, 30],
  amber: [245, 170, 20],
  yellow: [245, 210, 40],
  gold: [225, 175, 45],
  golden: [225, 175, 45],
  lime: [140, 210, 40],
  green: [50, 160, 70],
  olive: [120, 130, 50],
  teal: [20, 140, 140],
  turquoise: [40, 200, 190],
  cyan: [40, 200, 230],
  blue: [40, 90, 215],
  navy: [25, 35, 110],
  purple: [130, 50, 180],
  violet: [150, 90, 210],
  lavender: [180, 160, 230],
  magenta: [210, 40, 170],
  pink: [240, 130, 180],
  brown: [125, 80, 45],
  tan: [205, 165, 115],
  beige: [225, 205, 165],
  cream: [245, 235, 205],
  white: [245, 245, 245],
  silver: [190, 195, 205],
  grey: [128, 128, 132],
  gray: [128, 128, 132],
  black: [35, 35, 38],
};

/** The RGB of a colour name ("red", "navy"), or undefined for a word that is not one. */
export function colorRGB(name: string): RGB | undefined {
  return NAMED[name.toLowerCase().trim()];
}

export function colorNames(): string[] {
  return Object.keys(NAMED);
}

export interface HSL {
  h: number;
  s: number;
  l: number;
}

export function rgbToHsl([r, g, b]: RGB): HSL {
  const R = r / 255;
  const G = g / 255;
  const B = b / 255;
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === R
      ? ((G - B) / d + (G < B ? 6 : 0)) * 60
      : max === G
        ? ((B - R) / d + 2) * 60
        : ((R - G) / d + 4) * 60;
  return { h, s, l };
}

export function hslToRgb({ h, s, l }: HSL): RGB {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

function parseHex(h: string): RGB {
  const v = h.length === 4 ? h.slice(1).replace(/./g, (c) => c + c) : h.slice(1);
  const n = Number.parseInt(v, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: RGB): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

const hueGap = (a: number, b: number) => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

/** A colour the tint must not touch: near-black lines and eyes, near-white highlights. */
const isInk = (c: HSL) => c.l < 0.14 || c.l > 0.93;

/**
 * The colours of `body` mapped to `target`: a map from each hex colour written in the SVG to its
 * replacement (colours not in the map are kept). `areas` is the painted area of each colour.
 */
export function tintMap(
  colors: string[],
  target: RGB,
  areas: Map<string, number>,
): Map<string, string> {
  const out = new Map<string, string>();
  const hsl = new Map(colors.map((c) => [c, rgbToHsl(parseHex(c))]));
  // The dominant colour: the largest painted area among the colours that are not ink.
  let dominant: string | undefined;
  let best = -1;
  for (const c of colors) {
    const x = hsl.get(c)!;
    if (isInk(x)) continue;
    const area = areas.get(toHex(parseHex(c))) ?? 0;
    if (area > best) {
      best = area;
      dominant = c;
    }
  }
  if (!dominant) {
    // All ink (a black silhouette): tint the largest area anyway.
    dominant = colors[0];
    if (!dominant) return out;
  }
  const d = hsl.get(dominant)!;
  const chromatic = d.s > 0.15;
  const t = rgbToHsl(target);
  const targetGrey = t.s < 0.1;
  for (const c of colors) {
    const x = hsl.get(c)!;
    if (c !== dominant) {
      if (isInk(x)) continue;
      // The family: the same hue (a chromatic body) or the other greys (a grey or white body).
      if (chromatic ? x.s < 0.12 || hueGap(x.h, d.h) > 40 : x.s > 0.15) continue;
    }
    const l = Math.max(
      0.04,
      Math.min(0.97, t.l + (x.l - d.l) * (targetGrey && t.l < 0.3 ? 0.6 : 0.85)),
    );
    const s = targetGrey
      ? t.s
      : Math.max(0, Math.min(1, t.s * (chromatic ? Math.min(1.3, Math.max(0.6, x.s / d.s)) : 1)));
    out.set(c, toHex(hslToRgb({ h: t.h, s, l })));
  }
  return out;
}

const HEX = /#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b/g;

/** `body` with its dominant colour family moved to `target` (see tintMap). */
export function tintSvg(body: string, target: RGB, areas: Map<string, number>): string {
  const colors = [...new Set((body.match(HEX) ?? []).map((c) => c.toLowerCase()))];
  const map = tintMap(colors, target, areas);
  return body.replace(HEX, (c) => map.get(c.toLowerCase()) ?? c);
}
