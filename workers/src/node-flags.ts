/**
 * Node flags the worker process runs with (`scripts/start.ts`), and the render benchmark too, so
 * it measures a render as the product runs it.
 *
 * `--initial-old-space-size`: every previz frame's pixels reach JS as a fresh 3.7 MB buffer (720x1280
 * RGBA; `canvas.data()` has no form that fills a buffer we own). V8 counts those bytes against the
 * old generation's allocation limit, and with the default starting limit it ran a full
 * mark-compact every few frames: 131 in four 10 s renders. Starting the limit at 128 MB halves
 * them (63), which took about 0.4 s of CPU off each render on this 2-core machine, for about
 * 100 MB more resident memory. Larger starts (256, 512) gave no fewer.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ["--initial-old-space-size=128"];
