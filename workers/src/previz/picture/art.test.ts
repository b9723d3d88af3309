import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { MADE_ART, SCENE_TILES } from "@reelhouse/shared/understanding/drawings";
import { resolveNoun } from "@reelhouse/shared/understanding/lexicon.server";
import { describe, expect, test } from "vitest";
import { analysis, artIds, artSprite, hasArt } from "./art.ts";
import { artFacing } from "./art-facing.ts";
import { MADE_ICONS } from "./made-art.ts";

describe("art", () => {
  test("the Fluent Emoji Flat set is there, ids and aliases resolve, unknown ids do not", () => {
    expect(artIds().length).toBeGreaterThan(3000);
    for (const id of ["horse", "airplane", "sailboat", "red-apple", "bicycle", "dog"])
      expect(hasArt(id), id).toBe(true);
    expect(hasArt("no-such-drawing")).toBe(false);
    expect(() => artSprite("no-such-drawing", 64)).toThrow(/No drawing "no-such-drawing"/);
  });

  test("a sprite's drawing (not its padding) is the asked height, and sprites are cached", () => {
    const a = artSprite("horse", 200);
    expect(Math.abs(a.box.h - 200)).toBeLessThanOrEqual(200 / 64 + 2);
    expect(a.box.w).toBeGreaterThan(50);
    expect(artSprite("horse", 200)).toBe(a);
    expect(artSprite("horse", 200, "red")).not.toBe(a);
    const box = analysis("horse");
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(1);
    expect(box.bottom - box.top).toBeGreaterThan(0.5);
  });

  test("a tint shows: a red umbrella is mostly red, a black dog mostly dark", () => {
    const share = (
      id: string,
      color: string | null,
      is: (r: number, g: number, b: number) => boolean,
    ) => {
      const s = artSprite(id, 96, color);
      const d = s.canvas.getContext("2d").getImageData(0, 0, s.canvas.width, s.canvas.height).data;
      let n = 0;
      let hit = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3]! < 200) continue;
        n++;
        if (is(d[i]!, d[i + 1]!, d[i + 2]!)) hit++;
      }
      return hit / n;
    };
    const red = (r: number, g: number, b: number) => r > 150 && g < 90 && b < 90;
    const dark = (r: number, g: number, b: number) => r + g + b < 200;
    expect(share("umbrella", null, red)).toBeLessThan(0.1);
    expect(share("umbrella", "red", red)).toBeGreaterThan(0.5);
    expect(share("dog", null, dark)).toBeLessThan(0.2);
    expect(share("dog", "black", dark)).toBeGreaterThan(0.6);
  });

  test("facing: emoji animals and vehicles face left unless listed; a plane climbs to the right", () => {
    expect(artFacing("horse")).toEqual({ facing: -1, heading: 0 });
    expect(artFacing("airplane").facing).toBe(1);
    expect(artFacing("airplane").heading).toBeLessThan(0);
  });
});

describe("art catalog audit", () => {
  /**
   * Scene tiles: drawings that are a whole picture with a background of their own (a sky, a
   * frame), found as fully painted squares. Reviewed below: each is either a scene (never a
   * subject: `SCENE_TILES`) or a square thing that is fine as a subject.
   */
  const SQUARE_THINGS = new Set([
    "brick",
    "red-envelope",
    "tumbler-glass",
    "musical-keyboard",
    "computer-disk",
    "floppy-disk",
    "x-ray",
    "control-knobs",
    "bar-chart",
    "chart-increasing",
    "chart-decreasing",
    "chart-increasing-with-yen",
    "window",
    "elevator",
    "heart-decoration",
    "face-in-clouds",
    "calendar",
    "newspaper",
  ]);

  function drawableIds(): string[] {
    const req = createRequire(import.meta.url);
    const chars = req("@iconify-json/fluent-emoji-flat/chars.json") as Record<string, string>;
    const emoji = req("emojibase-data/en/data.json") as { hexcode: string; group?: number }[];
    const ids = new Set<string>();
    for (const e of emoji) {
      // The groups the lexicon draws subjects from (not symbols, flags, components).
      if (e.group === undefined || e.group === 2 || e.group === 8 || e.group === 9) continue;
      const hex = e.hexcode.toLowerCase();
      const id = chars[hex] ?? chars[hex.replace(/-fe0f/g, "")];
      if (id && hasArt(id)) ids.add(id);
    }
    return [...ids];
  }

  function isTile(id: string): boolean {
    const s = artSprite(id, 32);
    const { x, y, w, h } = s.box;
    if (Math.min(w, h) / Math.max(w, h) < 0.95) return false;
    const d = s.canvas.getContext("2d").getImageData(0, 0, s.canvas.width, s.canvas.height).data;
    let n = 0;
    let all = 0;
    for (let yy = Math.floor(y); yy < Math.ceil(y + h); yy++)
      for (let xx = Math.floor(x); xx < Math.ceil(x + w); xx++) {
        all++;
        if (d[(yy * s.canvas.width + xx) * 4 + 3]! >= 128) n++;
      }
    return n / all >= 0.96;
  }

  test("every fully painted square drawing is reviewed: a scene tile, or a square thing", () => {
    const tiles = drawableIds().filter(isTile).sort();
    console.log(`scene-tile audit: ${tiles.length} square tiles: ${tiles.join(", ")}`);
    const unreviewed = tiles.filter((t) => !SCENE_TILES.has(t) && !SQUARE_THINGS.has(t));
    expect(unreviewed).toEqual([]);
    // The list is not stale: every listed scene is still there (the maps are pictures, listed by
    // hand under the threshold).
    for (const t of SCENE_TILES) expect(hasArt(t), t).toBe(true);
    const detected = new Set(tiles);
    const missed = [...SCENE_TILES].filter(
      (t) => !detected.has(t) && t !== "world-map" && t !== "map-of-japan",
    );
    expect(missed).toEqual([]);
    // The audit can fail: a scene is a tile, a horse is not.
    expect(isTile("bridge-at-night")).toBe(true);
    expect(isTile("horse")).toBe(false);
    // Rasterises the ~1,700 drawable emoji once (≈ 10 s on a quiet machine).
  }, 120_000);

  test("no word reaches a scene tile; the bridge is a hand-made bridge", () => {
    for (const word of ["bridge", "sunset", "cityscape", "fireworks", "milky way", "desert"]) {
      const art = resolveNoun(word).hit?.art ?? null;
      expect(art === null || !SCENE_TILES.has(art), `${word} → ${art}`).toBe(true);
    }
    expect(resolveNoun("bridge").hit?.art).toBe("bridge");
  });

  test("the hand-made drawings: one for every id understanding names, none hiding an emoji, each at its stated aspect", () => {
    const set = JSON.parse(
      readFileSync(
        createRequire(import.meta.url).resolve("@iconify-json/fluent-emoji-flat/icons.json"),
        "utf8",
      ),
    ) as { icons: Record<string, unknown>; aliases?: Record<string, unknown> };
    for (const [id, made] of Object.entries(MADE_ART)) {
      expect(MADE_ICONS[id], id).toBeDefined();
      expect(set.icons[id] ?? set.aliases?.[id], `${id} is an emoji id too`).toBeUndefined();
      const a = analysis(id);
      const aspect =
        ((a.right - a.left) * MADE_ICONS[id]!.width) /
        ((a.bottom - a.top) * MADE_ICONS[id]!.height);
      expect(Math.abs(aspect - made.aspect) / made.aspect, id).toBeLessThan(0.08);
    }
    expect(Object.keys(MADE_ICONS).sort()).toEqual(Object.keys(MADE_ART).sort());
  });
});
