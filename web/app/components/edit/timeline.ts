/**
 * The editor's timeline maths, pure (unit-tested in timeline.test.ts): where each clip sits on the
 * sequence axis (the compiler's own `layoutClips`, so the preview and the render agree), which
 * source frame plays at a sequence frame, the output axis after speed (for the loop), fit to a
 * target length, and the grade as ONE affine colour matrix for an SVG `feColorMatrix` — the
 * same numbers as `applyGrade`, so the browser preview is the render's matrix, contrast and
 * saturation (curves and the LUT are left to the render).
 */
import { layoutClips } from "@reelhouse/shared/edit/compile";
import { gradeModel } from "@reelhouse/shared/edit/grade";
import type { Edit, Grade } from "@reelhouse/shared/edit/schema";
import { speedAt } from "@reelhouse/shared/edit/speed";

export interface SourceInfo {
  fps: number;
  frames: number;
}
export type Sources = Readonly<Record<string, SourceInfo>>;

export interface PlacedClip {
  id: string;
  index: number;
  draftId: string;
  inFrame: number;
  outFrame: number;
  /** Sequence frames: where it starts, how long it lasts, how much it overlaps the previous. */
  start: number;
  length: number;
  overlap: number;
  transition: Edit["clips"][number]["transition"];
}

export function placeClips(edit: Edit, sources: Sources): PlacedClip[] {
  const layout = layoutClips(edit, sources);
  return edit.clips.map((c, i) => ({
    id: c.id,
    index: i,
    draftId: c.draftId,
    inFrame: c.inFrame,
    outFrame: c.outFrame,
    transition: c.transition,
    start: layout[i]!.start,
    length: layout[i]!.length,
    overlap: layout[i]!.overlap,
  }));
}

export function sequenceLength(placed: readonly PlacedClip[]): number {
  const last = placed[placed.length - 1];
  return last ? last.start + last.length : 0;
}

/** The clip on screen at sequence frame `f` (the incoming one during a transition) and its source frame. */
export function locate(
  placed: readonly PlacedClip[],
  sources: Sources,
  fps: number,
  f: number,
): { clip: PlacedClip; sourceFrame: number } | null {
  if (placed.length === 0) return null;
  let clip = placed[0]!;
  for (const c of placed) if (c.start <= f) clip = c;
  const src = sources[clip.draftId];
  const ratio = src ? src.fps / fps : 1;
  const sourceFrame = clip.inFrame + Math.floor((f - clip.start) * ratio + 1e-6);
  return {
    clip,
    sourceFrame: Math.max(clip.inFrame, Math.min(clip.outFrame - 1, sourceFrame)),
  };
}

/** The sequence frame at which `clip` shows source frame `sourceFrame`. */
export function sequenceFrameOf(
  clip: PlacedClip,
  sources: Sources,
  fps: number,
  sourceFrame: number,
): number {
  const src = sources[clip.draftId];
  const ratio = src ? fps / src.fps : 1;
  return clip.start + Math.round((sourceFrame - clip.inFrame) * ratio);
}

/**
 * The output axis (after speed): `out[f]` is the output frame where sequence frame f begins
 * (length + 1 entries). A frame at speed s lasts 1/s output frames.
 */
export function outputAxis(keys: Edit["speed"], length: number): Float64Array {
  const out = new Float64Array(length + 1);
  for (let f = 0; f < length; f++) out[f + 1] = out[f]! + 1 / speedAt(keys, f + 0.5);
  return out;
}

/** The sequence frame playing at output frame `o` (binary search on the axis). */
export function sequenceAtOutput(axis: Float64Array, o: number): number {
  let lo = 0;
  let hi = axis.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (axis[mid]! <= o) lo = mid;
    else hi = mid - 1;
  }
  return Math.min(lo, Math.max(0, axis.length - 2));
}

/**
 * Fit the sequence to `target` frames by moving every clip's out point in proportion to its length
 * (never below one frame, never past its draft's end). Returns the new out frames, or an error
 * message when the sources cannot be that long or that short.
 */
export function fitToLength(
  edit: Edit,
  sources: Sources,
  target: number,
): { ok: true; outFrames: Record<string, number> } | { ok: false; error: string } {
  const placed = placeClips(edit, sources);
  const current = sequenceLength(placed);
  if (!Number.isInteger(target) || target < placed.length)
    return { ok: false, error: `Choose at least ${placed.length} frames (one per clip).` };
  const overlaps = placed.reduce((n, c) => n + c.overlap, 0);
  const room = placed.reduce(
    (n, c) =>
      n +
      Math.round(
        ((sources[c.draftId]?.frames ?? c.outFrame) - c.inFrame) *
          (edit.fps / (sources[c.draftId]?.fps ?? edit.fps)),
      ),
    0,
  );
  if (target > room - overlaps)
    return {
      ok: false,
      error: `The drafts have only ${room - overlaps} frames after their in points.`,
    };
  const lengths = placed.map((c) => c.length);
  const want = target + overlaps;
  const total = lengths.reduce((a, b) => a + b, 0);
  // Scale, then hand the rounding remainder to the longest clips, one frame at a time.
  const scaled = lengths.map((l) => Math.max(1, Math.floor((l * want) / total)));
  let diff = want - scaled.reduce((a, b) => a + b, 0);
  const byLength = placed.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]!);
  for (let guard = 0; diff !== 0 && guard < 100_000; guard++) {
    const i = byLength[guard % byLength.length]!;
    const c = placed[i]!;
    const max = Math.round(
      ((sources[c.draftId]?.frames ?? c.outFrame) - c.inFrame) *
        (edit.fps / (sources[c.draftId]?.fps ?? edit.fps)),
    );
    if (diff > 0 && scaled[i]! < max) {
      scaled[i]! += 1;
      diff -= 1;
    } else if (diff < 0 && scaled[i]! > 1) {
      scaled[i]! -= 1;
      diff += 1;
    }
  }
  if (current === target) return { ok: true, outFrames: {} };
  const outFrames: Record<string, number> = {};
  placed.forEach((c, i) => {
    const src = sources[c.draftId];
    const ratio = src ? src.fps / edit.fps : 1;
    const out = Math.min(
      src?.frames ?? c.outFrame,
      c.inFrame + Math.max(1, Math.round(scaled[i]! * ratio)),
    );
    if (out !== c.outFrame) outFrames[c.id] = out;
  });
  return { ok: true, outFrames };
}

const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * The grade's matrix, contrast and saturation as the 20 values of an SVG `feColorMatrix`
 * (`color-interpolation-filters="sRGB"`): contrast and saturation are affine, so the whole of
 * `applyGrade` (before its final clamp, which the filter does too) is one matrix plus an offset.
 */
export function previewColorMatrix(g: Grade): number[] {
  const m = gradeModel(g);
  const c = m.contrast;
  const s = m.saturation;
  // S = s·I + (1−s)·1·lumaᵀ ; A = c·S·M ; offset = ½(1−c) (S keeps grey: S·1 = 1).
  const S = [0, 1, 2].map((r) => [0, 1, 2].map((k) => (r === k ? s : 0) + (1 - s) * LUMA[k]!));
  const out: number[] = [];
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += S[r]![k]! * m.matrix[k * 3 + col]!;
      out.push(Number((c * v).toFixed(5)));
    }
    out.push(0, Number((0.5 * (1 - c)).toFixed(5)));
  }
  out.push(0, 0, 0, 1, 0);
  return out;
}

/** `mm:ss:ff` at the edit's rate (frames shown, since every cut is on a frame). */
export function timecode(frame: number, fps: number): string {
  const f = Math.max(0, Math.round(frame));
  const secs = Math.floor(f / fps);
  const ff = f % fps;
  return `${String(Math.floor(secs / 60)).padStart(2, "0")}:${String(secs % 60).padStart(2, "0")}:${String(ff).padStart(2, "0")}`;
}

/** Which spritesheet tile shows source second `t` (the sheet samples every `intervalSeconds`). */
export function spriteTile(
  sprite: { columns: number; rows: number; intervalSeconds: number; count: number },
  t: number,
): { column: number; row: number } {
  const i = Math.max(0, Math.min(sprite.count - 1, Math.floor(t / sprite.intervalSeconds)));
  return { column: i % sprite.columns, row: Math.floor(i / sprite.columns) };
}
