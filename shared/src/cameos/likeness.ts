/**
 * The likeness guard's measure: cosine similarity of two face embeddings (@vladmandic/human's
 * 1024-value description). Pure. The threshold is tested in workers/src/cameo/likeness.server.test.ts
 * on real faces: two pictures of the same person score above it, different people below.
 */

// Measured on the package's faces: the same man 0.63 across two photos, five other people 0.29-0.39.
export const LIKENESS_THRESHOLD = 0.5;

export function cosine(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export const sameFace = (a: readonly number[], b: readonly number[]) =>
  cosine(a, b) >= LIKENESS_THRESHOLD;
