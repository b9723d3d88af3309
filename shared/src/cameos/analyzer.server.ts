import type { LivenessPlan, LivenessVerdict } from "./liveness.ts";
import type { Container, RecordingKind } from "./recording.ts";
import type { CameoVoice } from "./voice.ts";

/**
 * The contract between the `cameo` workflow and the face analysis the worker process registers
 * (workers/src/cameo/analyze.server.ts; the model is a worker dependency, like the backends).
 */
export interface KitManifest {
  /** Files relative to the cameo's folder. */
  face: string;
  mouthClosed: string;
  mouthOpen: string;
  poses: { left?: string; right?: string; up?: string };
  /** True when the recording never showed an open mouth and mouth-open.png has one drawn in. */
  mouthDrawn?: boolean;
  colors: { skin: string; hair: string };
}

export interface CameoAnalysis {
  liveness: LivenessVerdict;
  voice: CameoVoice;
  embedding: number[];
  kit: KitManifest | null;
  frames: number;
}

export type CameoAnalyzer = (o: {
  recording: string;
  container: Container;
  kind: RecordingKind;
  width: number;
  height: number;
  plan: LivenessPlan | null;
  /** Folder (absolute) to write the kit into; written under a temp name and renamed. */
  kitDir: string;
  onProgress?: (fraction: number) => void;
}) => Promise<CameoAnalysis>;

/** The face embedding of the most confident face in an image file, or null when it has none. */
export type FaceEmbedder = (imageFile: string) => Promise<number[] | null>;

let analyzer: CameoAnalyzer | undefined;
let embedder: FaceEmbedder | undefined;
export function registerCameoAnalyzer(a: CameoAnalyzer, e?: FaceEmbedder): void {
  analyzer = a;
  embedder = e;
}
/** The registered embedder (the worker's face model), if this process has one. */
export function faceEmbedder(): FaceEmbedder | undefined {
  return embedder;
}
export function cameoAnalyzer(): CameoAnalyzer {
  if (!analyzer) throw new Error("no cameo analyzer registered in this process");
  return analyzer;
}
