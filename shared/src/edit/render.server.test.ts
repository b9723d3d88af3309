/**
 * Each edit operation rendered by real ffmpeg on generated clips and checked from the decoded
 * frames: frame numbers read back from the picture (trims, splits, ramps), seam vs neighbour
 * differences (loop), frame-to-frame motion (stabilize), colours (grade, LUT), ffprobe for lengths.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FfmpegError, runFfmpeg } from "../media/ffmpeg.server.ts";
import { probe } from "../media/ffprobe.server.ts";
import type { EditSource } from "./compile.ts";
import {
  grayFramesArgs,
  NUMBER_BITS,
  numberedClipArgs,
  periodicClipArgs,
  readFrameNumber,
  rgbFramesArgs,
  shakyClipArgs,
  solidClipArgs,
} from "./fixtures.ts";
import { applyGrade } from "./grade.ts";
import { frameDifference, splitGrayFrames } from "./loop.ts";
import { formatCube, lutFromFunction, parseCube } from "./lut.ts";
import { detectLoop, probeSource, renderEdit } from "./render.server.ts";
import { type Edit, type EditInput, editSchema } from "./schema.ts";

const NUM = "00000000-0000-4000-8000-000000000001";
const NUM2 = "00000000-0000-4000-8000-000000000002";
const PER = "00000000-0000-4000-8000-000000000003";
const SHAKY = "00000000-0000-4000-8000-000000000004";
const RED = "00000000-0000-4000-8000-000000000005";
const SHAKY_BIG = "00000000-0000-4000-8000-000000000006";
const MID = "00000000-0000-4000-8000-000000000007";
const LUT_ID = "00000000-0000-4000-8000-0000000000ff";
const W = 160;
const H = 120;
let dir: string;
const sources: Record<string, EditSource> = {};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rh-edit-"));
  const make = async (id: string, args: (out: string) => string[]) => {
    const out = path.join(dir, `${id}.mp4`);
    await runFfmpeg(args(out));
    sources[id] = await probeSource(id, out);
  };
  await Promise.all([
    make(NUM, (output) => numberedClipArgs({ width: W, height: H, fps: 30, frames: 180, output })),
    make(NUM2, (output) => numberedClipArgs({ width: W, height: H, fps: 30, frames: 90, output })),
  ]);
  await Promise.all([
    make(PER, (output) =>
      periodicClipArgs({ width: W, height: H, fps: 30, frames: 150, periodFrames: 40, output }),
    ),
    make(SHAKY, (output) => shakyClipArgs({ width: W, height: H, fps: 30, frames: 90, output })),
    make(RED, (output) =>
      solidClipArgs({ width: W, height: H, fps: 30, frames: 30, color: "0xd02010", output }),
    ),
  ]);
  await make(MID, (output) =>
    solidClipArgs({ width: W, height: H, fps: 30, frames: 30, color: "0x8a6a50", output }),
  );
  // Large enough that stabilize measures the motion on a half-size copy.
  await make(SHAKY_BIG, (output) =>
    shakyClipArgs({ width: 720, height: 720, fps: 30, frames: 45, output }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const edit = (e: Partial<EditInput>): Edit =>
  editSchema.parse({ version: 1, fps: 30, width: W, height: H, clips: [], ...e });
let n = 0;
async function render(e: Edit, lutPath?: string) {
  const output = path.join(dir, `out-${n++}.mp4`);
  const plan = await renderEdit(e, { sources, output, lutPath });
  return { output, plan, info: await probe(output) };
}
async function frameNumbers(file: string): Promise<number[]> {
  const { stdout } = await runFfmpeg(
    grayFramesArgs({ input: file, width: NUMBER_BITS, height: 1 }),
    { captureStdout: true },
  );
  return splitGrayFrames(stdout, NUMBER_BITS, 1).map(readFrameNumber);
}
async function grayFrames(file: string, w = 32, h = 32): Promise<Uint8Array[]> {
  const { stdout } = await runFfmpeg(grayFramesArgs({ input: file, width: w, height: h }), {
    captureStdout: true,
  });
  return splitGrayFrames(stdout, w, h);
}
async function meanRgb(file: string): Promise<[number, number, number]> {
  const { stdout } = await runFfmpeg(rgbFramesArgs({ input: file, width: 8, height: 8 }), {
    captureStdout: true,
  });
  const px = stdout.subarray(0, 8 * 8 * 3);
  const sum = [0, 0, 0];
  for (let i = 0; i < px.length; i++) sum[i % 3]! += px[i]!;
  return sum.map((s) => s / 64) as [number, number, number];
}

describe("recut", () => {
  it("[E1] a trim between keyframes starts on exactly the chosen frame and lasts out − in frames", async () => {
    const { output, plan, info } = await render(
      edit({ clips: [{ id: "a", draftId: NUM, inFrame: 37, outFrame: 101 }] }),
    );
    expect(plan.mode).toBe("encode");
    const nums = await frameNumbers(output);
    expect(nums[0]).toBe(37);
    expect(nums).toEqual(Array.from({ length: 64 }, (_, i) => 37 + i));
    expect(info.video?.frames).toBe(64);
    expect(Math.abs(info.audio!.durationSeconds - 64 / 30)).toBeLessThan(0.05);
  });

  it("[E2] a trim on a keyframe is a stream copy and still starts on the chosen frame", async () => {
    // x264 puts a keyframe wherever the picture changes a lot (here every 16 frames): take one.
    const k = sources[NUM]!.keyframes.find((f) => f >= 30)!;
    expect(k).toBeGreaterThan(0);
    const { output, plan, info } = await render(
      edit({ clips: [{ id: "a", draftId: NUM, inFrame: k, outFrame: k + 90 }] }),
    );
    expect(plan.mode).toBe("copy");
    const nums = await frameNumbers(output);
    expect(nums[0]).toBe(k);
    expect(nums.length).toBeGreaterThanOrEqual(89);
    expect(nums.length).toBeLessThanOrEqual(91);
    expect(info.video?.codec).toBe("h264");
  });

  it("[E3] split and reorder: the clips play in the new order, each frame-exact", async () => {
    const { output } = await render(
      edit({
        clips: [
          { id: "b", draftId: NUM, inFrame: 90, outFrame: 120 },
          { id: "a", draftId: NUM, inFrame: 10, outFrame: 40 },
        ],
      }),
    );
    const nums = await frameNumbers(output);
    expect(nums).toEqual([
      ...Array.from({ length: 30 }, (_, i) => 90 + i),
      ...Array.from({ length: 30 }, (_, i) => 10 + i),
    ]);
  });
});

describe("stitch", () => {
  it("[E4] a crossfade overlaps the clips, shortens the whole by its length and keeps one continuous audio track", async () => {
    const { output, info } = await render(
      edit({
        clips: [
          { id: "a", draftId: NUM, inFrame: 0, outFrame: 60 },
          {
            id: "b",
            draftId: NUM2,
            inFrame: 0,
            outFrame: 60,
            transition: { kind: "dipblack", frames: 12 },
          },
          {
            id: "c",
            draftId: NUM,
            inFrame: 120,
            outFrame: 180,
            transition: { kind: "wipeleft", frames: 10 },
          },
        ],
      }),
    );
    expect(info.video?.frames).toBe(180 - 22);
    expect(Math.abs(info.audio!.durationSeconds - info.video!.durationSeconds)).toBeLessThan(0.05);
    const nums = await frameNumbers(output);
    expect(nums[0]).toBe(0);
    expect(nums.at(-1)).toBe(179);
    // In the dip to black the picture goes dark mid-transition.
    const gray = await grayFrames(output, 8, 1);
    const mid = gray[48 + 6]!;
    expect(Math.max(...mid)).toBeLessThan(60);
  });
});

describe("speed ramp", () => {
  it("[E5] a 2× section lasts half as many frames (within one), the rest stays 1×, audio follows", async () => {
    const e = edit({
      clips: [{ id: "a", draftId: NUM, inFrame: 0, outFrame: 180 }],
      speed: [
        { frame: 60, speed: 2, ease: "hold" },
        { frame: 120, speed: 1, ease: "hold" },
      ],
    });
    // Before frame 60 the speed is the first key's (2×): put a 1× key at 0.
    e.speed.unshift({ frame: 0, speed: 1, ease: "hold" });
    const { output, info } = await render(e);
    const nums = await frameNumbers(output);
    const inSection = nums.filter((f) => f >= 60 && f < 120).length;
    expect(Math.abs(inSection - 30)).toBeLessThanOrEqual(1);
    expect(nums.filter((f) => f < 60)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(Math.abs(nums.length - 150)).toBeLessThanOrEqual(1);
    expect(Math.abs(info.audio!.durationSeconds - 150 / 30)).toBeLessThan(0.1);
  });

  it("[E6] an eased ramp to 4× and back, muted, has a silent track of the picture's length", async () => {
    const { output, info } = await render(
      edit({
        clips: [{ id: "a", draftId: NUM, inFrame: 0, outFrame: 180 }],
        speed: [
          { frame: 0, speed: 0.25, ease: "ease" },
          { frame: 60, speed: 4, ease: "ease" },
          { frame: 180, speed: 1, ease: "ease" },
        ],
        audio: { mode: "mute" },
      }),
    );
    const nums = await frameNumbers(output);
    // Never goes backwards; slow at the start (frames repeat), fast in the middle (frames skipped).
    for (let i = 1; i < nums.length; i++) expect(nums[i]!).toBeGreaterThanOrEqual(nums[i - 1]!);
    expect(nums.slice(0, 8).filter((f) => f === 0).length).toBeGreaterThan(1);
    expect(Math.abs(info.audio!.durationSeconds - info.video!.durationSeconds)).toBeLessThan(0.1);
    const { stdout } = await runFfmpeg(
      ["-v", "error", "-i", output, "-map", "0:a:0", "-ac", "1", "-f", "f32le", "pipe:1"],
      { captureStdout: true },
    );
    const pcm = new Float32Array(stdout.buffer, stdout.byteOffset, stdout.byteLength / 4);
    expect(pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBe(0);
  });
});

describe("loop", () => {
  it("[E7] finds the loop point of a periodic clip and its seam differs from neighbours no more than ordinary frames do", async () => {
    const base = edit({ clips: [{ id: "a", draftId: PER, inFrame: 0, outFrame: 150 }] });
    const found = await detectLoop(base, sources, { minFrames: 30 });
    expect(found).toBeDefined();
    expect((found!.endFrame - found!.startFrame) % 40).toBe(0);
    const { output, info } = await render({
      ...base,
      loop: {
        enabled: true,
        startFrame: found!.startFrame,
        endFrame: found!.endFrame,
        crossfadeFrames: 6,
      },
    });
    const frames = await grayFrames(output);
    expect(frames.length).toBe(found!.endFrame - found!.startFrame - 6);
    expect(info.video!.frames).toBe(frames.length);
    const neighbours = frames.slice(1).map((f, i) => frameDifference(frames[i]!, f));
    const seam = frameDifference(frames.at(-1)!, frames[0]!);
    // No more than the largest ordinary step, give or take the encoder's noise (5 %) …
    expect(seam).toBeLessThanOrEqual(Math.max(...neighbours) * 1.05);
    // … where a loop cut at an arbitrary point (not a period) jumps far more than any step.
    const naive = await grayFrames(
      (
        await render({
          ...base,
          loop: { enabled: true, startFrame: 0, endFrame: 57, crossfadeFrames: 0 },
        })
      ).output,
    );
    const naiveSteps = naive.slice(1).map((f, i) => frameDifference(naive[i]!, f));
    expect(frameDifference(naive.at(-1)!, naive[0]!)).toBeGreaterThan(
      Math.max(...naiveSteps) * 1.5,
    );
  });
});

describe("stabilize", () => {
  it("[E8] a stabilized shaky clip has less frame-to-frame motion than its source (two-pass vidstab)", async () => {
    const { output, plan } = await render(
      edit({
        clips: [{ id: "a", draftId: SHAKY, inFrame: 0, outFrame: 90 }],
        stabilize: { strength: 1, crop: "zoom" },
      }),
    );
    expect(plan.detectArgs).toBeDefined();
    const motion = (fs: Uint8Array[]) =>
      fs.slice(1).reduce((s, f, i) => s + frameDifference(fs[i]!, f), 0) / (fs.length - 1);
    const before = motion(await grayFrames(sources[SHAKY]!.path, 64, 48));
    const after = motion(await grayFrames(output, 64, 48));
    expect(after).toBeLessThan(before * 0.7);
  });
  it("[E8b] measured on a half-size copy and rescaled, the motion still drops at full size", async () => {
    const e: Edit = editSchema.parse({
      version: 1,
      fps: 30,
      width: 720,
      height: 720,
      clips: [{ id: "a", draftId: SHAKY_BIG, inFrame: 0, outFrame: 45 }],
      stabilize: { strength: 1, crop: "zoom" },
    });
    const { output, plan, info } = await render(e);
    expect(plan.detectScale).toEqual({ x: 2, y: 2 });
    expect(info.video?.width).toBe(720);
    const motion = (fs: Uint8Array[]) =>
      fs.slice(1).reduce((s, f, i) => s + frameDifference(fs[i]!, f), 0) / (fs.length - 1);
    const before = motion(await grayFrames(sources[SHAKY_BIG]!.path, 64, 64));
    const after = motion(await grayFrames(output, 64, 64));
    expect(after).toBeLessThan(before * 0.7);
  });
});

describe("color grade", () => {
  it("[E9] a LUT changes colours as the LUT says (red and blue swapped)", async () => {
    const lutPath = path.join(dir, "swap.cube");
    await writeFile(
      lutPath,
      formatCube(parseCube(formatCube(lutFromFunction(17, (r, g, b) => [b, g, r])))),
    );
    const before = await meanRgb(sources[RED]!.path);
    const { output } = await render(
      edit({
        clips: [{ id: "a", draftId: RED, inFrame: 0, outFrame: 30 }],
        grade: { lutMediaId: LUT_ID },
      }),
      lutPath,
    );
    const after = await meanRgb(output);
    expect(Math.abs(after[0] - before[2])).toBeLessThan(8);
    expect(Math.abs(after[2] - before[0])).toBeLessThan(8);
    expect(Math.abs(after[1] - before[1])).toBeLessThan(8);
  });

  it("[E10b] the rendered grade is the preview's maths (applyGrade) on a mid-tone colour", async () => {
    // (Where a channel clips, the render clips before the saturation, the preview after it.)
    const grade = { exposure: 0.3, temperature: 0.4, tint: -0.3, contrast: 1.2, saturation: 0.6 };
    const e = edit({ clips: [{ id: "a", draftId: MID, inFrame: 0, outFrame: 30 }], grade });
    const before = await meanRgb(sources[MID]!.path);
    const want = applyGrade(e.grade, before.map((v) => v / 255) as [number, number, number]).map(
      (v) => v * 255,
    );
    const after = await meanRgb((await render(e)).output);
    expect(Math.abs(after[0] - before[0])).toBeGreaterThan(20);
    for (let c = 0; c < 3; c++) expect(Math.abs(after[c]! - want[c]!)).toBeLessThan(6);
  });

  it("[E10] +1 stop of exposure brightens, noir removes colour", async () => {
    const before = await meanRgb(sources[RED]!.path);
    const bright = await meanRgb(
      (
        await render(
          edit({
            clips: [{ id: "a", draftId: RED, inFrame: 0, outFrame: 30 }],
            grade: { exposure: 1 },
          }),
        )
      ).output,
    );
    expect(bright[1]).toBeGreaterThan(before[1] * 1.5);
    const noir = await meanRgb(
      (
        await render(
          edit({
            clips: [{ id: "a", draftId: RED, inFrame: 0, outFrame: 30 }],
            grade: { preset: "noir" },
          }),
        )
      ).output,
    );
    expect(Math.max(...noir) - Math.min(...noir)).toBeLessThan(10);
  });
});

describe("refusals and cancel", () => {
  it("[E11] a cancelled render rejects as aborted and leaves no file", async () => {
    const sub = await mkdtemp(path.join(dir, "cancel-"));
    const output = path.join(sub, "out.mp4");
    const ac = new AbortController();
    const run = renderEdit(
      edit({
        clips: [{ id: "a", draftId: SHAKY, inFrame: 0, outFrame: 90 }],
        stabilize: { strength: 1 },
        grade: { exposure: 0.5 },
      }),
      { sources, output, signal: ac.signal, onProgress: () => ac.abort() },
    );
    await expect(run).rejects.toSatisfy((e) => e instanceof FfmpegError && e.code === "aborted");
    expect(existsSync(output)).toBe(false);
    expect(await readdir(sub)).toEqual([]);
  });

  it("[E12] an edit past the source's end is refused before ffmpeg runs, writing nothing", async () => {
    const sub = await mkdtemp(path.join(dir, "refuse-"));
    await expect(
      renderEdit(edit({ clips: [{ id: "a", draftId: NUM2, inFrame: 0, outFrame: 91 }] }), {
        sources,
        output: path.join(sub, "o.mp4"),
      }),
    ).rejects.toThrow(/past the draft/);
    expect(await readdir(sub)).toEqual([]);
  });
});
