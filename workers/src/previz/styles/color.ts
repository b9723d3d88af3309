/** Colour arithmetic shared by the style treatments, the places and the light (pure, no canvas). */

export type RGB = [number, number, number];

export function hex(c: string): RGB {
  const v = Number.parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function luma([r, g, b]: RGB): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export const clamp255 = (x: number) => Math.round(Math.min(255, Math.max(0, x)));

export function saturate(c: RGB, s: number): RGB {
  const l = luma(c);
  return [l + (c[0] - l) * s, l + (c[1] - l) * s, l + (c[2] - l) * s];
}

export function contrast(c: RGB, k: number, pivot = 128): RGB {
  return [(c[0] - pivot) * k + pivot, (c[1] - pivot) * k + pivot, (c[2] - pivot) * k + pivot];
}

/** Hue in degrees [0, 360), saturation and lightness in [0, 1]. */
export function toHsl([r, g, b]: RGB): [number, number, number] {
  const R = r / 255;
  const G = g / 255;
  const B = b / 255;
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === R) h = (G - B) / d + (G < B ? 6 : 0);
  else if (max === G) h = (B - R) / d + 2;
  else h = (R - G) / d + 4;
  return [h * 60, s, l];
}

export function fromHsl(h: number, s: number, l: number): RGB {
  const hh = (((h % 360) + 360) % 360) / 360;
  if (s === 0) return [l * 255, l * 255, l * 255];
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const f = (t: number) => {
    let u = t;
    if (u < 0) u += 1;
    if (u > 1) u -= 1;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  return [f(hh + 1 / 3) * 255, f(hh) * 255, f(hh - 1 / 3) * 255];
}

export function rotateHue(c: RGB, deg: number): RGB {
  const [h, s, l] = toHsl(c);
  return fromHsl(h + deg, s, l);
}

/** The nearest colour of `palette` (squared RGB distance, luma-weighted). */
export function nearest(c: RGB, palette: readonly RGB[]): RGB {
  let best = palette[0]!;
  let bd = Number.POSITIVE_INFINITY;
  for (const p of palette) {
    const dr = c[0] - p[0];
    const dg = c[1] - p[1];
    const db = c[2] - p[2];
    const d = 0.3 * dr * dr + 0.59 * dg * dg + 0.11 * db * db;
    if (d < bd) {
      bd = d;
      best = p;
    }
  }
  return best;
}

export const css = (c: RGB, alpha = 1) =>
  alpha >= 1
    ? `rgb(${clamp255(c[0])},${clamp255(c[1])},${clamp255(c[2])})`
    : `rgba(${clamp255(c[0])},${clamp255(c[1])},${clamp255(c[2])},${alpha.toFixed(3)})`;

/**
 * Colour words a prompt uses for light and objects, as the RGB a painter would mix for them.
 * `colorRgb("gold")` → [230, 180, 60]. Unknown names give undefined.
 */
const NAMED: Record<string, RGB> = {
  red: [220, 40, 45],
  crimson: [190, 20, 50],
  scarlet: [235, 45, 30],
  orange: [255, 140, 30],
  amber: [255, 175, 40],
  gold: [235, 185, 55],
  golden: [235, 185, 55],
  yellow: [250, 220, 50],
  lime: [170, 230, 50],
  green: [50, 180, 80],
  emerald: [20, 160, 100],
  teal: [20, 150, 150],
  turquoise: [40, 210, 200],
  cyan: [40, 220, 240],
  aqua: [60, 220, 230],
  blue: [40, 90, 230],
  azure: [60, 150, 255],
  navy: [20, 30, 110],
  indigo: [70, 40, 160],
  violet: [140, 70, 220],
  purple: [140, 50, 190],
  lavender: [180, 150, 230],
  magenta: [230, 40, 200],
  pink: [255, 120, 180],
  rose: [240, 100, 140],
  white: [250, 250, 250],
  silver: [200, 205, 215],
  grey: [128, 128, 128],
  gray: [128, 128, 128],
  black: [20, 20, 24],
  brown: [130, 80, 40],
  copper: [190, 110, 60],
  bronze: [170, 120, 60],
  beige: [225, 205, 170],
  cream: [245, 235, 205],
};

export function colorRgb(name: string): RGB | undefined {
  const c = NAMED[name.toLowerCase().trim()];
  return c ? [...c] : undefined;
}

export const namedColors = Object.keys(NAMED);
