/**
 * Automatic loop points: given small grey frames of the edit (decoded by ffmpeg, see
 * ./render.server.ts `detectLoop`), find the pair of frames (start, end) that look and move most
 * alike, so playing start … end − 1 and jumping back to start shows no jump. Pure.
 */

export interface LoopCandidate {
  startFrame: number;
  /** Exclusive: the loop plays startFrame … endFrame − 1; frame endFrame looks like startFrame. */
  endFrame: number;
  /** Mean absolute grey difference (0…255) across the seam, over the matched window. */
  seamDifference: number;
  /** The median difference between neighbouring frames of the clip, for comparison. */
  typicalDifference: number;
}

export interface LoopSearchOptions {
  /** Shortest loop, in frames. */
  minFrames: number;
  /** Longest loop, in frames (default: the whole clip). */
  maxFrames?: number;
  /** Frames either side of the seam compared too, so motion matches and not only the picture. */
  window?: number;
}

/** Mean absolute difference of two equal-sized grey frames. */
export function frameDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Split a raw grey stream into frames of `width × height`. */
export function splitGrayFrames(raw: Uint8Array, width: number, height: number): Uint8Array[] {
  const size = width * height;
  const out: Uint8Array[] = [];
  for (let o = 0; o + size <= raw.length; o += size) out.push(raw.subarray(o, o + size));
  return out;
}

/** The best loop in `frames`, or undefined when the clip is shorter than `minFrames`. */
export function findLoopPoint(
  frames: readonly Uint8Array[],
  o: LoopSearchOptions,
): LoopCandidate | undefined {
  const n = frames.length;
  const w = o.window ?? 1;
  const maxLen = Math.min(o.maxFrames ?? n, n - 1 - w);
  if (n < o.minFrames + 1 + 2 * w || maxLen < o.minFrames) return undefined;
  // Differences between frames are reused many times: cache them.
  const cache = new Map<number, number>();
  const diff = (i: number, j: number) => {
    const key = i * n + j;
    let d = cache.get(key);
    if (d === undefined) {
      d = frameDifference(frames[i]!, frames[j]!);
      cache.set(key, d);
    }
    return d;
  };
  const neighbours: number[] = [];
  for (let i = 1; i < n; i++) neighbours.push(diff(i - 1, i));
  const typical = median(neighbours);
  let best: LoopCandidate | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let s = w; s < n - w; s++) {
    for (let len = o.minFrames; len <= maxLen; len++) {
      const e = s + len;
      if (e + w >= n) break;
      let d = 0;
      for (let k = -w; k <= w; k++) d += diff(s + k, e + k);
      d /= 2 * w + 1;
      // Among equally good seams prefer the longer loop (a tiny bias, well under one grey level).
      const score = d - len * 1e-4;
      if (score < bestScore) {
        bestScore = score;
        best = { startFrame: s, endFrame: e, seamDifference: d, typicalDifference: typical };
      }
    }
  }
  return best;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
