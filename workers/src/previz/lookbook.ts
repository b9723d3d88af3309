import { writeFile } from "node:fs/promises";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { INTERIOR_PLACES, placePainters } from "./places/index.ts";
import { renderStill } from "./still.ts";
import { styleTreatments } from "./styles/index.ts";
import { type SettingKind, type ShotSpec, type Style, understand } from "./understand.ts";

/**
 * The look book: every art style and every place as one PNG grid of middle frames, so anyone can
 * look at what the picture draws (`npx tsx workers/src/previz/lookbook.ts styles|places OUT.png`).
 * Each tile is a hand-built spec (the prompt's understanding with its style or setting replaced),
 * labelled under the picture.
 */

export interface Tile {
  label: string;
  spec: ShotSpec;
}

const base = (text: string) => understand({ text, sections: {} });

export function styleTiles(prompt = "a dog playing in a park on a sunny day"): Tile[] {
  return [...styleTreatments.values()].map((t) => ({
    label: t.label,
    spec: { ...base(prompt), style: t.id as Style },
  }));
}

export function placeTiles(prompt = "a person standing"): Tile[] {
  return (Object.keys(placePainters) as SettingKind[]).map((kind) => ({
    label: kind,
    spec: {
      ...base(prompt),
      setting: { kind, text: kind, interior: INTERIOR_PLACES.includes(kind) },
    },
  }));
}

export function sheet(
  tiles: Tile[],
  o: { tileWidth?: number; tileHeight?: number; columns?: number } = {},
): Canvas {
  const tw = o.tileWidth ?? 270;
  const th = o.tileHeight ?? 480;
  const cols = o.columns ?? Math.min(7, tiles.length);
  const rows = Math.ceil(tiles.length / cols);
  const label = 22;
  const c = createCanvas(cols * tw, rows * (th + label));
  const ctx = c.getContext("2d");
  ctx.fillStyle = "#111";
  ctx.fillRect(0, 0, c.width, c.height);
  tiles.forEach((t, i) => {
    const x = (i % cols) * tw;
    const y = Math.floor(i / cols) * (th + label);
    ctx.drawImage(renderStill(t.spec, { width: tw, height: th }), x, y);
    ctx.fillStyle = "#eee";
    ctx.font = "14px DejaVu Sans";
    ctx.fillText(t.label, x + 6, y + th + 16);
  });
  return c;
}

async function main(argv: string[]) {
  const [what, out] = argv;
  if ((what !== "styles" && what !== "places") || !out) {
    process.stderr.write("usage: lookbook.ts styles|places OUT.png [PROMPT]\n");
    process.exitCode = 2;
    return;
  }
  const tiles = what === "styles" ? styleTiles(argv[2]) : placeTiles(argv[2]);
  await writeFile(out, sheet(tiles).toBuffer("image/png"));
  process.stdout.write(`${JSON.stringify({ out, tiles: tiles.length })}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
