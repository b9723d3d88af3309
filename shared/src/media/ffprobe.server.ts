import { spawn } from "node:child_process";
import { open } from "node:fs/promises";
import { z } from "zod";
import { FfmpegError } from "./ffmpeg.server.ts";
import { ffprobePath } from "./ffmpeg-path.server.ts";

/** What ffprobe tells us about a media file, typed and with durations as numbers of seconds. */
export interface ProbeStream {
  index: number;
  type: "video" | "audio" | "other";
  codec: string;
  /** Video only. */
  width?: number;
  height?: number;
  pixFmt?: string;
  /** Frames per second from r_frame_rate (video only). */
  fps?: number;
  /** Number of frames/packets when ffprobe knows it. */
  frames?: number;
  /** Audio only. */
  sampleRate?: number;
  channels?: number;
  durationSeconds: number;
}

export interface ProbeResult {
  formatName: string;
  durationSeconds: number;
  sizeBytes: number;
  streams: ProbeStream[];
  video?: ProbeStream;
  audio?: ProbeStream;
  /** MP4/MOV only: the moov atom comes before mdat, so playback starts before the whole file loads. */
  faststart: boolean;
}

// ffprobe's JSON: only the fields we read, as it prints them (numbers often as strings).
const num = z.union([z.string(), z.number()]).optional();
const ffprobeJson = z.object({
  streams: z
    .array(
      z.object({
        index: z.number(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        pix_fmt: z.string().optional(),
        r_frame_rate: z.string().optional(),
        nb_frames: num,
        sample_rate: num,
        channels: z.number().optional(),
        duration: num,
      }),
    )
    .default([]),
  format: z.object({
    format_name: z.string(),
    duration: num,
    size: num,
  }),
});

function toNum(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function rate(r: string | undefined): number | undefined {
  if (!r) return undefined;
  const [a, b] = r.split("/").map(Number);
  if (!a || !b) return undefined;
  return a / b;
}

/** Probe a media file. Throws FfmpegError("failed") when the file is missing or not media. */
export async function probe(
  file: string,
  opts: {
    signal?: AbortSignal;
    /** Input options placed before the file, e.g. protocol and demuxer allow-lists. */
    inputArgs?: readonly string[];
  } = {},
): Promise<ProbeResult> {
  const args = [
    "-v",
    "error",
    "-print_format",
    "json",
    "-show_format",
    "-show_streams",
    ...(opts.inputArgs ?? []),
    file,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(ffprobePath(), args, {
      stdio: ["ignore", "pipe", "pipe"],
      signal: opts.signal,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.once("error", (err) =>
      reject(
        opts.signal?.aborted
          ? new FfmpegError("aborted", "ffprobe was cancelled")
          : new FfmpegError("spawn_failed", `Could not start ffprobe: ${err.message}`),
      ),
    );
    child.once("close", (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new FfmpegError(
            "failed",
            `ffprobe could not read ${file}: ${stderr.trim() || `exit ${code}`}`,
            stderr,
            code,
          ),
        );
    });
  });
  const parsed = ffprobeJson.parse(JSON.parse(out));
  const streams: ProbeStream[] = parsed.streams.map((s) => {
    const type = s.codec_type === "video" ? "video" : s.codec_type === "audio" ? "audio" : "other";
    return {
      index: s.index,
      type,
      codec: s.codec_name ?? "unknown",
      width: s.width,
      height: s.height,
      pixFmt: s.pix_fmt,
      fps: type === "video" ? rate(s.r_frame_rate) : undefined,
      frames: toNum(s.nb_frames),
      sampleRate: toNum(s.sample_rate),
      channels: s.channels,
      durationSeconds: toNum(s.duration) ?? toNum(parsed.format.duration) ?? 0,
    };
  });
  const formatName = parsed.format.format_name;
  return {
    formatName,
    durationSeconds: toNum(parsed.format.duration) ?? 0,
    sizeBytes: toNum(parsed.format.size) ?? 0,
    streams,
    video: streams.find((s) => s.type === "video"),
    audio: streams.find((s) => s.type === "audio"),
    faststart:
      formatName.includes("mp4") || formatName.includes("mov") ? await moovBeforeMdat(file) : false,
  };
}

/**
 * Walks the top-level ISO-BMFF boxes: true when `moov` appears before `mdat` (a faststart file).
 * Reads only the 8–16 byte box headers.
 */
export async function moovBeforeMdat(file: string): Promise<boolean> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    const header = Buffer.alloc(16);
    let pos = 0;
    while (pos + 8 <= size) {
      const { bytesRead } = await fh.read(header, 0, 16, pos);
      if (bytesRead < 8) return false;
      let boxSize = header.readUInt32BE(0);
      const type = header.toString("latin1", 4, 8);
      if (type === "moov") return true;
      if (type === "mdat") return false;
      if (boxSize === 1) {
        if (bytesRead < 16) return false;
        boxSize = Number(header.readBigUInt64BE(8));
      } else if (boxSize === 0) {
        return false; // box runs to end of file
      }
      if (boxSize < 8) return false;
      pos += boxSize;
    }
    return false;
  } finally {
    await fh.close();
  }
}
