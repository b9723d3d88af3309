/**
 * THE edit compiler: one pure function from an edit decision list (./schema.ts) and the facts about
 * its sources to the ffmpeg argument arrays that render it. Nothing here spawns or touches the disk
 * (./render.server.ts runs the result), so every flag is unit-tested (./compile.test.ts).
 *
 * Order of operations on the picture: trim each clip → normalise (size, fps, pixel format) →
 * transitions (concat / frame-by-frame blend) → speed (setpts + fps) → stabilize (vidstab, two passes) → grade
 * (colorchannelmixer, eq, curves, lut3d) → loop (trim + crossfade of the seam). The sound follows
 * the same cuts: atrim → acrossfade → atempo chains → the loop's acrossfade; or silence when muted.
 *
 * An edit that only trims one clip whose in-point is a keyframe is a stream copy (no decode, no
 * re-encode); anything else is one re-encode.
 */
import {
  AUDIO_RATE,
  defaultH264,
  fmt,
  type H264Settings,
  mp4OutputArgs,
} from "../media/ffmpeg-args.ts";
import { gradeStages } from "./grade.ts";
import { type Edit, isNeutralGrade, type TransitionKind } from "./schema.ts";
import {
  atempoChain,
  isUnitSpeed,
  setptsExpression,
  speedOutputFrames,
  speedSegments,
} from "./speed.ts";
import { detectPlan, transformFilters } from "./stabilize.ts";

/**
 * Encoder settings of edit renders: x264 `ultrafast` at the product's CRF. An edit render is a
 * master the publish step re-encodes for the feed and the download (shared/src/social), so speed
 * wins over size here: on a 10 s 720×1280 clip it encodes in ~30 % of `veryfast`'s CPU time, with a
 * higher SSIM against the source (0.998 vs 0.996) for ~2.8× the bytes.
 */
export const EDIT_H264: H264Settings = { ...defaultH264, preset: "ultrafast" };

/** What the compiler must know about a source draft's file (./render.server.ts `probeSource`). */
export interface EditSource {
  draftId: string;
  path: string;
  width: number;
  height: number;
  fps: number;
  /** Number of video frames. */
  frames: number;
  hasAudio: boolean;
  /**
   * The sound is already the product's (AAC, 48 kHz, mono or stereo): an edit that leaves it as it is
   * (one whole clip, unit speed, no loop) copies it instead of decoding and re-encoding it.
   */
  audioCopyable?: boolean;
  /** Frame numbers of the video keyframes (stream copy is only possible from one of these). */
  keyframes: readonly number[];
}

export interface CompileContext {
  sources: Readonly<Record<string, EditSource>>;
  /** Where the render writes (the caller passes a temporary name). */
  output: string;
  /** The canonical `.cube` (./lut.ts `formatCube`) when the grade has a LUT. */
  lutPath?: string;
  /** Where the stabilizer's first pass writes its motion data (needed when stabilize is on). */
  transformsPath?: string;
  h264?: H264Settings;
  /** Instead of an MP4, pipe small grey frames of the result to stdout (loop detection). */
  analysis?: { width: number; height: number };
}

export interface CompiledEdit {
  mode: "copy" | "encode";
  /** Stabilize's first pass (vidstabdetect → transformsPath), run before `renderArgs`. */
  detectArgs?: string[];
  /**
   * Full-size / analysis-size of the first pass, per axis: the transforms file must be rescaled
   * by this (./stabilize.ts `scaleTransforms`) before `renderArgs` read it.
   */
  detectScale?: { x: number; y: number };
  renderArgs: string[];
  /** Frames and seconds of the result. */
  outputFrames: number;
  outputSeconds: number;
  /** Sequence frames (before speed) — the axis the speed keys are on. */
  sequenceFrames: number;
}

export class EditCompileError extends Error {
  constructor(
    readonly code: "missing_source" | "out_of_range" | "missing_lut" | "unsafe_path" | "empty",
    message: string,
  ) {
    super(message);
    this.name = "EditCompileError";
  }
}

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] as const;
const progress = ["-progress", "pipe:1", "-stats_period", "0.25"] as const;

/**
 * `blend` options for a transition of `frames` frames: A is the outgoing picture, B the incoming,
 * p = (N + 1) / (frames + 1) the progress (never wholly A or B inside the transition). Luma and
 * chroma are separate so a dip goes to black (chroma 128), not green.
 */
export function transitionBlend(kind: Exclude<TransitionKind, "cut">, frames: number): string {
  const p = `((N+1)/${frames + 1})`;
  const q = (e: string) => `'${e}'`;
  switch (kind) {
    case "crossfade":
      return `all_expr=${q(`A+(B-A)*${p}`)}`;
    case "dipblack": {
      const luma = `if(lt(${p},0.5),A*(1-2*${p}),B*(2*${p}-1))`;
      const chroma = `128+if(lt(${p},0.5),(A-128)*(1-2*${p}),(B-128)*(2*${p}-1))`;
      return `c0_expr=${q(luma)}:c1_expr=${q(chroma)}:c2_expr=${q(chroma)}`;
    }
    case "wipeleft":
      return `all_expr=${q(`if(gte(X,W*(1-${p})),B,A)`)}`;
    case "wiperight":
      return `all_expr=${q(`if(lt(X,W*${p}),B,A)`)}`;
    case "wipeup":
      return `all_expr=${q(`if(gte(Y,H*(1-${p})),B,A)`)}`;
    case "wipedown":
      return `all_expr=${q(`if(lt(Y,H*${p}),B,A)`)}`;
  }
}

/** Paths go inside filter arguments: only characters that need no escaping there. */
function safePath(p: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(p)) {
    throw new EditCompileError("unsafe_path", `path not usable in a filtergraph: ${p}`);
  }
  return p;
}

/** A clip's length in edit frames. */
function clipFrames(inFrame: number, outFrame: number, src: EditSource, fps: number): number {
  return Math.round(((outFrame - inFrame) * fps) / src.fps);
}

/** Overlap (in frames) of a clip's transition with the clip before: never more than half of either. */
export function overlapFrames(
  kind: TransitionKind,
  frames: number,
  length: number,
  prevLength: number,
): number {
  if (kind === "cut") return 0;
  return Math.max(0, Math.min(frames, Math.floor(length / 2), Math.floor(prevLength / 2)));
}

/** The sequence's clips with their place on the sequence axis (for the timeline and the exports). */
export function layoutClips(
  edit: Edit,
  sources: Readonly<Record<string, Pick<EditSource, "fps" | "frames">>>,
): { id: string; start: number; length: number; overlap: number }[] {
  const out: { id: string; start: number; length: number; overlap: number }[] = [];
  let elapsed = 0;
  edit.clips.forEach((c, i) => {
    const src = sources[c.draftId];
    const length = src
      ? clipFrames(c.inFrame, c.outFrame, src as EditSource, edit.fps)
      : c.outFrame - c.inFrame;
    const overlap =
      i === 0
        ? 0
        : overlapFrames(c.transition.kind, c.transition.frames, length, out[i - 1]!.length);
    const start = elapsed - overlap;
    out.push({ id: c.id, start, length, overlap });
    elapsed = start + length;
  });
  return out;
}

/** Compile an edit into ffmpeg arguments. Throws `EditCompileError` for what cannot be rendered. */
export function compileEdit(edit: Edit, ctx: CompileContext): CompiledEdit {
  const fps = edit.fps;
  const h264 = ctx.h264 ?? EDIT_H264;
  const sources = edit.clips.map((c) => {
    const s = ctx.sources[c.draftId];
    if (!s) throw new EditCompileError("missing_source", `no source for draft ${c.draftId}`);
    if (c.outFrame > s.frames) {
      throw new EditCompileError(
        "out_of_range",
        `clip ${c.id}: out frame ${c.outFrame} is past the draft's ${s.frames} frames`,
      );
    }
    return s;
  });
  const layout = layoutClips(edit, ctx.sources);
  const last = layout[layout.length - 1]!;
  const sequenceFrames = last.start + last.length;
  if (sequenceFrames <= 0) throw new EditCompileError("empty", "the edit has no frames");
  const segments = speedSegments(edit.speed, sequenceFrames);
  const unitSpeed = isUnitSpeed(segments);
  const speedFrames = unitSpeed ? sequenceFrames : speedOutputFrames(segments);
  const loop = edit.loop?.enabled ? edit.loop : null;
  if (loop && loop.endFrame > speedFrames) {
    throw new EditCompileError(
      "out_of_range",
      `the loop ends at frame ${loop.endFrame}, past the edit's ${speedFrames}`,
    );
  }
  const stabilize = edit.stabilize.strength > 0 && !ctx.analysis;
  const grade = !isNeutralGrade(edit.grade) && !ctx.analysis;
  const lut = grade && edit.grade.lutMediaId !== null && edit.grade.lutMix > 0;
  if (lut && !ctx.lutPath)
    throw new EditCompileError("missing_lut", "the grade's LUT file is missing");
  if (stabilize && !ctx.transformsPath) {
    throw new EditCompileError("missing_source", "stabilize needs a transforms path");
  }
  const outputFrames = loop ? loop.endFrame - loop.startFrame - loop.crossfadeFrames : speedFrames;
  const outputSeconds = outputFrames / fps;

  // Stream copy: one clip, only trimmed, starting on a keyframe, already the edit's size and rate.
  const only = edit.clips[0]!;
  const src0 = sources[0]!;
  if (
    !ctx.analysis &&
    edit.clips.length === 1 &&
    unitSpeed &&
    !loop &&
    !stabilize &&
    !grade &&
    edit.audio.mode === "pitch" &&
    src0.hasAudio &&
    src0.width === edit.width &&
    src0.height === edit.height &&
    src0.fps === fps &&
    src0.keyframes.includes(only.inFrame)
  ) {
    return {
      mode: "copy",
      renderArgs: streamCopyArgs(src0.path, only.inFrame / fps, outputFrames, ctx.output),
      outputFrames,
      outputSeconds,
      sequenceFrames,
    };
  }

  // The sound untouched (the whole of one clip at unit speed, no loop): copied, not re-encoded.
  const copyAudio =
    !ctx.analysis &&
    edit.clips.length === 1 &&
    unitSpeed &&
    !loop &&
    edit.audio.mode === "pitch" &&
    src0.hasAudio &&
    src0.audioCopyable === true &&
    only.inFrame === 0 &&
    only.outFrame === src0.frames &&
    src0.fps === fps;

  /** Picture and sound filter chains, kept apart so stabilize's first pass can take the picture alone. */
  const vp: string[] = [];
  const ap: string[] = [];
  const inputs: string[] = [];
  const muted = edit.audio.mode === "mute" || !!ctx.analysis || copyAudio;
  edit.clips.forEach((c, i) => {
    const s = sources[i]!;
    inputs.push("-i", s.path);
    const len = layout[i]!.length;
    vp.push(
      `[${i}:v:0]trim=start_frame=${c.inFrame}:end_frame=${c.outFrame},setpts=PTS-STARTPTS,` +
        `scale=${edit.width}:${edit.height}:force_original_aspect_ratio=decrease,` +
        `pad=${edit.width}:${edit.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p,settb=AVTB[v${i}]`,
    );
    if (muted) return;
    const secs = fmt(len / fps);
    ap.push(
      s.hasAudio
        ? `[${i}:a:0]atrim=start=${fmt(c.inFrame / s.fps)}:end=${fmt(c.outFrame / s.fps)},asetpts=PTS-STARTPTS,` +
            `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=end=${secs}[a${i}]`
        : `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE},atrim=end=${secs},aformat=sample_fmts=fltp[a${i}]`,
    );
  });

  // Transitions.
  let v = "v0";
  let a = "a0";
  for (let i = 1; i < edit.clips.length; i++) {
    const { overlap, start } = layout[i]!;
    const vo = `vx${i}`;
    const ao = `ax${i}`;
    if (overlap === 0) {
      vp.push(`[${v}][v${i}]concat=n=2:v=1:a=0[${vo}]`);
      if (!muted) ap.push(`[${a}][a${i}]concat=n=2:v=0:a=1[${ao}]`);
    } else {
      const kind = edit.clips[i]!.transition.kind as Exclude<TransitionKind, "cut">;
      // Frame-exact overlap: the last `overlap` frames before and the first `overlap` of the clip are
      // blended frame by frame (N = frame of the transition), the rest concatenated around them.
      const len = layout[i]!.length;
      vp.push(
        `[${v}]split[p${i}h][p${i}t]`,
        `[p${i}h]trim=end_frame=${start}[p${i}a]`,
        `[p${i}t]trim=start_frame=${start},setpts=PTS-STARTPTS[p${i}b]`,
        `[v${i}]split[n${i}h][n${i}t]`,
        `[n${i}h]trim=end_frame=${overlap}[n${i}a]`,
        `[n${i}t]trim=start_frame=${overlap},setpts=PTS-STARTPTS[n${i}b]`,
        `[p${i}b][n${i}a]blend=${transitionBlend(kind, overlap)}[m${i}]`,
        len > overlap
          ? `[p${i}a][m${i}][n${i}b]concat=n=3:v=1:a=0[${vo}]`
          : `[p${i}a][m${i}]concat=n=2:v=1:a=0[${vo}]`,
      );
      if (len <= overlap) vp.push(`[n${i}b]nullsink`);
      if (!muted) ap.push(`[${a}][a${i}]acrossfade=d=${fmt(overlap / fps)}:c1=tri:c2=tri[${ao}]`);
    }
    v = vo;
    a = ao;
  }

  // Speed.
  const videoChain: string[] = [];
  if (!unitSpeed) {
    videoChain.push(`setpts='${setptsExpression(segments, fps)}'`, `fps=${fps}`);
    if (!muted) {
      const n = segments.length;
      const labels = segments.map((_, k) => `sa${k}`);
      ap.push(
        n === 1
          ? `[${a}]anull[${labels[0]}]`
          : `[${a}]asplit=${n}${labels.map((l) => `[${l}]`).join("")}`,
      );
      segments.forEach((s, k) => {
        ap.push(
          `[${labels[k]}]atrim=start=${fmt(s.start / fps)}:end=${fmt(s.end / fps)},asetpts=PTS-STARTPTS,` +
            `${atempoChain(s.speed).join(",")}[st${k}]`,
        );
      });
      ap.push(`${segments.map((_, k) => `[st${k}]`).join("")}concat=n=${n}:v=0:a=1[aspd]`);
      a = "aspd";
    }
  }

  // Stabilize (pass 2 here; pass 1 is `detectArgs`, on a downscaled copy).
  const st = edit.stabilize;
  const detect = ctx.transformsPath
    ? detectPlan(st, edit.width, edit.height, safePath(ctx.transformsPath))
    : undefined;
  const stabilizeChain = stabilize ? transformFilters(st, safePath(ctx.transformsPath!)) : [];

  // Grade: at most one trip out of YUV (./grade.ts `gradeStages`), the LUT last on the same RGB.
  const stages = grade ? gradeStages(edit.grade, { lutLast: lut }) : { rgb: [], yuv: [] };
  const finalLabel = "vout";
  const seqVideo = [...vp];
  const parts = vp;
  const beforeGrade = [...videoChain, ...stabilizeChain];
  const pre = `[${v}]${beforeGrade.length ? beforeGrade.join(",") : "null"}`;
  if (lut) {
    const lutFilter = `lut3d=file=${safePath(ctx.lutPath!)}:interp=tetrahedral`;
    const rgb = ["format=bgr24", ...stages.rgb].join(",");
    if (edit.grade.lutMix >= 1) {
      parts.push(`${pre},${rgb},${lutFilter},format=yuv420p[vg]`);
    } else {
      // blend takes planar formats only.
      parts.push(`${pre},${rgb},format=gbrp,split[lg0][lg1]`);
      parts.push(`[lg1]${lutFilter}[lg2]`);
      parts.push(
        `[lg0][lg2]blend=all_mode=normal:all_opacity=${fmt(edit.grade.lutMix)},format=yuv420p[vg]`,
      );
    }
  } else {
    const chain = [
      ...(stages.rgb.length ? ["format=bgr24", ...stages.rgb] : []),
      "format=yuv420p",
      ...stages.yuv,
    ];
    parts.push(`${pre},${chain.join(",")}[vg]`);
  }

  // Loop: trim to the loop and close the seam by crossfading its last frames into its first.
  let vLabel = "vg";
  if (loop) {
    const { startFrame: s, endFrame: e, crossfadeFrames: c } = loop;
    if (c === 0) {
      parts.push(`[vg]trim=start_frame=${s}:end_frame=${e},setpts=PTS-STARTPTS[${finalLabel}]`);
    } else {
      // The loop's last c frames are blended into its first c (p = (N+1)/c reaches 1 on the last
      // frame, which is then wholly the frame before the one that plays next: no ghost at the seam).
      const len = e - s;
      parts.push(
        `[vg]trim=start_frame=${s}:end_frame=${e},setpts=PTS-STARTPTS,split=3[lm][lt][lh]`,
        `[lm]trim=start_frame=${c}:end_frame=${len - c},setpts=PTS-STARTPTS[lmain]`,
        `[lt]trim=start_frame=${len - c},setpts=PTS-STARTPTS[ltail]`,
        `[lh]trim=end_frame=${c}[lhead]`,
        `[ltail][lhead]blend=all_expr='A+(B-A)*((N+1)/${c})'[lmix]`,
        `[lmain][lmix]concat=n=2:v=1:a=0[${finalLabel}]`,
      );
    }
    if (!muted) {
      if (c === 0) {
        ap.push(`[${a}]atrim=start=${fmt(s / fps)}:end=${fmt(e / fps)},asetpts=PTS-STARTPTS[aout]`);
      } else {
        ap.push(`[${a}]asplit[alb][alh]`);
        ap.push(
          `[alb]atrim=start=${fmt((s + c) / fps)}:end=${fmt(e / fps)},asetpts=PTS-STARTPTS[albody]`,
        );
        ap.push(
          `[alh]atrim=start=${fmt(s / fps)}:end=${fmt((s + c) / fps)},asetpts=PTS-STARTPTS[alhead]`,
        );
        ap.push(`[albody][alhead]acrossfade=d=${fmt(c / fps)}:c1=tri:c2=tri[aout]`);
      }
      a = "aout";
    }
    vLabel = finalLabel;
  }
  if (!muted && !loop) {
    ap.push(`[${a}]anull[aout]`);
    a = "aout";
  }
  if (muted && !ctx.analysis && !copyAudio) {
    ap.push(
      `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE},atrim=end=${fmt(outputSeconds)}[aout]`,
    );
    a = "aout";
  }

  if (ctx.analysis) {
    parts.push(
      `[${vLabel}]scale=${ctx.analysis.width}:${ctx.analysis.height}:flags=area,format=gray[van]`,
    );
    return {
      mode: "encode",
      renderArgs: [
        ...quiet,
        ...inputs,
        "-filter_complex",
        parts.join(";"),
        "-map",
        "[van]",
        "-f",
        "rawvideo",
        "pipe:1",
      ],
      outputFrames,
      outputSeconds,
      sequenceFrames,
    };
  }

  const graph = [...parts, ...ap].join(";");
  const detectArgs = stabilize
    ? [
        ...quiet,
        ...progress,
        ...inputs,
        "-filter_complex",
        // Pass 1 measures the motion of the same picture pass 2 corrects (before grade and loop).
        [...seqVideo, `[${v}]${[...videoChain, ...detect!.filters].join(",")}[vdet]`].join(";"),
        "-map",
        "[vdet]",
        "-f",
        "null",
        "-",
      ]
    : undefined;

  return {
    mode: "encode",
    detectArgs,
    ...(detectArgs ? { detectScale: { x: detect!.scaleX, y: detect!.scaleY } } : {}),
    renderArgs: [
      ...quiet,
      ...progress,
      ...inputs,
      "-filter_complex",
      graph,
      "-map",
      `[${vLabel}]`,
      "-map",
      copyAudio ? "0:a:0" : `[${a}]`,
      "-t",
      fmt(outputSeconds),
      ...mp4OutputArgs(h264, copyAudio ? "copy" : true),
      ctx.output,
    ],
    outputFrames,
    outputSeconds,
    sequenceFrames,
  };
}

/**
 * Trim by stream copy: seek to the keyframe, copy `frames` video packets (`-t` lets the reordered
 * B-frames run a few frames long) and the audio beside them.
 */
export function streamCopyArgs(
  input: string,
  startSeconds: number,
  frames: number,
  output: string,
): string[] {
  return [
    ...quiet,
    ...progress,
    "-ss",
    fmt(startSeconds),
    "-i",
    input,
    "-frames:v",
    String(frames),
    "-map",
    "0:v:0",
    "-map",
    "0:a:0",
    "-c",
    "copy",
    "-avoid_negative_ts",
    "make_zero",
    "-movflags",
    "+faststart",
    "-map_metadata",
    "-1",
    "-f",
    "mp4",
    output,
  ];
}
