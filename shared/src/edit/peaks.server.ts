/**
 * Runs the waveform decode (./peaks.ts) with ffmpeg: a draft's sound → peaks per second. A draft
 * without a sound track has an empty waveform, not an error.
 */
import { spawn } from "node:child_process";
import { PEAKS_PER_SECOND, pcmPeaks, peaksArgs } from "./peaks.ts";

export interface Waveform {
  perSecond: number;
  peaks: number[];
}

/** Longest sound decoded (10 minutes of 8 kHz s16: 9.6 MB). */
const MAX_PCM_BYTES = 10 * 60 * 8000 * 2;

export function audioPeaks(file: string, signal?: AbortSignal): Promise<Waveform> {
  return new Promise((resolve, reject) => {
    const p = spawn("ffmpeg", peaksArgs(file), { stdio: ["ignore", "pipe", "pipe"], signal });
    const chunks: Buffer[] = [];
    let size = 0;
    let err = "";
    p.stdout.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PCM_BYTES) chunks.push(c);
    });
    p.stderr.on("data", (c: Buffer) => {
      err = (err + c.toString()).slice(-2000);
    });
    p.on("error", reject);
    p.on("close", (code) => {
      if (code === 0) {
        resolve({ perSecond: PEAKS_PER_SECOND, peaks: pcmPeaks(Buffer.concat(chunks)) });
      } else if (/matches no streams|does not contain any stream/i.test(err)) {
        resolve({ perSecond: PEAKS_PER_SECOND, peaks: [] });
      } else {
        reject(new Error(`ffmpeg waveform failed (${code}): ${err.trim()}`));
      }
    });
  });
}
