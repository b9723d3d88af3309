/**
 * The grade made faster must look the same: the filter chains the compiler wrote before the curves
 * were folded into the grade's one `lutrgb` (captured verbatim below) against today's
 * `gradeFilters`, on the same colourful picture (testsrc2: bars, gradients, skin-ish tones, moving
 * shapes) — as pictures straight out of the filters, and as decoded renders.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFfmpeg } from "../media/ffmpeg.server.ts";
import { testsrcEncodeArgs } from "../media/ffmpeg-args.ts";
import { compileEdit, type EditSource } from "./compile.ts";
import { gradeFilters } from "./grade.ts";
import { probeSource } from "./render.server.ts";
import { type EditInput, editSchema, gradeSchema } from "./schema.ts";

/** `gradeFilters(g).join(",")` as the compiler wrote it until the curves were folded in. */
const BEFORE: { grade: EditInput["grade"]; chain: string }[] = [
  {
    grade: { exposure: 0.4, contrast: 1.1, saturation: 1.2, temperature: 0.3, preset: "cinematic" },
    chain:
      "format=bgr24,lutrgb=r='clip((val*1.44064-127.5)*1.21+128,0,255)':g='clip((val*1.31951-127.5)*1.21+128,0,255)':b='clip((val*1.20313-127.5)*1.21+128,0,255)',curves=preset=medium_contrast,format=yuv420p,eq=saturation=1.14",
  },
  {
    grade: { preset: "vintage" },
    chain:
      "format=bgr24,colorchannelmixer=rr=0.62596:rg=0.34545:rb=0.06709:gr=0.15623:gg=0.75671:gb=0.05956:br=0.12827:bg=0.25182:bb=0.49891,lutrgb=r='clip((val*1-127.5)*0.95+128,0,255)':g='clip((val*1-127.5)*0.95+128,0,255)':b='clip((val*1-127.5)*0.95+128,0,255)',curves=preset=vintage,format=yuv420p,eq=saturation=0.9",
  },
  {
    grade: { preset: "cross-process", exposure: -0.3 },
    chain:
      "format=bgr24,lutrgb=r='clip((val*0.81225-127.5)*1.05+128,0,255)':g='clip((val*0.81225-127.5)*1.05+128,0,255)':b='clip((val*0.81225-127.5)*1.05+128,0,255)',curves=preset=cross_process,format=yuv420p,eq=saturation=1.1",
  },
  {
    grade: { curves: "strong_contrast", tint: 0.4 },
    chain:
      "format=bgr24,lutrgb=r='clip((val*1-127.5)*1+128,0,255)':g='clip((val*0.94-127.5)*1+128,0,255)':b='clip((val*1-127.5)*1+128,0,255)',curves=preset=strong_contrast,format=yuv420p",
  },
  {
    grade: { preset: "noir", curves: "lighter" },
    chain:
      "format=bgr24,colorchannelmixer=rr=0.299:rg=0.587:rb=0.114:gr=0.299:gg=0.587:gb=0.114:br=0.30498:bg=0.59874:bb=0.11628,lutrgb=r='clip((val*1-127.5)*1.35+128,0,255)':g='clip((val*1-127.5)*1.35+128,0,255)':b='clip((val*1-127.5)*1.35+128,0,255)',curves=preset=lighter,format=yuv420p,eq=saturation=0",
  },
  {
    grade: { curves: "negative", contrast: 0.8 },
    chain:
      "format=bgr24,lutrgb=r='clip((val*1-127.5)*0.8+128,0,255)':g='clip((val*1-127.5)*0.8+128,0,255)':b='clip((val*1-127.5)*0.8+128,0,255)',curves=preset=negative,format=yuv420p",
  },
  {
    grade: { curves: "increase_contrast" },
    chain: "format=bgr24,curves=preset=increase_contrast,format=yuv420p",
  },
  {
    grade: { curves: "darker", temperature: -0.6 },
    chain:
      "format=bgr24,lutrgb=r='clip((val*0.88-127.5)*1+128,0,255)':g='clip((val*1-127.5)*1+128,0,255)':b='clip((val*1.12-127.5)*1+128,0,255)',curves=preset=darker,format=yuv420p",
  },
];

let dir: string;
let clip: EditSource;
const W = 320;
const H = 240;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rh-grade-"));
  const file = path.join(dir, "clip.mp4");
  await runFfmpeg(testsrcEncodeArgs({ width: W, height: H, fps: 30, seconds: 1, output: file }));
  clip = await probeSource("00000000-0000-4000-8000-0000000000a1", file);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The clip through `chain` (yuv420p in, yuv420p out, as in a render), as rgb24 bytes. */
async function filtered(chain: string): Promise<Buffer> {
  const { stdout } = await runFfmpeg(
    [
      ...["-v", "error", "-i", clip.path, "-frames:v", "10"],
      ...["-vf", `format=yuv420p,${chain},format=yuv420p`, "-f", "rawvideo", "-pix_fmt", "rgb24"],
      "pipe:1",
    ],
    { captureStdout: true },
  );
  return stdout;
}

async function decoded(file: string): Promise<Buffer> {
  const { stdout } = await runFfmpeg(
    ["-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
    { captureStdout: true },
  );
  return stdout;
}

/** Per channel, the largest per-pixel difference and the mean of (after − before). */
function compare(a: Buffer, b: Buffer) {
  expect(b.length).toBe(a.length);
  const max = [0, 0, 0];
  const sum = [0, 0, 0];
  const over2 = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const c = i % 3;
    const d = b[i]! - a[i]!;
    max[c] = Math.max(max[c]!, Math.abs(d));
    sum[c]! += d;
    if (Math.abs(d) > 2) over2[c]!++;
  }
  const px = a.length / 3;
  return { max, mean: sum.map((s) => s / px), over2: over2.map((o) => o / px) };
}

describe("the grade's colours stay what they were", () => {
  it.each(BEFORE.map((b, i) => [i, b] as const))(
    "grade %i: the folded chain gives the old chain's pixels within ±2 levels",
    async (_, { grade, chain }) => {
      const now = gradeFilters(gradeSchema.parse(grade)).join(",");
      expect(now).not.toBe(chain);
      expect(now.match(/format=/g)).toHaveLength(2);
      expect(now).not.toContain("curves=");
      const { max } = compare(await filtered(chain), await filtered(now));
      console.info(`grade ${JSON.stringify(grade)}: largest difference per channel`, max);
      expect(Math.max(...max)).toBeLessThanOrEqual(2);
    },
  );

  it("a graded render decodes to the old render's colours (mean within ±2, ≤ 0.1 % of samples off by more)", async () => {
    const e = editSchema.parse({
      version: 1,
      fps: 30,
      width: W,
      height: H,
      clips: [{ id: "a", draftId: clip.draftId, inFrame: 0, outFrame: clip.frames }],
      grade: BEFORE[0]!.grade,
    });
    const render = async (name: string, swap?: string) => {
      const output = path.join(dir, `${name}.mp4`);
      const args = compileEdit(e, { sources: { [clip.draftId]: clip }, output }).renderArgs;
      const g = args.indexOf("-filter_complex") + 1;
      if (swap) {
        const now = gradeFilters(e.grade).join(",");
        expect(args[g]).toContain(now);
        args[g] = args[g]!.replace(/format=bgr24,.*?,format=yuv420p,eq=saturation=[0-9.]+/, swap);
        expect(args[g]).toContain(swap);
      }
      await runFfmpeg(args);
      return decoded(output);
    };
    const { mean, over2, max } = compare(
      await render("before", BEFORE[0]!.chain),
      await render("now"),
    );
    console.info("graded render, now vs before:", { mean, over2, max });
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(mean[c]!)).toBeLessThanOrEqual(2);
      expect(over2[c]!).toBeLessThanOrEqual(0.001);
    }
    // The sound was left alone, so it is the source's own packets, copied.
    const packets = async (file: string) =>
      (
        await runFfmpeg(
          ["-v", "error", "-i", file, "-map", "0:a:0", "-c", "copy", "-f", "md5", "-"],
          {
            captureStdout: true,
          },
        )
      ).stdout.toString();
    expect(await packets(path.join(dir, "now.mp4"))).toBe(await packets(clip.path));
  });
});
