import { describe, expect, it } from "vitest";
import { minimumAcceptedSeconds, normalizeClipArgs } from "./normalize.ts";

describe("normalizeClipArgs", () => {
  const base = {
    input: "in.webm",
    output: "out.mp4",
    width: 1280,
    height: 720,
    durationSeconds: 4,
  };

  it("covers the frame, holds the last frame, and adds silence when the model made none", () => {
    const args = normalizeClipArgs({ ...base, hasAudio: false });
    expect(args.slice(args.indexOf("-i"), args.indexOf("-i") + 2)).toEqual(["-i", "in.webm"]);
    expect(args).toContain("anullsrc=r=48000:cl=stereo");
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    expect(graph).toContain("scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720");
    expect(graph).toContain("fps=30");
    expect(graph).toContain("tpad=stop_mode=clone:stop_duration=4");
    expect(graph).toContain("[1:a:0]anull[a]");
    expect(args.slice(args.indexOf("-t"), args.indexOf("-t") + 2)).toEqual(["-t", "4"]);
    expect(args).toEqual(expect.arrayContaining(["libx264", "yuv420p", "aac", "+faststart"]));
    expect(args.at(-1)).toBe("out.mp4");
  });

  it("keeps the model's own sound, resampled and padded", () => {
    const args = normalizeClipArgs({ ...base, hasAudio: true });
    expect(args).not.toContain("lavfi");
    expect(args[args.indexOf("-filter_complex") + 1]).toContain(
      "[0:a:0]aresample=48000,aformat=channel_layouts=stereo,apad[a]",
    );
  });

  it("accepts a clip a little short (Wan's 81 frames at 16 fps) but not a partial one", () => {
    expect(minimumAcceptedSeconds(5)).toBe(3.75);
    expect(minimumAcceptedSeconds(4)).toBe(3);
  });
});
