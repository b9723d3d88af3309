import { describe, expect, it } from "vitest";
import { renditionArgs, renditionSize, watermarkArgs } from "./publish-args.ts";

describe("publish ffmpeg arguments", () => {
  it("rendition: scales down to at most maxWidth with even height, keeps audio if present, faststart MP4", () => {
    const a = renditionArgs({ input: "in.mp4", output: "out.mp4", maxWidth: 720 });
    expect(a[a.indexOf("-vf") + 1]).toBe("scale='min(720,iw)':-2:flags=lanczos");
    expect(a).toContain("0:a:0?");
    expect(a[a.indexOf("-crf") + 1]).toBe("26");
    expect(a[a.indexOf("-movflags") + 1]).toBe("+faststart");
    expect(a.at(-1)).toBe("out.mp4");
    expect(a.slice(0, 5)).toEqual(["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]);
  });

  it("watermark: overlays the PNG bottom-left with the margin, re-encodes as yuv420p H.264 + AAC", () => {
    const a = watermarkArgs({
      input: "in.mp4",
      watermark: "mark.png",
      output: "dl.mp4",
      margin: 24,
    });
    expect(a.filter((x) => x === "-i")).toHaveLength(2);
    expect(a[a.indexOf("-filter_complex") + 1]).toBe(
      "[0:v][1:v]overlay=x=24:y=main_h-overlay_h-24:format=auto,format=yuv420p[v]",
    );
    expect(a[a.indexOf("-c:v") + 1]).toBe("libx264");
    expect(a[a.indexOf("-c:a") + 1]).toBe("aac");
    expect(a.at(-1)).toBe("dl.mp4");
  });

  it("rendition with the visible watermark: scaled, the PNG overlaid bottom-left, then the invisible mark blended", () => {
    const mark = { pattern: "m.yuv", width: 720, height: 1280 };
    const r = renditionArgs({
      input: "in.mp4",
      output: "out.mp4",
      maxWidth: 720,
      mark,
      watermark: { png: "w.png", margin: 24 },
    });
    expect(r.filter((x) => x === "-i")).toHaveLength(3);
    expect(r[r.indexOf("w.png") - 1]).toBe("-i");
    expect(r[r.indexOf("-filter_complex") + 1]).toBe(
      "[0:v]scale=720:1280:flags=lanczos,format=yuv420p[s0];" +
        "[s0][2:v]overlay=x=24:y=main_h-overlay_h-24:format=auto,format=yuv420p[s];" +
        "[s][1:v]blend=all_mode=grainmerge:shortest=1,format=yuv420p[v]",
    );
    expect(r.slice(r.indexOf("-map"), r.indexOf("-map") + 4)).toEqual([
      "-map",
      "[v]",
      "-map",
      "0:a:0?",
    ]);
  });

  it("never builds a shell string: every argument is its own array element", () => {
    const a = watermarkArgs({
      input: "a b; rm -rf /.mp4",
      watermark: "m.png",
      output: "o.mp4",
      margin: 1,
    });
    expect(a).toContain("a b; rm -rf /.mp4");
  });

  it("with the invisible mark: the looped raw pattern is blended in the same encode, at its exact size", () => {
    const mark = { pattern: "m.yuv", width: 720, height: 1280 };
    const r = renditionArgs({ input: "in.mp4", output: "out.mp4", maxWidth: 720, mark });
    expect(r.filter((x) => x === "-i")).toHaveLength(2);
    const i = r.indexOf("m.yuv");
    expect(r.slice(i - 11, i + 1)).toEqual([
      ...["-stream_loop", "-1", "-f", "rawvideo", "-pix_fmt", "yuv420p"],
      ...["-video_size", "720x1280", "-framerate", "1", "-i", "m.yuv"],
    ]);
    expect(r[r.indexOf("-filter_complex") + 1]).toBe(
      "[0:v]scale=720:1280:flags=lanczos,format=yuv420p[s];[s][1:v]blend=all_mode=grainmerge:shortest=1,format=yuv420p[v]",
    );
    expect(r).not.toContain("-vf");
    const w = watermarkArgs({
      input: "in.mp4",
      watermark: "w.png",
      output: "d.mp4",
      margin: 9,
      mark,
    });
    expect(w[w.indexOf("-filter_complex") + 1]).toBe(
      "[0:v][1:v]overlay=x=9:y=main_h-overlay_h-9:format=auto,format=yuv420p[o];[o][2:v]blend=all_mode=grainmerge:shortest=1,format=yuv420p[v]",
    );
  });

  it("renditionSize: at most maxWidth, even sides, the source's aspect", () => {
    expect(renditionSize(720, 1280, 720)).toEqual({ width: 720, height: 1280 });
    expect(renditionSize(1280, 720, 720)).toEqual({ width: 720, height: 406 });
    expect(renditionSize(1024, 1792, 720)).toEqual({ width: 720, height: 1260 });
    expect(renditionSize(480, 270, 720)).toEqual({ width: 480, height: 270 });
  });
});
