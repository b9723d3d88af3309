import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FfmpegError,
  ffmpegPipeToFile,
  ffmpegToFile,
  parseProgressSeconds,
  runFfmpeg,
} from "./ffmpeg.server.ts";
import {
  AUDIO_RATE,
  encodeRawVideoArgs,
  posterArgs,
  spritesheetArgs,
  stitchArgs,
  stitchedDuration,
  testsrcEncodeArgs,
} from "./ffmpeg-args.ts";
import { moovBeforeMdat, probe } from "./ffprobe.server.ts";
import { encodeWav } from "./wav.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "rh-ffmpeg-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A mono 16-bit WAV of a sine tone. */
function sineWav(seconds: number, freq = 440, rate = AUDIO_RATE): Buffer {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin((2 * Math.PI * freq * i) / rate) * 0.25;
  return encodeWav([x], rate);
}

async function encodeRaw(out: string, frames: number, w = 64, h = 48, audioSeconds = frames / 30) {
  const wav = path.join(dir, `a-${frames}-${audioSeconds}.wav`);
  await writeFile(wav, sineWav(audioSeconds));
  const progress: number[] = [];
  await ffmpegPipeToFile(
    out,
    (tmp) =>
      encodeRawVideoArgs({ width: w, height: h, fps: 30, frames, audioPath: wav, output: tmp }),
    async (proc) => {
      const frame = Buffer.alloc(w * h * 4);
      for (let i = 0; i < frames; i++) {
        frame.fill(i % 256);
        await proc.write(frame);
      }
    },
    { onProgress: (s) => progress.push(s) },
  );
  return progress;
}

describe("ffmpeg spawn wrapper and ffprobe (real ffmpeg)", () => {
  it("encodes piped RGBA frames + WAV into a faststart H.264/AAC MP4 with equal stream durations", async () => {
    const out = path.join(dir, "raw.mp4");
    // audio deliberately longer than the picture: it must be cut to the video's length
    const progress = await encodeRaw(out, 45, 64, 48, 2.2);
    const p = await probe(out);
    expect(p.video?.codec).toBe("h264");
    expect(p.video?.pixFmt).toBe("yuv420p");
    expect([p.video?.width, p.video?.height]).toEqual([64, 48]);
    expect(p.video?.frames).toBe(45);
    expect(p.audio?.codec).toBe("aac");
    expect(p.faststart).toBe(true);
    expect(Math.abs(p.video!.durationSeconds - 1.5)).toBeLessThanOrEqual(1 / 30);
    expect(Math.abs(p.audio!.durationSeconds - p.video!.durationSeconds)).toBeLessThanOrEqual(
      1 / 30,
    );
    expect(progress.length).toBeGreaterThan(0);
    expect(Math.max(...progress)).toBeGreaterThan(1);
    // no temporary file left behind
    expect((await readdir(dir)).filter((f) => f.includes(".part-"))).toEqual([]);
  });

  it("the same input encodes to byte-identical files", async () => {
    const a = path.join(dir, "det-a.mp4");
    const b = path.join(dir, "det-b.mp4");
    await encodeRaw(a, 30);
    await encodeRaw(b, 30);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it("a failing ffmpeg rejects with its stderr and leaves no file", async () => {
    const out = path.join(dir, "broken.mp4");
    const err = await ffmpegToFile(out, (tmp) =>
      posterArgs({
        input: path.join(dir, "missing.mp4"),
        output: tmp.replace(/\.mp4$/, ".jpg"),
        atSeconds: 0,
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect((err as FfmpegError).code).toBe("failed");
    expect((err as FfmpegError).message).toMatch(/missing\.mp4/);
    expect(
      (await readdir(dir)).filter((f) => f.startsWith("broken") || f.includes(".part-")),
    ).toEqual([]);
  });

  it("aborting kills ffmpeg mid-encode and no output (final or partial) remains", async () => {
    const out = path.join(dir, "aborted.mp4");
    const ac = new AbortController();
    const started = Date.now();
    const run = ffmpegToFile(
      out,
      (tmp) => testsrcEncodeArgs({ width: 1280, height: 720, fps: 30, seconds: 120, output: tmp }),
      {
        signal: ac.signal,
        onProgress: (s) => {
          if (s > 0.5) ac.abort();
        },
      },
    );
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect((err as FfmpegError).code).toBe("aborted");
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(
      (await readdir(dir)).filter((f) => f.startsWith("aborted") || f.includes(".part-")),
    ).toEqual([]);
  });

  it("aborting while frames are being piped stops the writer and leaves no file", async () => {
    const out = path.join(dir, "aborted-pipe.mp4");
    const ac = new AbortController();
    const err = await ffmpegPipeToFile(
      out,
      (tmp) => encodeRawVideoArgs({ width: 320, height: 240, fps: 30, frames: 3000, output: tmp }),
      async (proc) => {
        const frame = Buffer.alloc(320 * 240 * 4, 80);
        for (let i = 0; i < 3000; i++) {
          if (i === 20) ac.abort();
          await proc.write(frame);
        }
      },
      { signal: ac.signal },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect((err as FfmpegError).code).toBe("aborted");
    expect(
      (await readdir(dir)).filter((f) => f.startsWith("aborted-pipe") || f.includes(".part-")),
    ).toEqual([]);
  });

  it("poster and spritesheet images come out at the requested sizes", async () => {
    const src = path.join(dir, "src.mp4");
    await ffmpegToFile(src, (tmp) =>
      testsrcEncodeArgs({ width: 320, height: 240, fps: 30, seconds: 2, output: tmp }),
    );
    const poster = path.join(dir, "poster.jpg");
    await ffmpegToFile(poster, (tmp) =>
      posterArgs({ input: src, output: tmp, atSeconds: 1, width: 160 }),
    );
    const pp = await probe(poster);
    expect([pp.video?.width, pp.video?.height]).toEqual([160, 120]);
    const sheet = path.join(dir, "sheet.jpg");
    await ffmpegToFile(sheet, (tmp) =>
      spritesheetArgs({
        input: src,
        output: tmp,
        durationSeconds: 2,
        columns: 4,
        rows: 2,
        tileWidth: 80,
      }),
    );
    const sp = await probe(sheet);
    expect([sp.video?.width, sp.video?.height]).toEqual([320, 120]);
  });

  it("stitches clips with a cut and a dissolve into one MP4 with continuous audio of the summed length", async () => {
    const a = path.join(dir, "clip-a.mp4");
    const b = path.join(dir, "clip-b.mp4");
    await encodeRaw(a, 60, 64, 48);
    await ffmpegToFile(b, (tmp) =>
      testsrcEncodeArgs({ width: 128, height: 96, fps: 30, seconds: 2, output: tmp }),
    );
    const clips = [
      { path: a, durationSeconds: 2 },
      { path: b, durationSeconds: 2, transition: { kind: "cut" as const, durationSeconds: 0 } },
      {
        path: a,
        durationSeconds: 2,
        transition: { kind: "dissolve" as const, durationSeconds: 0.5 },
      },
    ];
    const out = path.join(dir, "stitched.mp4");
    await ffmpegToFile(out, (tmp) =>
      stitchArgs({ clips, width: 64, height: 48, fps: 30, output: tmp }),
    );
    const p = await probe(out);
    const expected = stitchedDuration(clips);
    expect(expected).toBe(5.5);
    expect([p.video?.width, p.video?.height]).toEqual([64, 48]);
    expect(Math.abs(p.video!.durationSeconds - expected)).toBeLessThanOrEqual(1 / 30);
    expect(Math.abs(p.audio!.durationSeconds - expected)).toBeLessThanOrEqual(1 / 30);
    expect(p.faststart).toBe(true);
  });

  it("ffprobe refuses a file that is not media, and the faststart check spots moov-after-mdat", async () => {
    const junk = path.join(dir, "junk.mp4");
    await writeFile(junk, "this is not a video");
    await expect(probe(junk)).rejects.toBeInstanceOf(FfmpegError);
    const slow = path.join(dir, "slow.mp4");
    await runFfmpeg([
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=64x48:rate=30:duration=1",
      "-c:v",
      "libx264",
      "-pix_fmt",
      "yuv420p",
      slow,
    ]);
    expect(await moovBeforeMdat(slow)).toBe(false);
    expect((await probe(slow)).faststart).toBe(false);
  });

  it("parses progress from -progress lines and from the stats line", () => {
    expect(parseProgressSeconds("out_time_us=1500000")).toBe(1.5);
    expect(parseProgressSeconds("out_time_ms=2000000")).toBe(2);
    expect(
      parseProgressSeconds("frame=  10 fps=0.0 q=0.0 size=0kB time=00:01:02.50 bitrate="),
    ).toBe(62.5);
    expect(parseProgressSeconds("time=-00:00:00.03")).toBe(0);
    expect(parseProgressSeconds("progress=continue")).toBeUndefined();
  });
});
