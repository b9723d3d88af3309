import { describe, expect, it } from "vitest";
import type { ProbeResult } from "./ffprobe.server.ts";
import {
  checkVideoDuration,
  checkVideoProbe,
  sniffVideoContainer,
  type VideoLimits,
} from "./video-check.ts";

const limits: VideoLimits = {
  maxBytes: 1000,
  minSide: 64,
  maxSide: 3840,
  maxPixels: 3840 * 2160,
  minSeconds: 0.5,
  maxSeconds: 600,
  maxFps: 61,
};

function probeOf(o: { w?: number; h?: number; vcodec?: string; fps?: number; format?: string }) {
  const video = {
    index: 0,
    type: "video" as const,
    codec: o.vcodec ?? "h264",
    width: o.w ?? 1920,
    height: o.h ?? 1080,
    fps: o.fps ?? 30,
    durationSeconds: 4,
  };
  return {
    formatName: o.format ?? "mov,mp4,m4a,3gp,3g2,mj2",
    durationSeconds: 4,
    sizeBytes: 1,
    streams: [video],
    video,
    faststart: true,
  } satisfies ProbeResult;
}

describe("the shared video checks, with the caller's prefix and limits", () => {
  it("sniffs by content and names refusals with the caller's prefix", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(sniffVideoContainer(bytes("#EXTM3U\n"), "upload")).toMatchObject({
      code: "upload_playlist",
    });
    expect(sniffVideoContainer(bytes("hello"), "upload")).toMatchObject({
      code: "upload_not_video",
    });
    expect(sniffVideoContainer(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3]), "upload")).toBe("webm");
    expect(sniffVideoContainer(bytes("\0\0\0\x18ftypisom"), "upload")).toBe("mp4");
  });
  it("applies the given limits: 4K passes, wider or a smaller side than allowed does not", () => {
    expect(checkVideoProbe(probeOf({ w: 3840, h: 2160 }), limits, "upload")).toEqual({
      ok: true,
      width: 3840,
      height: 2160,
    });
    expect(checkVideoProbe(probeOf({ w: 3856, h: 64 }), limits, "upload")).toMatchObject({
      code: "upload_too_large",
    });
    expect(checkVideoProbe(probeOf({ w: 48, h: 64 }), limits, "upload")).toMatchObject({
      code: "upload_too_small",
    });
    expect(checkVideoProbe(probeOf({ fps: 120 }), limits, "upload")).toMatchObject({
      code: "upload_fps",
    });
    expect(checkVideoProbe(probeOf({ vcodec: "mpeg4" }), limits, "upload")).toMatchObject({
      code: "upload_codec",
    });
    expect(checkVideoProbe(probeOf({ format: "hls" }), limits, "upload")).toMatchObject({
      code: "upload_container",
    });
  });
  it("refuses too long and too short, in words", () => {
    expect(checkVideoDuration(601, limits, "upload")).toMatchObject({
      code: "upload_too_long",
      reason: expect.stringContaining("at most 600 s"),
    });
    expect(checkVideoDuration(0.1, limits, "upload")).toMatchObject({ code: "upload_too_short" });
    expect(checkVideoDuration(30, limits, "upload")).toEqual({ ok: true });
  });
});
