import { luma, mix, type RGB, saturate } from "./color.ts";
import type { StyleTreatment } from "./types.ts";

/** The looks the animatic had before issue 11: colour grades with a vignette and film grain. */

function grade(id: string, c: RGB): RGB {
  const l = luma(c);
  const [r, g, b] = c;
  switch (id) {
    case "noir": {
      const v = (l - 128) * 1.35 + 120;
      return [v, v, v * 1.02];
    }
    case "pastel-symmetric":
      return mix(c, [255, 228, 225], 0.35);
    case "vintage":
      return mix(c, [l * 1.07 + 12, l * 0.95 + 6, l * 0.78], 0.55);
    case "documentary":
      return mix(c, [l, l, l], 0.25);
    case "neon":
      return [r * 0.9 + 10, g * 0.8, b * 1.1 + 15];
    default:
      // cinematic: teal shadows, warm highlights
      return l < 110 ? [r * 0.92, g, b * 1.08] : [r * 1.04, g, b * 0.94];
  }
}

const classic = (
  id: "cinematic" | "documentary" | "noir" | "neon" | "pastel-symmetric" | "vintage" | "plain",
  label: string,
  look: string,
): StyleTreatment => ({
  id,
  label,
  look,
  setup: () => ({
    grade: (c) => grade(id, c),
    vignette: id === "noir" || id === "vintage" ? 0.55 : id === "cinematic" ? 0.4 : 0.3,
    grain: { noir: 0.16, vintage: 0.18, cinematic: 0.04, documentary: 0.04 }[id as string] ?? 0,
    movingGrain: id === "noir" || id === "vintage",
    letterbox: id === "cinematic",
  }),
});

export const classicStyles: StyleTreatment[] = [
  classic("cinematic", "Cinematic", "teal shadows, warm highlights, film grain, cinema bars"),
  classic("documentary", "Documentary", "muted colour, a handheld drift"),
  classic("noir", "Film noir", "high-contrast monochrome with heavy grain"),
  classic("neon", "Neon", "magenta and blue-shifted colour"),
  classic("pastel-symmetric", "Pastel", "soft pastel pinks"),
  classic("vintage", "Vintage film", "sepia-warm, faded, moving grain"),
  classic("plain", "Plain", "the default grade without cinema bars or grain"),
];

/** Cel-shaded saturation the anime/cartoon looks share. */
export const vivid = (c: RGB, s: number): RGB => saturate(c, s);
