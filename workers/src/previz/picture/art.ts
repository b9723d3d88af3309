import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Canvas, createCanvas, Image } from "@napi-rs/canvas";
import type { RGB } from "./color.ts";
import { MADE_ICONS } from "./made-art.ts";
import { colorRGB, tintSvg } from "./tint.ts";

/**
 * The illustration library: the Fluent Emoji Flat set (Microsoft, MIT licence) as shipped in
 * Iconify JSON by `@iconify-json/fluent-emoji-flat`. An art id is an icon name of that set
 * ("horse", "sailboat", "red-apple"), or of the hand-made drawings in `made-art.ts` ("table",
 * "bowl", "lighthouse"), which are looked up first. Each drawing is rasterised by Skia from its SVG once per
 * (id, pixel height, colour) into a cached canvas; frames only `drawImage` it.
 */

interface IconSet {
  width?: number;
  height?: number;
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
}

let set: IconSet | undefined;

function iconSet(): IconSet {
  if (!set) {
    const file = createRequire(import.meta.url).resolve(
      "@iconify-json/fluent-emoji-flat/icons.json",
    );
    set = JSON.parse(readFileSync(file, "utf8")) as IconSet;
  }
  return set;
}

/** The icon behind an id (aliases resolved), or undefined when the set has no such drawing. */
function icon(id: string): { body: string; width: number; height: number } | undefined {
  const made = MADE_ICONS[id];
  if (made) return made;
  const s = iconSet();
  const hit = s.icons[id] ?? (s.aliases?.[id] ? s.icons[s.aliases[id]!.parent] : undefined);
  if (!hit) return undefined;
  return {
    body: hit.body,
    width: hit.width ?? s.width ?? 32,
    height: hit.height ?? s.height ?? 32,
  };
}

export function hasArt(id: string): boolean {
  return icon(id) !== undefined;
}

/** Every art id of the set (for tools and tests). */
export function artIds(): string[] {
  const s = iconSet();
  return [...Object.keys(MADE_ICONS), ...Object.keys(s.icons), ...Object.keys(s.aliases ?? {})];
}

/** A style's colour grading, applied to every colour of a drawing (as to the scenery's). */
export interface ArtGrade {
  /** Identifies the grading in the sprite cache (e.g. the style's name). */
  key: string;
  color: (rgb: RGB) => string;
}

const HEX = /#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b/g;

function gradeSvg(body: string, grade: ArtGrade): string {
  return body.replace(HEX, (c) => {
    const v = c.length === 4 ? c.slice(1).replace(/./g, (d) => d + d) : c.slice(1);
    const n = Number.parseInt(v, 16);
    return grade.color([(n >> 16) & 255, (n >> 8) & 255, n & 255]);
  });
}

function svgOf(id: string, px: number, tint?: RGB, grade?: ArtGrade): string {
  const ic = icon(id);
  if (!ic) throw new Error(`No drawing "${id}" in @iconify-json/fluent-emoji-flat`);
  const w = Math.max(1, Math.round((px * ic.width) / ic.height));
  const tinted = tint ? tintSvg(ic.body, tint, analysis(id).areas) : ic.body;
  const body = grade ? gradeSvg(tinted, grade) : tinted;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${px}" viewBox="0 0 ${ic.width} ${ic.height}">${body}</svg>`;
}

function raster(svg: string): Image {
  const img = new Image();
  img.src = Buffer.from(svg);
  return img;
}

/**
 * What a drawing covers, measured once per id on a small raster: the box of its opaque pixels
 * (fractions of the icon box, so a subject's `size` is the drawing's height, not its padding) and
 * the pixel area of each fill colour (the tint shifts the dominant colours, not the eyes).
 */
export interface ArtAnalysis {
  top: number;
  bottom: number;
  left: number;
  right: number;
  areas: Map<string, number>;
}

const analyses = new Map<string, ArtAnalysis>();
const PROBE = 64;

export function analysis(id: string): ArtAnalysis {
  const hit = analyses.get(id);
  if (hit) return hit;
  const img = raster(svgOf(id, PROBE));
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let top = c.height;
  let bottom = 0;
  let left = c.width;
  let right = 0;
  const areas = new Map<string, number>();
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      const i = (y * c.width + x) * 4;
      if (d[i + 3]! < 128) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y + 1);
      left = Math.min(left, x);
      right = Math.max(right, x + 1);
      if (d[i + 3] === 255) {
        const key = `#${[d[i]!, d[i + 1]!, d[i + 2]!].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
        areas.set(key, (areas.get(key) ?? 0) + 1);
      }
    }
  if (bottom <= top) {
    top = 0;
    bottom = c.height;
    left = 0;
    right = c.width;
  }
  const a: ArtAnalysis = {
    top: top / c.height,
    bottom: bottom / c.height,
    left: left / c.width,
    right: right / c.width,
    areas,
  };
  analyses.set(id, a);
  return a;
}

export interface Sprite {
  canvas: Canvas;
  /** Pixel box of the drawing inside the canvas (its padding left out). */
  box: { x: number; y: number; w: number; h: number };
}

const sprites = new Map<string, Sprite>();

/**
 * The drawing `id` rasterised so that the drawing itself (not its padding) is `px` high, tinted
 * to `color` when one is named. Cached: the same arguments give the same canvas.
 */
export function artSprite(
  id: string,
  px: number,
  color: string | null = null,
  grade?: ArtGrade,
): Sprite {
  const h = Math.max(4, Math.round(px));
  const key = `${id}|${h}|${color ?? ""}|${grade?.key ?? ""}`;
  const hit = sprites.get(key);
  if (hit) return hit;
  const a = analysis(id);
  const boxPx = Math.round(h / Math.max(0.05, a.bottom - a.top));
  const rgb = color ? colorRGB(color) : undefined;
  const img = raster(svgOf(id, boxPx, rgb, grade));
  const canvas = createCanvas(img.width, img.height);
  canvas.getContext("2d").drawImage(img, 0, 0);
  const s: Sprite = {
    canvas,
    box: {
      x: a.left * img.width,
      y: a.top * img.height,
      w: (a.right - a.left) * img.width,
      h: (a.bottom - a.top) * img.height,
    },
  };
  sprites.set(key, s);
  return s;
}
