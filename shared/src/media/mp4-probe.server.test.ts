import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runFfmpeg } from "./ffmpeg.server.ts";
import { testsrcEncodeArgs } from "./ffmpeg-args.ts";
import { probe } from "./ffprobe.server.ts";
import { probeMp4, probeVideo } from "./mp4-probe.server.ts";

/**
 * The in-process MP4 probe against ffprobe itself, on real encodes: the product's encoder, and
 * the variations a backend or an upload could bring (other frame rates, sample rates, channel
 * counts, chroma formats and bit depths, no audio, moov after mdat).
 */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rh-mp4probe-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lavfi = (s: string) => ["-f", "lavfi", "-i", s];
function encode(name: string, args: string[]): string {
  const out = path.join(dir, name);
  execFileSync("ffmpeg", ["-v", "error", "-y", ...args, out]);
  return out;
}

describe("probeMp4 reads what ffprobe reads", () => {
  it("on the product's own encode (H.264 yuv420p + AAC, faststart)", async () => {
    const out = path.join(dir, "product.mp4");
    await runFfmpeg(
      testsrcEncodeArgs({ width: 720, height: 1280, fps: 30, seconds: 2, output: out }),
    );
    const fast = await probeMp4(out);
    expect(fast).toEqual(await probe(out));
    expect(fast).toMatchObject({ faststart: true, video: { codec: "h264", pixFmt: "yuv420p" } });
  });

  it.each([
    [
      "yuv444p, 24 fps, stereo 44.1 kHz",
      [
        ...lavfi("testsrc2=s=640x360:r=24:d=1.5"),
        ...lavfi("sine=d=1.5:sample_rate=44100"),
        ...["-ac", "2", "-c:v", "libx264", "-pix_fmt", "yuv444p", "-c:a", "aac"],
      ],
    ],
    [
      "10-bit 4:2:0 at 29.97 fps, moov after mdat",
      [
        ...lavfi("testsrc2=s=320x240:r=30000/1001:d=1"),
        ...lavfi("sine=d=1"),
        ...["-c:v", "libx264", "-pix_fmt", "yuv420p10le", "-c:a", "aac"],
      ],
    ],
    [
      "baseline profile, no audio",
      [...lavfi("testsrc2=s=320x240:r=25:d=1"), "-c:v", "libx264", "-profile:v", "baseline"],
    ],
    [
      "5.1 sound at 22.05 kHz",
      [
        ...lavfi("testsrc2=s=320x240:r=30:d=1"),
        ...lavfi("sine=d=1:sample_rate=22050"),
        ...["-c:v", "libx264", "-c:a", "aac", "-ac", "6"],
      ],
    ],
  ])("on %s", async (label, args) => {
    const out = encode(`${label.replace(/\W+/g, "-")}.mp4`, args);
    expect(await probeMp4(out)).toEqual(await probe(out));
  });
});

describe("probeMp4 declines what it does not understand", () => {
  it("returns undefined for WebM, for a truncated MP4 and for text; probeVideo asks ffprobe", async () => {
    const webm = encode("clip.webm", [...lavfi("testsrc2=s=160x120:r=10:d=1"), "-c:v", "libvpx"]);
    expect(await probeMp4(webm)).toBeUndefined();
    expect(await probeVideo(webm)).toMatchObject({ video: { codec: "vp8", width: 160 } });

    const whole = await readFile(path.join(dir, "product.mp4"));
    const cut = path.join(dir, "cut.mp4");
    await writeFile(cut, whole.subarray(0, 2000)); // the moov box runs past the end
    expect(await probeMp4(cut)).toBeUndefined();
    expect(await probeVideo(cut)).toEqual(await probe(cut)); // ffprobe's answer, whatever it is

    const text = path.join(dir, "text.mp4");
    await writeFile(text, "not a video at all, only words");
    expect(await probeMp4(text)).toBeUndefined();
  });
});
