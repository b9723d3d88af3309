import { describe, expect, it } from "vitest";
import {
  encodeRawVideoArgs,
  extractFramesArgs,
  fmt,
  mp4OutputArgs,
  posterArgs,
  spritesheetArgs,
  stitchArgs,
  stitchedDuration,
  testsrcEncodeArgs,
} from "./ffmpeg-args.ts";

function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe("ffmpeg argument builders", () => {
  it("product MP4 flags are H.264 yuv420p + AAC, faststart, bit-exact, fixed thread count", () => {
    const a = mp4OutputArgs();
    expect(after(a, "-c:v")).toBe("libx264");
    expect(after(a, "-pix_fmt")).toBe("yuv420p");
    expect(after(a, "-c:a")).toBe("aac");
    expect(after(a, "-movflags")).toBe("+faststart");
    expect(after(a, "-fflags")).toBe("+bitexact");
    expect(after(a, "-map_metadata")).toBe("-1");
    expect(Number(after(a, "-threads"))).toBeGreaterThan(0);
    expect(a.at(-1)).toBe("mp4");
  });

  it("raw encode reads RGBA frames from stdin, pins the frame count and trims audio to the video", () => {
    const a = encodeRawVideoArgs({
      width: 720,
      height: 1280,
      fps: 30,
      frames: 300,
      audioPath: "/x/a.wav",
      output: "/x/out.mp4",
    });
    expect(after(a, "-pix_fmt")).toBe("rgba");
    expect(after(a, "-s")).toBe("720x1280");
    expect(after(a, "-i")).toBe("pipe:0");
    expect(a).toContain("/x/a.wav");
    expect(a).not.toContain("-frames:v");
    expect(after(a, "-t")).toBe("10");
    expect(after(a, "-af")).toContain("atrim=end=10");
    expect(a.at(-1)).toBe("/x/out.mp4");
    // never a shell string: every element is one argument
    expect(a.every((x) => typeof x === "string")).toBe(true);
  });

  it("raw encode scales small frames to the output size when asked, and only then", () => {
    const base = { width: 360, height: 640, fps: 30, frames: 30, output: "o.mp4" };
    expect(
      after(encodeRawVideoArgs({ ...base, outputWidth: 720, outputHeight: 1280 }), "-vf"),
    ).toBe("scale=720:1280:flags=bilinear");
    expect(encodeRawVideoArgs({ ...base, outputWidth: 360, outputHeight: 640 })).not.toContain(
      "-vf",
    );
    expect(encodeRawVideoArgs(base)).not.toContain("-vf");
  });

  it("raw encode without audio adds a silent track of the same length", () => {
    const a = encodeRawVideoArgs({ width: 16, height: 16, fps: 30, frames: 45, output: "o.mp4" });
    expect(a.join(" ")).toContain("anullsrc");
    expect(after(a, "-t")).toBe("1.5");
  });

  it("testsrc2 baseline uses the same encoder settings as the product", () => {
    const a = testsrcEncodeArgs({
      width: 720,
      height: 1280,
      fps: 30,
      seconds: 10,
      output: "t.mp4",
    });
    expect(a.join(" ")).toContain("testsrc2=size=720x1280:rate=30:duration=10");
    const tail = mp4OutputArgs();
    expect(a.slice(-1 - tail.length, -1)).toEqual(tail);
  });

  it("poster picks the codec from the extension and refuses unknown ones", () => {
    expect(after(posterArgs({ input: "i.mp4", output: "p.jpg", atSeconds: 1.5 }), "-c:v")).toBe(
      "mjpeg",
    );
    expect(after(posterArgs({ input: "i.mp4", output: "p.webp", atSeconds: 0 }), "-c:v")).toBe(
      "libwebp",
    );
    expect(
      after(posterArgs({ input: "i.mp4", output: "p.png", atSeconds: 0, width: 360 }), "-vf"),
    ).toBe("scale=360:-2:flags=lanczos");
    expect(() => posterArgs({ input: "i.mp4", output: "p.gif", atSeconds: 0 })).toThrow(
      /Unsupported image/,
    );
  });

  it("spritesheet samples columns×rows frames evenly over the duration", () => {
    const a = spritesheetArgs({
      input: "i.mp4",
      output: "s.jpg",
      durationSeconds: 10,
      columns: 5,
      rows: 2,
      tileWidth: 160,
    });
    expect(after(a, "-vf")).toBe("fps=1,scale=160:-2:flags=bilinear,tile=5x2");
  });

  it("stitching uses concat for cuts and xfade/acrossfade at the right offsets for transitions", () => {
    const clips = [
      { path: "a.mp4", durationSeconds: 4 },
      {
        path: "b.mp4",
        durationSeconds: 5,
        transition: { kind: "cut" as const, durationSeconds: 0 },
      },
      {
        path: "c.mp4",
        durationSeconds: 6,
        transition: { kind: "dissolve" as const, durationSeconds: 1 },
      },
    ];
    const a = stitchArgs({ clips, width: 720, height: 1280, fps: 30, output: "s.mp4" });
    const graph = after(a, "-filter_complex")!;
    expect(graph).toContain("[v0][a0][v1][a1]concat=n=2:v=1:a=1[vx1][ax1]");
    // b ends at 9 s; a 1 s dissolve starts at 8 s
    expect(graph).toContain("[vx1][v2]xfade=transition=dissolve:duration=1:offset=8[vx2]");
    expect(graph).toContain("[ax1][a2]acrossfade=d=1");
    expect(stitchedDuration(clips)).toBe(14);
    expect(after(a, "-t")).toBe("14");
    expect(a.filter((x) => x === "-i")).toHaveLength(3);
  });

  it("a transition never overlaps more than half of either clip", () => {
    const clips = [
      { path: "a.mp4", durationSeconds: 1 },
      {
        path: "b.mp4",
        durationSeconds: 4,
        transition: { kind: "fade" as const, durationSeconds: 3 },
      },
    ];
    expect(stitchedDuration(clips)).toBe(4.5);
  });

  it("stitching nothing is refused", () => {
    expect(() => stitchArgs({ clips: [], width: 1, height: 1, fps: 30, output: "o.mp4" })).toThrow(
      /no clips/,
    );
  });

  it("frame extraction selects frame numbers with escaped commas", () => {
    const a = extractFramesArgs({ input: "i.mp4", outputPattern: "f%03d.png", frames: [3, 10] });
    expect(after(a, "-vf")).toBe("select=eq(n\\,3)+eq(n\\,10)");
  });

  it("times are printed as plain decimals and non-finite ones are refused", () => {
    expect(fmt(1 / 3)).toBe("0.333333");
    expect(fmt(1e-7)).toBe("0");
    expect(() => fmt(Number.NaN)).toThrow();
  });
});
