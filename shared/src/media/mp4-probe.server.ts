import { open } from "node:fs/promises";
import { type ProbeResult, probe } from "./ffprobe.server.ts";
import { parseMoov } from "./mp4-probe.ts";

/** ffprobe's name for the demuxer that reads MP4/MOV, which `formatName` reports. */
export const MP4_FORMAT_NAME = "mov,mp4,m4a,3gp,3g2,mj2";
const MAX_MOOV_BYTES = 32 * 1024 * 1024;

/**
 * An MP4 probed in-process (./mp4-probe.ts): walks the top-level box headers, reads the `moov`
 * box and nothing else. Undefined when the file does not start with `ftyp`, has no (or a huge, or
 * a fragmented) `moov`, or anything in it is not understood.
 */
export async function probeMp4(file: string): Promise<ProbeResult | undefined> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    const header = Buffer.alloc(16);
    let pos = 0;
    let sawMdat = false;
    let first = true;
    while (pos + 8 <= size) {
      const { bytesRead } = await fh.read(header, 0, 16, pos);
      if (bytesRead < 8) return undefined;
      let boxSize = header.readUInt32BE(0);
      const type = header.toString("latin1", 4, 8);
      let headerSize = 8;
      if (first && type !== "ftyp") return undefined;
      first = false;
      if (boxSize === 1) {
        if (bytesRead < 16) return undefined;
        boxSize = Number(header.readBigUInt64BE(8));
        headerSize = 16;
      } else if (boxSize === 0) {
        boxSize = size - pos;
      }
      if (boxSize < headerSize || pos + boxSize > size) return undefined;
      if (type === "moov") {
        if (boxSize > MAX_MOOV_BYTES) return undefined;
        const moov = Buffer.alloc(boxSize - headerSize);
        const read = await fh.read(moov, 0, moov.length, pos + headerSize);
        if (read.bytesRead !== moov.length) return undefined;
        const info = parseMoov(moov);
        if (!info) return undefined;
        return {
          formatName: MP4_FORMAT_NAME,
          durationSeconds: info.durationSeconds,
          sizeBytes: size,
          streams: info.streams,
          video: info.streams.find((s) => s.type === "video"),
          audio: info.streams.find((s) => s.type === "audio"),
          faststart: !sawMdat,
        };
      }
      if (type === "mdat") sawMdat = true;
      pos += boxSize;
    }
    return undefined;
  } finally {
    await fh.close();
  }
}

/** `probeMp4` where it can, else ffprobe (which also reads every other container). */
export async function probeVideo(
  file: string,
  opts: { signal?: AbortSignal } = {},
): Promise<ProbeResult> {
  const fast = await probeMp4(file).catch(() => undefined);
  return fast ?? probe(file, opts);
}
