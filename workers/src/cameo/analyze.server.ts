import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type {
  CameoAnalysis,
  CameoAnalyzer,
  KitManifest,
} from "@reelhouse/shared/cameos/analyzer.server";
import { type FaceSample, judgeLiveness } from "@reelhouse/shared/cameos/liveness";
import { analysisSize, sampleFramesArgs, samplePcmArgs } from "@reelhouse/shared/cameos/recording";
import { energyWindows, medianPitch, voiceFromPitch } from "@reelhouse/shared/cameos/voice";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { detectFace, type FaceResult } from "./face.server.ts";
import { writeKit } from "./kit.server.ts";
import { moireScore } from "./moire.ts";

/**
 * Analyses a validated recording: samples frames (3 a second at 360 px wide) through the face
 * model, decodes the sound, judges liveness, measures the voice, and writes the likeness kit from
 * the chosen frames. The kit folder is built under a temp name and renamed, so a killed worker
 * leaves no half kit.
 */

export const SAMPLE_FPS = 3;
const PCM_RATE = 16000;

export interface SampledFrame {
  t: number;
  rgb: Uint8Array;
  face: FaceResult | null;
  /** The screen-pattern score of the face (moire.ts), 0 without a face. */
  moire: number;
}

export const analyzeRecording: CameoAnalyzer = async (o) => {
  const size = analysisSize(o.width, o.height, 360);
  const { stdout } = await runFfmpeg(
    sampleFramesArgs({ input: o.recording, container: o.container, fps: SAMPLE_FPS, ...size }),
    { captureStdout: true },
  );
  const frameBytes = size.width * size.height * 3;
  const count = Math.floor(stdout.length / frameBytes);
  const frames: SampledFrame[] = [];
  for (let i = 0; i < count; i++) {
    const rgb = new Uint8Array(stdout.buffer, stdout.byteOffset + i * frameBytes, frameBytes);
    const face = await detectFace(rgb, size.width, size.height);
    const moire = face ? moireScore(rgb, size.width, size.height, face.box) : 0;
    frames.push({ t: i / SAMPLE_FPS, rgb, face, moire });
    o.onProgress?.((i + 1) / (count + 2));
  }
  let pcm: Float32Array = new Float32Array(0);
  try {
    const a = await runFfmpeg(
      samplePcmArgs({ input: o.recording, container: o.container, sampleRate: PCM_RATE }),
      {
        captureStdout: true,
      },
    );
    pcm = new Float32Array(Uint8Array.from(a.stdout.subarray(0, a.stdout.length & ~3)).buffer);
  } catch {
    // No audio track: a pet or an object (validation required sound for a person).
  }
  const samples: FaceSample[] = frames.map((f) => ({
    t: f.t,
    found: f.face !== null,
    yaw: f.face?.yaw ?? 0,
    pitch: f.face?.pitch ?? 0,
    real: f.face?.real ?? 0,
    live: f.face?.live ?? 0,
    moire: f.moire,
  }));
  const energy = energyWindows(pcm, PCM_RATE);
  const liveness = o.plan
    ? judgeLiveness(o.plan, samples, energy)
    : { ok: true as const, checks: ["no liveness for pets and objects"] };
  const voice = voiceFromPitch(o.kind === "person" ? medianPitch(pcm, PCM_RATE) : null);
  const withFace = frames.filter((f) => f.face);
  let kit: KitManifest | null = null;
  let embedding: number[] = [];
  if (liveness.ok && withFace.length > 0) {
    const tmp = `${o.kitDir}.part-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    kit = await writeKit(tmp, withFace, size, o.plan);
    await rm(o.kitDir, { recursive: true, force: true });
    await rename(tmp, o.kitDir);
    const rel = path.basename(o.kitDir);
    kit = {
      ...kit,
      face: `${rel}/${kit.face}`,
      mouthClosed: `${rel}/${kit.mouthClosed}`,
      mouthOpen: `${rel}/${kit.mouthOpen}`,
      poses: Object.fromEntries(Object.entries(kit.poses).map(([k, v]) => [k, `${rel}/${v}`])),
    };
    const front = frontal(withFace);
    embedding =
      (await detectFace(front.rgb, size.width, size.height, { embedding: true }))?.embedding ?? [];
  }
  o.onProgress?.(1);
  const out: CameoAnalysis = { liveness, voice, embedding, kit, frames: count };
  return out;
};

/** The frame whose head pose is closest to straight on. */
export function frontal(frames: SampledFrame[]): SampledFrame {
  return frames.reduce((a, b) =>
    Math.abs(b.face!.yaw) + Math.abs(b.face!.pitch) <
    Math.abs(a.face!.yaw) + Math.abs(a.face!.pitch)
      ? b
      : a,
  );
}
