/**
 * The curves tables (./curves.ts) against ffmpeg's own `curves` filter: every preset ffmpeg has,
 * on all 256 values of each channel, must be the same number.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFfmpeg } from "../media/ffmpeg.server.ts";
import { CURVES_PRESETS, type CurvesPreset, curvesTables, tableExpression } from "./curves.ts";

let dir: string;
let ramp: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rh-curves-"));
  ramp = path.join(dir, "ramp.ppm");
  // 256 × 1 pixels, pixel i = (i, i, i).
  const px = Buffer.alloc(256 * 3);
  for (let i = 0; i < 256; i++) px.fill(i, i * 3, i * 3 + 3);
  await writeFile(ramp, Buffer.concat([Buffer.from("P6\n256 1\n255\n"), px]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function throughFfmpeg(filter: string): Promise<[number[], number[], number[]]> {
  const { stdout } = await runFfmpeg(
    ["-v", "error", "-i", ramp, "-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
    { captureStdout: true },
  );
  const out: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < 256; i++) for (let c = 0; c < 3; c++) out[c]!.push(stdout[i * 3 + c]!);
  return out;
}

describe("curves tables", () => {
  const ffmpegPresets = (Object.keys(CURVES_PRESETS) as CurvesPreset[]).filter(
    (p) => p !== "decrease_contrast",
  );
  it.each(ffmpegPresets)("%s is ffmpeg's curves preset value for value", async (preset) => {
    expect(curvesTables(preset)).toEqual(await throughFfmpeg(`curves=preset=${preset}`));
  });

  it("a table written as a lutrgb expression gives back the table", async () => {
    const [r, g, b] = curvesTables("cross_process");
    const got = await throughFfmpeg(
      `lutrgb=r='${tableExpression(r)}':g='${tableExpression(g)}':b='${tableExpression(b)}'`,
    );
    expect(got).toEqual([r, g, b]);
  });

  it("decrease_contrast (not an ffmpeg preset) lowers contrast and keeps black and white", () => {
    const [r] = curvesTables("decrease_contrast");
    expect(r[0]).toBe(0);
    expect(r[255]).toBe(255);
    expect(r[40]!).toBeGreaterThan(40);
    expect(r[225]!).toBeLessThan(225);
  });
});
