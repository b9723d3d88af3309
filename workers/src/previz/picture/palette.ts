import { relight } from "../styles/light.ts";
import type { ShotSpec } from "../understand.ts";
import { hex, mixRGB, type RGB } from "./color.ts";

/** The shot's colours from its time of day, weather, lighting and setting. */

export interface Palette {
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

/** The palette with the prompt's named light colours and mood applied (`styles/light.ts`). */
export function palette(spec: ShotSpec): Palette {
  return relight(basePalette(spec), spec);
}

function basePalette(spec: ShotSpec): Palette {
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
      show:
        (spec.weather === "clear" || spec.weather === "cloudy") &&
        spec.setting.kind !== "underwater",
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
