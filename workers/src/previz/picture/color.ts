/** Colour helpers shared by every painter. */
import type { SKRSContext2D } from "@napi-rs/canvas";

export type Ctx = SKRSContext2D;
export type RGB = [number, number, number];

export function hex(c: string): RGB {
  const v = Number.parseInt(c.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function mixRGB(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}
