/**
 * Run a compiled edit (./compile.ts): probe the sources, run stabilize's first pass (on a
 * downscaled copy, its motion rescaled to full size) into a private temporary folder, render under
 * a temporary name and rename into place. Cancel (AbortSignal) kills ffmpeg and leaves no file. Also the loop-point search over ffmpeg-decoded grey frames.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ffmpegToFile, runFfmpeg } from "../media/ffmpeg.server.ts";
import { AUDIO_RATE } from "../media/ffmpeg-args.ts";
import { ffprobePath } from "../media/ffmpeg-path.server.ts";
import { probe } from "../media/ffprobe.server.ts";
import { type CompiledEdit, compileEdit, type EditSource } from "./compile.ts";
import { findLoopPoint, type LoopCandidate, splitGrayFrames } from "./loop.ts";
import type { Edit } from "./schema.ts";
import { scaleTransforms } from "./stabilize.ts";

/** Frame numbers of a video's keyframes (from packet flags; no decode). */
export async function keyframes(file: string, fps: number): Promise<number[]> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      ffprobePath(),
      [
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "packet=pts_time,flags",
        "-of",
        "csv=p=0",
        file,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let text = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (text += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`ffprobe failed: ${err.trim()}`)),
    );
  });
  const frames: number[] = [];
  for (const line of out.split("\n")) {
    const [t, flags] = line.split(",");
    if (t && flags?.includes("K")) frames.push(Math.round(Number(t) * fps));
  }
  return frames.sort((a, b) => a - b);
}

/** What the compiler needs to know about one source draft's video file. */
export async function probeSource(draftId: string, file: string): Promise<EditSource> {
  const p = await probe(file);
  const v = p.video;
  if (!v?.width || !v.height || !v.fps) throw new Error(`not a video: ${file}`);
  const fps = Math.round(v.fps);
  return {
    draftId,
    path: file,
    width: v.width,
    height: v.height,
    fps,
    frames: v.frames ?? Math.round(v.durationSeconds * fps),
    hasAudio: !!p.audio,
    audioCopyable:
      p.audio?.codec === "aac" &&
      p.audio.sampleRate === AUDIO_RATE &&
      (p.audio.channels === 1 || p.audio.channels === 2),
    keyframes: await keyframes(file, fps),
  };
}

export interface RenderEditOptions {
  sources: Readonly<Record<string, EditSource>>;
  output: string;
  lutPath?: string;
  signal?: AbortSignal;
  /** 0 … 1 over the whole render (both stabilize passes count). */
  onProgress?: (fraction: number) => void;
}

/** Render an edit to `output` (atomically). Returns the compiled plan it ran. */
export async function renderEdit(edit: Edit, o: RenderEditOptions): Promise<CompiledEdit> {
  const ctx = { sources: o.sources, output: o.output, lutPath: o.lutPath };
  // Only stabilize needs a work folder (its motion data): a trim or a grade starts ffmpeg at once.
  if (edit.stabilize.strength <= 0) {
    const plan = compileEdit(edit, ctx);
    await ffmpegToFile(o.output, (tmp) => compileEdit(edit, { ...ctx, output: tmp }).renderArgs, {
      signal: o.signal,
      onProgress: (s) => o.onProgress?.(Math.min(1, s / plan.outputSeconds)),
    });
    o.onProgress?.(1);
    return plan;
  }
  const work = await mkdtemp(path.join(tmpdir(), "rh-edit-"));
  try {
    const transformsPath = path.join(work, "motion.trf");
    const plan = compileEdit(edit, { ...ctx, transformsPath });
    const passes = plan.detectArgs ? 2 : 1;
    const report = (pass: number) => (s: number) =>
      o.onProgress?.(Math.min(1, (pass + Math.min(1, s / plan.outputSeconds)) / passes));
    if (plan.detectArgs) {
      await runFfmpeg(plan.detectArgs, { signal: o.signal, onProgress: report(0) });
      const scale = plan.detectScale ?? { x: 1, y: 1 };
      if (scale.x !== 1 || scale.y !== 1) {
        const measured = await readFile(transformsPath, "utf8");
        await writeFile(transformsPath, scaleTransforms(measured, scale.x, scale.y));
      }
    }
    await ffmpegToFile(
      o.output,
      (tmp) => compileEdit(edit, { ...ctx, output: tmp, transformsPath }).renderArgs,
      { signal: o.signal, onProgress: report(passes - 1) },
    );
    o.onProgress?.(1);
    return plan;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Analysis frame size for the loop search. */
export const LOOP_ANALYSIS = { width: 32, height: 32 } as const;

/**
 * The best loop of the edit as it plays before looping (trims, transitions and speed applied):
 * decodes 32×32 grey frames and searches them (./loop.ts).
 */
export async function detectLoop(
  edit: Edit,
  sources: Readonly<Record<string, EditSource>>,
  opts: { minFrames?: number; signal?: AbortSignal } = {},
): Promise<LoopCandidate | undefined> {
  const plan = compileEdit(
    { ...edit, loop: null },
    { sources, output: "-", analysis: LOOP_ANALYSIS },
  );
  const { stdout } = await runFfmpeg(plan.renderArgs, { captureStdout: true, signal: opts.signal });
  const frames = splitGrayFrames(stdout, LOOP_ANALYSIS.width, LOOP_ANALYSIS.height);
  return findLoopPoint(frames, {
    minFrames: opts.minFrames ?? Math.max(8, Math.round(edit.fps * 0.75)),
  });
}
