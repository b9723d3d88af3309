import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ProvidedThumbnails } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { jpegSize } from "@reelhouse/shared/media/images.server";
import { posterSize, spriteInfo, spriteSheetSize } from "@reelhouse/shared/media/thumbnails";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDataDir } from "../testing/harness.ts";
import { jobDirs } from "./context.ts";
import { thumbnailsStep } from "./media.ts";

/**
 * The thumbnails step: a backend's own poster and spritesheet are moved into place when they are
 * what the ffmpeg pass would have made; anything else falls back to the ffmpeg pass. Real ffmpeg,
 * no database (the step touches only files).
 */

const expected = { durationSeconds: 2, width: 320, height: 180 };
const layout = spriteInfo(expected.width, expected.height, expected.durationSeconds);
const posterPx = posterSize(expected.width, expected.height);
const spritePx = spriteSheetSize(layout);

let dir: string;
let video: string;
let n = 0;

beforeAll(async () => {
  dir = tempDataDir("thumbs");
  process.env.DATA_DIR = dir;
  video = path.join(dir, "source.mp4");
  await ffmpegToFile(video, (tmp) =>
    testsrcEncodeArgs({ ...expected, fps: 30, seconds: expected.durationSeconds, output: tmp }),
  );
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function jpeg(file: string, size: { width: number; height: number }, shade: number) {
  mkdirSync(path.dirname(file), { recursive: true });
  await sharp({
    create: { ...size, channels: 3, background: { r: shade, g: 40, b: 200 - shade } },
  })
    .jpeg({ quality: 80 })
    .toFile(file);
}

/** A fresh workflow whose backend left a poster and a sprite of these sizes in its work dir. */
async function job(o: { poster?: typeof posterPx; sprite?: typeof spritePx } = {}) {
  const workflowId = `gen:test:thumbs-${++n}`;
  const { outDir, workDir } = jobDirs(workflowId);
  const provided: ProvidedThumbnails = {
    posterPath: path.join(workDir, "render", "previz-poster.jpg"),
    spritePath: path.join(workDir, "render", "previz-sprite.jpg"),
    columns: layout.columns,
    rows: layout.rows,
    tileWidth: layout.tileWidth,
    tileHeight: layout.tileHeight,
  };
  await jpeg(provided.posterPath, o.poster ?? posterPx, 10);
  await jpeg(provided.spritePath, o.sprite ?? spritePx, 90);
  const bytes = {
    poster: readFileSync(provided.posterPath),
    sprite: readFileSync(provided.spritePath),
  };
  return { workflowId, outDir, workDir, provided, bytes };
}

const read = (f: string) => readFileSync(f);

describe("thumbnails step", () => {
  it("moves a backend's poster and sprite into place without decoding the video", async () => {
    const j = await job();
    // No video at all: only the adopt path can succeed (the ffmpeg pass would fail on it).
    const missingVideo = path.join(dir, "no-such-video.mp4");
    const out = await thumbnailsStep(j.workflowId, missingVideo, expected, j.provided);
    expect(out).toEqual({
      posterPath: path.join(j.outDir, "poster.jpg"),
      spritePath: path.join(j.outDir, "sprite.jpg"),
    });
    expect(read(out.posterPath).equals(j.bytes.poster)).toBe(true);
    expect(read(out.spritePath).equals(j.bytes.sprite)).toBe(true);
    // Moved, not copied: one set of files; nothing else in outDir.
    expect(existsSync(j.provided.posterPath)).toBe(false);
    expect(existsSync(j.provided.spritePath)).toBe(false);
    expect(readdirSync(j.outDir).sort()).toEqual(["poster.jpg", "sprite.jpg"]);
    // Re-running the step (a crash before DBOS checkpointed it) changes nothing.
    await thumbnailsStep(j.workflowId, missingVideo, expected, j.provided);
    expect(read(out.posterPath).equals(j.bytes.poster)).toBe(true);
    expect(read(out.spritePath).equals(j.bytes.sprite)).toBe(true);
  });

  it("after a crash between the two renames, a re-run moves the other file and keeps the first", async () => {
    const j = await job();
    mkdirSync(j.outDir, { recursive: true });
    const { rename } = await import("node:fs/promises");
    await rename(j.provided.posterPath, path.join(j.outDir, "poster.jpg"));
    const out = await thumbnailsStep(
      j.workflowId,
      path.join(dir, "gone.mp4"),
      expected,
      j.provided,
    );
    expect(read(out.posterPath).equals(j.bytes.poster)).toBe(true);
    expect(read(out.spritePath).equals(j.bytes.sprite)).toBe(true);
    expect(readdirSync(j.outDir).sort()).toEqual(["poster.jpg", "sprite.jpg"]);
  });

  /** What is wrong with the handed-over files, and how to make them so. */
  const invalid: [string, (p: ProvidedThumbnails) => unknown, Parameters<typeof job>[0]?][] = [
    ["a poster of the wrong size", () => {}, { poster: { width: 320, height: 320 } }],
    ["a sprite of the wrong size", () => {}, { sprite: { width: 640, height: 360 } }],
    ["another layout", (p) => Object.assign(p, { columns: 4, rows: 5 })],
    [
      "a sprite cut short (half-written)",
      (p) => writeFileSync(p.spritePath, read(p.spritePath).subarray(0, 600)),
    ],
    ["a file that is not a JPEG", (p) => writeFileSync(p.posterPath, "not a jpeg")],
    ["a missing file", (p) => rmSync(p.spritePath)],
    [
      "a file outside the job's work dir",
      (p) => {
        p.posterPath = path.join(dir, "elsewhere.jpg");
        return jpeg(p.posterPath, posterPx, 10);
      },
    ],
  ];
  for (const [what, spoil, sizes] of invalid) {
    it(`falls back to the ffmpeg pass when the backend hands over ${what}`, async () => {
      const j = await job(sizes);
      await spoil(j.provided);
      const out = await thumbnailsStep(j.workflowId, video, expected, j.provided);
      // The ffmpeg pass's files (testsrc2 frames, not the provided solid colours), right sizes.
      expect(await jpegSize(out.posterPath)).toEqual(posterPx);
      expect(await jpegSize(out.spritePath)).toEqual(spritePx);
      expect(read(out.posterPath).equals(j.bytes.poster)).toBe(false);
      expect(read(out.spritePath).equals(j.bytes.sprite)).toBe(false);
      expect(readdirSync(j.outDir).sort()).toEqual(["poster.jpg", "sprite.jpg"]);
      expect(readdirSync(path.join(j.workDir, "thumbnails"))).toEqual([]);
    }, 60_000);
  }

  it("runs the ffmpeg pass for a backend that hands over nothing (openai-videos, test-pattern)", async () => {
    const workflowId = `gen:test:thumbs-${++n}`;
    const out = await thumbnailsStep(workflowId, video, expected);
    expect(await jpegSize(out.posterPath)).toEqual(posterPx);
    expect(await jpegSize(out.spritePath)).toEqual(spritePx);
  }, 60_000);
});
