import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { renderStill } from "./still.ts";
import { understand } from "./understand.ts";

/**
 * `npm run previz -- sheet [out.png] [--size WxH]`: the contact sheet. A fixed list of varied
 * prompts (animals, vehicles, food, objects, pairs with relations, every art style), each drawn
 * at the middle of its shot, in one labelled PNG grid, so anyone can look at what the animatic
 * draws for them. Renders nothing else (no sound, no encoding).
 */

export const SHEET_PROMPTS = [
  "a horse galloping across a field, Van Gogh style",
  "an airplane flying over the ocean",
  "a lighthouse on a rocky coast at sunset, waves crashing",
  "a red bicycle on the left of a black dog",
  "three sheep grazing on a farm",
  "a sailboat on a lake at dawn",
  "a golden retriever running on the beach",
  "a cat sleeping under a wooden chair in a bedroom",
  "a red car driving down a desert road",
  "a pizza and a cup of coffee on a kitchen table",
  "an elephant walking in the jungle, oil painting",
  "a dolphin swimming underwater",
  "an eagle flying above snowy mountains, ukiyo-e woodblock print",
  "a yellow umbrella next to a blue bench in the park, watercolor",
  "a rocket launching into space, pixel art",
  "a cyclist riding through a neon city at night, cyberpunk",
  "a fox in a snowy forest, black and white",
  "a cow standing in front of a barn, cartoon",
  "a giant apple floating in the sky, surreal",
  "a train crossing a bridge over a river",
  "a bowl of strawberries on top of a table in a cafe",
  "two friends talking at a cafe table, morning light",
  "a jazz band playing in a smoky club",
  "a helicopter above a city skyline at dusk, noir",
  // Compositions: things on furniture, riders on mounts, contents in containers.
  "a laptop and a lamp on a desk in an office",
  "a woman riding a horse on a beach",
  "a basket of apples on a kitchen counter",
  "a boy on a skateboard in the city",
];

interface SheetOptions {
  out: string;
  width: number;
  height: number;
  columns: number;
  prompts: string[];
}

export function parseSheetArgs(argv: string[]): SheetOptions {
  const o: SheetOptions = {
    out: "previz-sheet.png",
    width: 480,
    height: 270,
    columns: 4,
    prompts: SHEET_PROMPTS,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--size") {
      const m = /^(\d{2,4})x(\d{2,4})$/.exec(argv[++i] ?? "");
      if (!m) throw new Error("--size wants WxH, e.g. --size 480x270");
      o.width = Number(m[1]);
      o.height = Number(m[2]);
    } else if (a === "--columns") {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 12) throw new Error("--columns wants 1..12");
      o.columns = n;
    } else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else if (!a.toLowerCase().endsWith(".png")) throw new Error(`the sheet is a PNG: ${a}`);
    else o.out = a;
  }
  return o;
}

/** The sheet as PNG bytes. */
export async function renderSheet(o: Omit<SheetOptions, "out">): Promise<Buffer> {
  const label = Math.round(o.height * 0.16);
  const rows = Math.ceil(o.prompts.length / o.columns);
  const sheet = createCanvas(o.columns * o.width, rows * (o.height + label));
  const ctx = sheet.getContext("2d");
  ctx.fillStyle = "#111";
  ctx.fillRect(0, 0, sheet.width, sheet.height);
  const px = Math.max(10, Math.round(label * 0.42));
  o.prompts.forEach((prompt, i) => {
    const x = (i % o.columns) * o.width;
    const y = Math.floor(i / o.columns) * (o.height + label);
    const still = renderStill(understand({ text: prompt, sections: {} }), {
      width: o.width,
      height: o.height,
      seed: 1,
    });
    ctx.drawImage(still, x, y);
    ctx.font = `${px}px DejaVu Sans`;
    ctx.fillStyle = "#eee";
    ctx.textBaseline = "middle";
    let text = prompt;
    while (text.length > 4 && ctx.measureText(text).width > o.width - 12)
      text = `${text.slice(0, -2).trimEnd()}…`.replace(/……$/, "…");
    ctx.fillText(text, x + 6, y + o.height + label / 2);
  });
  return sheet.encode("png");
}

/** Render the sheet and write it (temp name, then rename); returns the file's absolute path. */
export async function writeSheet(o: SheetOptions): Promise<string> {
  const png = await renderSheet(o);
  const out = path.resolve(o.out);
  const tmp = `${out}.tmp-${process.pid}`;
  await writeFile(tmp, png);
  await rename(tmp, out);
  return out;
}
