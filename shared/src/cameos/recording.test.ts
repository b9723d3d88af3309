import { describe, expect, it } from "vitest";
import type { ProbeResult } from "../media/ffprobe.server.ts";
import {
  checkDuration,
  checkProbe,
  decodeCheckArgs,
  safeInputArgs,
  sniffContainer,
} from "./recording.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("sniffContainer: the container by its first bytes", () => {
  it("knows WebM by EBML and MP4 by ftyp", () => {
    expect(sniffContainer(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4]))).toBe("webm");
    expect(sniffContainer(new Uint8Array([0, 0, 0, 0x20, ...bytes("ftypisom")]))).toBe("mp4");
  });
  it("calls playlists playlists and anything else not a video", () => {
    for (const p of [
      "#EXTM3U\n",
      "  #EXTM3U",
      "[playlist]\nFile1=x",
      "<?xml version='1.0'?><MPD>",
      "ffconcat version 1.0",
    ])
      expect(sniffContainer(bytes(p))).toMatchObject({ code: "recording_playlist" });
    expect(sniffContainer(bytes("GIF89a..."))).toMatchObject({ code: "recording_not_video" });
    expect(sniffContainer(new Uint8Array())).toMatchObject({ code: "recording_not_video" });
  });
});

describe("ffmpeg arguments for uploads", () => {
  it("allow only the file protocol and our demuxers, with the sniffed demuxer forced", () => {
    expect(safeInputArgs("webm")).toEqual([
      "-protocol_whitelist",
      "file",
      "-format_whitelist",
      "matroska,webm,mov,mp4,m4a,3gp,3g2,mj2",
      "-f",
      "matroska",
    ]);
    expect(safeInputArgs("mp4").slice(-2)).toEqual(["-f", "mov"]);
  });
  it("decode every stream to null, stopping at the first error, with the allow-lists before -i", () => {
    const a = decodeCheckArgs({ input: "/d/r.webm", container: "webm" });
    expect(a.indexOf("-protocol_whitelist")).toBeLessThan(a.indexOf("-i"));
    expect(a).toContain("-xerror");
    expect(a.slice(-3)).toEqual(["-f", "null", "-"]);
    expect(a[a.indexOf("-i") + 1]).toBe("/d/r.webm");
  });
});

const probe = (
  o: Partial<ProbeResult> & { w?: number; h?: number; vcodec?: string; acodec?: string | null },
): ProbeResult => {
  const video = {
    index: 0,
    type: "video" as const,
    codec: o.vcodec ?? "vp8",
    width: o.w ?? 640,
    height: o.h ?? 480,
    fps: 30,
    durationSeconds: 5,
  };
  const audio =
    o.acodec === null
      ? undefined
      : { index: 1, type: "audio" as const, codec: o.acodec ?? "opus", durationSeconds: 5 };
  return {
    formatName: o.formatName ?? "matroska,webm",
    durationSeconds: o.durationSeconds ?? 5,
    sizeBytes: 1000,
    streams: audio ? [video, audio] : [video],
    video,
    audio,
    faststart: false,
  };
};

describe("checkProbe", () => {
  it("passes a normal recording", () => {
    expect(checkProbe(probe({}), "person")).toEqual({ ok: true, width: 640, height: 480 });
  });
  it("refuses other containers and codecs, huge and tiny frames, and no sound for a person", () => {
    expect(checkProbe(probe({ formatName: "hls" }), "person")).toMatchObject({
      code: "recording_container",
    });
    expect(checkProbe(probe({ vcodec: "mjpeg" }), "person")).toMatchObject({
      code: "recording_codec",
    });
    expect(checkProbe(probe({ acodec: "mp3" }), "person")).toMatchObject({
      code: "recording_codec",
    });
    expect(checkProbe(probe({ w: 16384, h: 16384 }), "person")).toMatchObject({
      code: "recording_too_large",
    });
    expect(checkProbe(probe({ w: 1920, h: 1920 }), "person")).toMatchObject({
      code: "recording_too_large",
    });
    expect(checkProbe(probe({ w: 200, h: 100 }), "person")).toMatchObject({
      code: "recording_too_small",
    });
    expect(checkProbe(probe({ acodec: null }), "person")).toMatchObject({
      code: "recording_no_audio",
    });
    expect(checkProbe(probe({ acodec: null }), "object")).toMatchObject({ ok: true });
  });
  it("judges the duration the container states, or leaves it to the decode when it states none", () => {
    expect(checkProbe(probe({ durationSeconds: 60 }), "person")).toMatchObject({
      code: "recording_too_long",
    });
    expect(checkProbe(probe({ durationSeconds: 0 }), "person")).toMatchObject({ ok: true });
    expect(checkDuration(11, "pet")).toMatchObject({ code: "recording_too_long" });
    expect(checkDuration(2, "pet")).toMatchObject({ code: "recording_too_short" });
    expect(checkDuration(5, "person")).toEqual({ ok: true });
  });
});
