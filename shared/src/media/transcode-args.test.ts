import { describe, expect, it } from "vitest";
import type { ProbeResult } from "./ffprobe.server.ts";
import { playbackTranscodeArgs, transcodePlan } from "./transcode-args.ts";

function probeOf(o: {
  vcodec?: string;
  pixFmt?: string;
  w?: number;
  h?: number;
  fps?: number;
  acodec?: string | null;
}): ProbeResult {
  const video = {
    index: 0,
    type: "video" as const,
    codec: o.vcodec ?? "h264",
    width: o.w ?? 1280,
    height: o.h ?? 720,
    pixFmt: o.pixFmt ?? "yuv420p",
    fps: o.fps ?? 30,
    durationSeconds: 4,
  };
  const audio =
    o.acodec === null
      ? undefined
      : { index: 1, type: "audio" as const, codec: o.acodec ?? "aac", durationSeconds: 4 };
  return {
    formatName: "mov,mp4,m4a,3gp,3g2,mj2",
    durationSeconds: 4,
    sizeBytes: 1000,
    streams: audio ? [video, audio] : [video],
    video,
    audio,
    faststart: false,
  };
}

describe("transcodePlan", () => {
  it("copies an MP4 that is already H.264 yuv420p + AAC within 1920 px", () => {
    expect(transcodePlan(probeOf({}), "mp4")).toEqual({ copyVideo: true, audio: "copy", fps: 30 });
  });
  it("re-encodes what a browser or the frame count would trip on", () => {
    expect(transcodePlan(probeOf({ vcodec: "vp9" }), "webm").copyVideo).toBe(false);
    expect(transcodePlan(probeOf({ pixFmt: "yuv444p" }), "mp4").copyVideo).toBe(false);
    expect(transcodePlan(probeOf({ w: 3840, h: 2160 }), "mp4").copyVideo).toBe(false);
    expect(transcodePlan(probeOf({ fps: 29.97 }), "mp4")).toMatchObject({
      copyVideo: false,
      fps: 30,
    });
    expect(transcodePlan(probeOf({ w: 641, h: 480 }), "mp4").copyVideo).toBe(false);
  });
  it("encodes other audio to AAC and adds a silent track when there is none", () => {
    expect(transcodePlan(probeOf({ acodec: "opus" }), "webm").audio).toBe("encode");
    expect(transcodePlan(probeOf({ acodec: null }), "mp4").audio).toBe("silent");
  });
});

describe("playbackTranscodeArgs", () => {
  const base = { input: "/d/in.webm", output: "/d/.out.part.mp4", container: "webm" as const };
  it("keeps the upload allow-lists before the input and writes a faststart MP4 last", () => {
    const a = playbackTranscodeArgs({
      ...base,
      plan: { copyVideo: false, audio: "encode", fps: 25 },
    });
    expect(a.slice(a.indexOf("-protocol_whitelist"), a.indexOf("-protocol_whitelist") + 2)).toEqual(
      ["-protocol_whitelist", "file"],
    );
    expect(a.indexOf("-format_whitelist")).toBeLessThan(a.indexOf("-i"));
    expect(a).toContain("libx264");
    expect(a.join(" ")).toContain("fps=25,format=yuv420p");
    expect(a.join(" ")).toContain("force_original_aspect_ratio=decrease");
    expect(a.at(-1)).toBe(base.output);
    expect(a.slice(-3, -1)).toEqual(["-f", "mp4"]);
    expect(a).toContain("+faststart");
  });
  it("a silent upload gets a generated stereo track, cut to the video's length", () => {
    const a = playbackTranscodeArgs({
      ...base,
      plan: { copyVideo: true, audio: "silent", fps: 30 },
    });
    expect(a).toEqual(expect.arrayContaining(["-f", "lavfi", "-shortest", "1:a:0"]));
    expect(a.slice(a.indexOf("-c:v"), a.indexOf("-c:v") + 2)).toEqual(["-c:v", "copy"]);
    expect(a).not.toContain("libx264");
  });
});
