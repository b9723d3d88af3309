import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { audioPeaks } from "./peaks.server.ts";
import { pcmPeaks, peaksArgs } from "./peaks.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "peaks-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("waveform peaks", () => {
  it("folds s16le samples into one 0…1 peak per bucket", () => {
    const pcm = new Uint8Array(new Int16Array([0, 100, -32767, 5, 16384, 0]).buffer);
    expect(pcmPeaks(pcm, 3)).toEqual([1, 0.5]);
    expect(peaksArgs("in.mp4")).toContain("pipe:1");
    expect(peaksArgs("in.mp4").indexOf("in.mp4")).toBe(peaksArgs("in.mp4").indexOf("-i") + 1);
  });

  it("decodes a real clip: silence then a tone shows as low then high peaks", async () => {
    const file = path.join(dir, "tone.mp4");
    execFileSync("ffmpeg", [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "color=c=gray:s=64x64:r=24:d=2",
      "-f",
      "lavfi",
      "-i",
      "aevalsrc=if(gte(t\\,1)\\,0.8*sin(2*PI*440*t)\\,0):s=48000:d=2",
      "-c:v",
      "libx264",
      "-c:a",
      "aac",
      "-shortest",
      file,
    ]);
    const w = await audioPeaks(file);
    expect(w.perSecond).toBe(50);
    expect(w.peaks.length).toBeGreaterThanOrEqual(98);
    const first = Math.max(...w.peaks.slice(2, 45));
    const second = Math.min(...w.peaks.slice(55, 95));
    expect(first).toBeLessThan(0.05);
    expect(second).toBeGreaterThan(0.5);
  });

  it("a draft without sound has an empty waveform, a missing file is an error", async () => {
    const file = path.join(dir, "mute.mp4");
    execFileSync("ffmpeg", [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "color=c=red:s=64x64:r=24:d=1",
      "-c:v",
      "libx264",
      file,
    ]);
    expect((await audioPeaks(file)).peaks).toEqual([]);
    await expect(audioPeaks(path.join(dir, "nope.mp4"))).rejects.toThrow(/waveform failed/);
  });
});
