import type { GenerationRequest } from "./request.ts";

/** Progress from a backend: 0..1 within its own render stage. */
export type ProgressFn = (fraction: number, detail?: string) => void;

export interface RenderContext {
  /** Directory the backend writes into. The caller owns it; it is private to this attempt. */
  workDir: string;
  onProgress: ProgressFn;
  /** Aborted when the job is cancelled: stop work (kill ffmpeg) and throw. */
  signal: AbortSignal;
}

export interface GenerationResult {
  /** Absolute path of the MP4 (H.264 yuv420p + AAC, faststart) inside workDir. */
  videoPath: string;
  /** Facts the backend knows about what it made (e.g. the previz shot spec, a model's id). */
  metadata: Record<string, unknown>;
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
