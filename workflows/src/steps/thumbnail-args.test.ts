import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ffmpegToFile, runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { thumbnailsArgs } from "./thumbnail-args.ts";

const base = {
  input: "in.mp4",
  posterOutput: "p.jpg",
  spriteOutput: "s.jpg",
  durationSeconds: 4,
  posterAt: 4 / 3,
  posterWidth: 720,
  columns: 5,
  rows: 4,
  tileWidth: 160,
};

describe("thumbnailsArgs", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "thumbs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds one decode split into a poster and a 5x4 sprite sampled over the duration", () => {
    const args = thumbnailsArgs(base);
    expect(
      args.slice(args.indexOf("-filter_complex"), args.indexOf("-filter_complex") + 2),
    ).toEqual([
      "-filter_complex",
      "[0:v:0]split=2[p][s];[p]trim=start=1.333333,setpts=PTS-STARTPTS,scale=720:-2:flags=lanczos[poster];[s]fps=5,scale=160:-2:flags=bilinear,tile=5x4[sprite]",
    ]);
    expect(args.filter((a) => a === "-map")).toHaveLength(2);
    expect(args.at(-1)).toBe("s.jpg");
    expect(args).toContain("p.jpg");
    expect(args).toContain("-an");
  });

  it("clamps the poster time into the video and refuses a zero duration", () => {
    expect(thumbnailsArgs({ ...base, posterAt: 99 }).join(" ")).toContain("trim=start=4,");
    expect(() => thumbnailsArgs({ ...base, durationSeconds: 0 })).toThrow(/positive/);
  });

  it("produces a real poster and spritesheet of the right sizes with ffmpeg", async () => {
    const video = path.join(dir, "v.mp4");
    await ffmpegToFile(video, (tmp) =>
      testsrcEncodeArgs({ width: 720, height: 1280, fps: 30, seconds: 2, output: tmp }),
    );
    const poster = path.join(dir, "p.jpg");
    const sprite = path.join(dir, "s.jpg");
    await runFfmpeg(
      thumbnailsArgs({
        ...base,
        input: video,
        posterOutput: poster,
        spriteOutput: sprite,
        durationSeconds: 2,
      }),
    );
    expect(await sharp(poster).metadata()).toMatchObject({
      format: "jpeg",
      width: 720,
      height: 1280,
    });
    expect(await sharp(sprite).metadata()).toMatchObject({
      format: "jpeg",
      width: 800,
      height: 284 * 4,
    });
  });
});
