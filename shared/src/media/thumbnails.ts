/**
 * The layout of a draft's poster and thumbnail spritesheet: one definition for the ffmpeg pass
 * (workflows/src/steps/media.ts), backends that draw their own (the previz renderer), the stored
 * draft row and the web's hover preview (which reads `SpriteInfo` from the draft). Pure.
 */

export interface SpriteInfo {
  columns: number;
  rows: number;
  count: number;
  tileWidth: number;
  tileHeight: number;
  intervalSeconds: number;
}

export const SPRITE = { columns: 5, rows: 4, tileWidth: 160 } as const;

/** The poster is the frame this far into the video (the ffmpeg pass trims to it). */
export const POSTER_AT_FRACTION = 1 / 3;

/** The poster is at most this wide. */
export const POSTER_MAX_WIDTH = 720;

/** `scale=W:-2`: the height for width `w` keeping the aspect, rounded to an even number. */
function evenHeight(w: number, width: number, height: number): number {
  return width > 0 ? Math.round((w * height) / width / 2) * 2 : 0;
}

/** The spritesheet's layout for a video of this size, sampled over `durationSeconds`. */
export function spriteInfo(width: number, height: number, durationSeconds: number): SpriteInfo {
  const count = SPRITE.columns * SPRITE.rows;
  return {
    ...SPRITE,
    count,
    tileHeight: evenHeight(SPRITE.tileWidth, width, height),
    intervalSeconds: durationSeconds / count,
  };
}

/** The poster's size for a video of this size. */
export function posterSize(width: number, height: number): { width: number; height: number } {
  const w = Math.min(POSTER_MAX_WIDTH, width);
  return { width: w, height: evenHeight(w, width, height) };
}

/** The spritesheet's size in pixels. */
export function spriteSheetSize(
  s: Pick<SpriteInfo, "columns" | "rows" | "tileWidth" | "tileHeight">,
): {
  width: number;
  height: number;
} {
  return { width: s.columns * s.tileWidth, height: s.rows * s.tileHeight };
}

/**
 * Which frames of a `frames`-long video at `fps` the poster and the sprite tiles show, matching the
 * ffmpeg pass: the poster is the first frame at or after a third of the duration (`trim=start`);
 * tile i is the frame nearest to i × interval (`fps=` rounds to the nearest), left to right, top to
 * bottom.
 */
export function thumbnailFrames(
  frames: number,
  fps: number,
  info: Pick<SpriteInfo, "count" | "intervalSeconds">,
): { poster: number; tiles: number[] } {
  const last = Math.max(0, frames - 1);
  const clamp = (f: number) => Math.min(last, Math.max(0, f));
  const durationSeconds = frames / fps;
  // The epsilon keeps an exact frame time (10 s / 3 × 30 = 100) from rounding up past it.
  const poster = clamp(Math.ceil(durationSeconds * POSTER_AT_FRACTION * fps - 1e-6));
  const tiles = Array.from({ length: info.count }, (_, i) =>
    clamp(Math.round(i * info.intervalSeconds * fps)),
  );
  return { poster, tiles };
}
