import type { CastCameo } from "../cameos/kits.server.ts";
import type { GenerationRequest } from "./request.ts";

/** Progress from a backend: 0..1 within its own render stage. */
export type ProgressFn = (fraction: number, detail?: string) => void;

export interface RenderContext {
  /** Directory the backend writes into. The caller owns it; it is private to this attempt. */
  workDir: string;
  onProgress: ProgressFn;
  /** Aborted when the job is cancelled: stop work (kill ffmpeg) and throw. */
  signal: AbortSignal;
  /**
   * The cameos cast in this request whose consent the render step has just checked, with their
   * likeness kits and voices as absolute files (see shared/src/cameos/kits.server.ts). A backend
   * that can draw people puts each on the subject its role names.
   */
  cameos?: CastCameo[];
}

export interface GenerationResult {
  /** Absolute path of the MP4 (H.264 yuv420p + AAC, faststart) inside workDir. */
  videoPath: string;
  /** Facts the backend knows about what it made (e.g. the previz shot spec, a model's id). */
  metadata: Record<string, unknown>;
  /**
   * The poster and spritesheet, if the backend already has them (the previz renderer draws every
   * frame, so they cost it a few ms): then the workflow moves them into place instead of decoding
   * the whole video with ffmpeg. JPEGs inside workDir, complete when `render` returns. The poster is
   * the frame a third of the way in, `posterSize(width, height)` big; the sprite is columns × rows
   * frames sampled evenly over the duration (`thumbnailFrames`), left to right, top to bottom, with
   * the layout `spriteInfo(width, height, durationSeconds)` gives (all in ../media/thumbnails.ts),
   * so the UI's hover preview works unchanged. Files that are missing, not JPEGs, or of another size
   * or layout are ignored and the ffmpeg pass runs instead.
   */
  thumbnails?: ProvidedThumbnails;
}

export interface ProvidedThumbnails {
  posterPath: string;
  spritePath: string;
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

/**
 * One generation backend: `previz` (built in, deterministic CPU animatic) or a real model. Register
 * new ones in ./registry.server.ts.
 */
export interface GenerationBackend {
  readonly name: string;
  /** Human label shown in the UI, honest about what the output is. */
  readonly label: string;
  render(request: GenerationRequest, ctx: RenderContext): Promise<GenerationResult>;
}

/** A failure with a code; `retryable: false` for bad input, so workflows do not retry it. */
export class GenerationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "GenerationError";
  }
}
