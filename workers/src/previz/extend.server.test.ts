/**
 * Extend's seam on real previz renders: a D-second clip, its continuation rendered for D + N with
 * the source's plan carried on (`planSeconds`, what the extend workflow asks for), joined exactly as
 * the workflow joins (@reelhouse/shared/edit/extend). At D the picture must move on from the
 * source's last frame no more than the source moves from frame to frame — where a re-render
 * planned over D + N (the old behaviour) cuts to another framing.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  extendConcatList,
  extendJoinArgs,
  extendSourceVideoArgs,
  extendTailArgs,
} from "@reelhouse/shared/edit/extend";
import { frameDifference, splitGrayFrames } from "@reelhouse/shared/edit/loop";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "@reelhouse/shared/generation/request";
import { ffmpegToFile, runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { decodeGrayFramesArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraPath } from "./picture/camera.ts";
import { renderPreviz } from "./render.server.ts";
import { buildTimeline } from "./timeline.ts";
import { understand } from "./understand.ts";

const D = 4;
const N = 2;
const FPS = 30;
const GW = 72;
const GH = 128;
const request: GenerationRequestInput = {
  prompt: { text: "A dog runs across a sunny park, the camera pans right", sections: {} },
  durationSeconds: D,
  size: "720x1280",
  seed: 424242,
};

let root: string;
let source: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rh-extend-seam-"));
  source = await render("source", request);
}, 300_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(name: string, input: GenerationRequestInput): Promise<string> {
  const workDir = path.join(root, name);
  await mkdir(workDir, { recursive: true });
  const result = await renderPreviz(
    generationRequestSchema.parse(input),
    { workDir, signal: new AbortController().signal, onProgress: () => {} },
    // Drawn at half size: the seam is about where things are, not about sharp edges.
    { internalScale: 0.5 },
  );
  return result.videoPath;
}

/** The workflow's join: the source's packets for [0, D), the re-render's frames from D. */
async function join(name: string, rerender: string): Promise<string> {
  const dir = path.join(root, `${name}-join`);
  await mkdir(dir, { recursive: true });
  const tail = path.join(dir, "tail.mp4");
  await ffmpegToFile(tail, (tmp) => extendTailArgs({ rerender, fromFrame: D * FPS, output: tmp }));
  const sourceVideo = path.join(dir, "source-video.mp4");
  await ffmpegToFile(sourceVideo, (tmp) => extendSourceVideoArgs({ source, output: tmp }));
  const list = path.join(dir, "list.ffconcat");
  await writeFile(list, extendConcatList(sourceVideo, tail, D));
  const out = path.join(dir, "extended.mp4");
  await ffmpegToFile(out, (tmp) =>
    extendJoinArgs({
      list,
      source,
      rerender,
      sourceSeconds: D,
      totalSeconds: D + N,
      output: tmp,
    }),
  );
  return out;
}

/** Every decoded frame, once each (no frame-rate conversion: the seam is frame exact). */
async function grayFrames(file: string): Promise<Uint8Array[]> {
  const args = decodeGrayFramesArgs({ input: file, width: GW, height: GH });
  args.splice(args.indexOf("-vf"), 0, "-fps_mode", "passthrough");
  const { stdout } = await runFfmpeg(args, { captureStdout: true });
  return splitGrayFrames(stdout, GW, GH);
}

describe("extend's seam", () => {
  it("the camera plan carried past its end holds where the move ended, at rest", () => {
    const spec = understand(generationRequestSchema.parse(request).prompt);
    const planned = buildTimeline(spec, { durationSeconds: D, fps: FPS, seed: 1 });
    const carried = buildTimeline(spec, {
      durationSeconds: D + N,
      planSeconds: D,
      fps: FPS,
      seed: 1,
    });
    expect(carried.frames).toBe((D + N) * FPS);
    expect(carried.planFrames).toBe(D * FPS);
    const a = cameraPath(spec, planned, 720, 1280);
    const b = cameraPath(spec, carried, 720, 1280);
    // The first D seconds are the source's camera exactly …
    expect(b.slice(0, D * FPS)).toEqual(a);
    // … and past them the move stays where it arrived (the ease ends at rest).
    const last = a.at(-1)!;
    expect(b[D * FPS]!.x).toBeCloseTo(last.x, 6);
    expect(b.at(-1)!.zoom).toBeCloseTo(last.zoom, 6);
  });

  it("the extended clip moves on at D no more than the source does from frame to frame; a re-plan over D + N cuts", async () => {
    const carried = await join(
      "carried",
      await render("carried", { ...request, durationSeconds: D + N, planSeconds: D }),
    );
    const frames = await grayFrames(carried);
    expect(frames).toHaveLength((D + N) * FPS);
    const src = await grayFrames(source);
    const steps = src.slice(1).map((f, i) => frameDifference(src[i]!, f));
    const seam = frameDifference(frames[D * FPS - 1]!, frames[D * FPS]!);
    const after = frames.slice(D * FPS + 1).map((f, i) => frameDifference(frames[D * FPS + i]!, f));
    console.info("extend seam", {
      seam,
      sourceStepMax: Math.max(...steps),
      sourceStepMean: steps.reduce((s, x) => s + x, 0) / steps.length,
      continuationStepMax: Math.max(...after),
    });
    // No more than the largest ordinary step, give or take the encoder's noise (5 %).
    expect(seam).toBeLessThanOrEqual(Math.max(...steps) * 1.05);

    // The old behaviour, for contrast: the re-render planned over D + N starts elsewhere.
    const replanned = await grayFrames(
      await join("replanned", await render("replanned", { ...request, durationSeconds: D + N })),
    );
    const cut = frameDifference(replanned[D * FPS - 1]!, replanned[D * FPS]!);
    console.info("re-planned seam", cut);
    expect(cut).toBeGreaterThan(Math.max(...steps) * 1.5);
  }, 600_000);
});
