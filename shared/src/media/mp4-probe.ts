import type { ProbeStream } from "./ffprobe.server.ts";

/**
 * What ffprobe says about an MP4's streams, read from its `moov` box in-process (pure: a buffer
 * holding the box in, streams out). The generation pipeline probes every video it made to refuse
 * an unusable one (H.264 + audio + a duration); spawning Debian's ffprobe for that costs 100-250 ms
 * of process start (it links ~200 shared libraries), reading the box ~1 ms. The facts are the ones
 * ffprobe reports for such a file (mp4-probe.server.test.ts compares the two on real encodes):
 * codec (from the sample entry), size (the visual sample entry), frame rate (the commonest sample
 * delta), frame count (the sample count), duration (the edit list's, else the media header's),
 * sample rate and channels (the audio sample entry), and the H.264 pixel format from the sequence
 * parameter set (chroma format and bit depth; a full-range stream, ffprobe's yuvj420p, reads as
 * yuv420p). Returns undefined for anything it does not understand, and callers fall back to ffprobe.
 */

interface Box {
  type: string;
  /** Offset of the payload (after the header) and its end, in the buffer. */
  start: number;
  end: number;
}

/** The child boxes in buf[start, end). Undefined if a box header runs past the end. */
export function boxes(buf: Buffer, start: number, end: number): Box[] | undefined {
  const out: Box[] = [];
  let pos = start;
  while (pos + 8 <= end) {
    let size = buf.readUInt32BE(pos);
    const type = buf.toString("latin1", pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > end) return undefined;
      size = Number(buf.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) {
      size = end - pos;
    }
    if (size < header || pos + size > end) return undefined;
    out.push({ type, start: pos + header, end: pos + size });
    pos += size;
  }
  return out;
}

const child = (buf: Buffer, b: Box | undefined, type: string, skip = 0) =>
  b ? boxes(buf, b.start + skip, b.end)?.find((x) => x.type === type) : undefined;

/** A full box's fields after version+flags: 32- or 64-bit times depending on the version. */
function times(buf: Buffer, b: Box): { timescale: number; duration: number } | undefined {
  const v = buf[b.start];
  if (v === 1 && b.start + 32 <= b.end)
    return {
      timescale: buf.readUInt32BE(b.start + 20),
      duration: Number(buf.readBigUInt64BE(b.start + 24)),
    };
  if (v === 0 && b.start + 20 <= b.end)
    return { timescale: buf.readUInt32BE(b.start + 12), duration: buf.readUInt32BE(b.start + 16) };
  return undefined;
}

const VIDEO_CODECS: Record<string, string> = {
  avc1: "h264",
  avc3: "h264",
  hvc1: "hevc",
  hev1: "hevc",
  av01: "av1",
  vp09: "vp9",
  mp4v: "mpeg4",
};
const AUDIO_CODECS: Record<string, string> = { mp4a: "aac", Opus: "opus", "ac-3": "ac3" };

export interface Mp4Info {
  durationSeconds: number;
  streams: ProbeStream[];
}

/** Reads a `moov` box's payload (buf[start, end)) into ffprobe-like facts, or undefined. */
export function parseMoov(buf: Buffer, start = 0, end = buf.length): Mp4Info | undefined {
  const top = boxes(buf, start, end);
  if (!top || top.some((b) => b.type === "mvex")) return undefined; // fragmented: ffprobe's job
  const mvhd = top.find((b) => b.type === "mvhd");
  const movie = mvhd && times(buf, mvhd);
  if (!movie || movie.timescale === 0) return undefined;
  const streams: ProbeStream[] = [];
  for (const trak of top.filter((b) => b.type === "trak")) {
    const s = parseTrak(buf, trak, movie.timescale, streams.length);
    if (!s) return undefined;
    streams.push(s);
  }
  if (streams.length === 0) return undefined;
  return { durationSeconds: movie.duration / movie.timescale, streams };
}

function parseTrak(
  buf: Buffer,
  trak: Box,
  movieTimescale: number,
  index: number,
): ProbeStream | undefined {
  const mdia = child(buf, trak, "mdia");
  const mdhd = child(buf, mdia, "mdhd");
  const hdlr = child(buf, mdia, "hdlr");
  const stbl = child(buf, child(buf, mdia, "minf"), "stbl");
  const media = mdhd && times(buf, mdhd);
  if (!media || media.timescale === 0 || !hdlr || !stbl || hdlr.start + 12 > hdlr.end)
    return undefined;
  const handler = buf.toString("latin1", hdlr.start + 8, hdlr.start + 12);
  const stsd = child(buf, stbl, "stsd");
  // stsd: version+flags, entry count, then the sample entries (boxes).
  const entry = stsd ? boxes(buf, stsd.start + 8, stsd.end)?.[0] : undefined;
  if (!entry) return undefined;
  const durationSeconds =
    editedDuration(buf, trak, movieTimescale) ?? media.duration / media.timescale;
  const frames = sampleCount(buf, stbl);
  if (handler === "vide") {
    // Visual sample entry: 6 reserved, data ref index, 16 predefined/reserved, width, height.
    if (entry.start + 28 > entry.end) return undefined;
    const delta = commonestDelta(buf, stbl);
    return {
      index,
      type: "video",
      codec: VIDEO_CODECS[entry.type] ?? entry.type,
      width: buf.readUInt16BE(entry.start + 24),
      height: buf.readUInt16BE(entry.start + 26),
      pixFmt: VIDEO_CODECS[entry.type] === "h264" ? h264PixFmt(buf, entry) : undefined,
      fps: delta ? media.timescale / delta : undefined,
      frames,
      durationSeconds,
    };
  }
  if (handler === "soun") {
    // Audio sample entry: 6 reserved, data ref index, 8 reserved, channels, sample size,
    // 4 reserved, sample rate (16.16).
    if (entry.start + 28 > entry.end) return undefined;
    // An mp4a entry's channel count is 2 by convention; the decoder config tells the truth.
    const esds = entry.type === "mp4a" ? mpeg4Audio(buf, entry) : undefined;
    if (entry.type === "mp4a" && !esds) return undefined;
    return {
      index,
      type: "audio",
      codec: esds?.codec ?? AUDIO_CODECS[entry.type] ?? entry.type,
      frames,
      sampleRate: buf.readUInt32BE(entry.start + 24) >>> 16 || media.timescale,
      channels: esds?.channels || buf.readUInt16BE(entry.start + 16),
      durationSeconds,
    };
  }
  return { index, type: "other", codec: entry.type, frames, durationSeconds };
}

/**
 * The codec (objectTypeIndication: AAC or MP3) and, for AAC, the channel configuration of an mp4a
 * entry's esds box: ES_Descriptor (tag 3) → DecoderConfigDescriptor (tag 4) → DecoderSpecificInfo
 * (tag 5, the AudioSpecificConfig). Channels 0 (a program config element) counts as unknown.
 */
function mpeg4Audio(buf: Buffer, entry: Box): { codec: string; channels: number } | undefined {
  const esds = child(buf, entry, "esds", 28);
  if (!esds) return undefined;
  let pos = esds.start + 4;
  const descriptor = (tag: number): number | undefined => {
    if (pos >= esds.end || buf[pos] !== tag) return undefined;
    pos++;
    let len = 0;
    for (let i = 0; i < 4 && pos < esds.end; i++) {
      const b = buf[pos++]!;
      len = (len << 7) | (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    return pos + len <= esds.end ? len : undefined;
  };
  if (descriptor(3) === undefined || pos + 3 > esds.end) return undefined;
  const flags = buf[pos + 2]!;
  pos += 3; // ES_ID, flags
  if (flags & 0x80) pos += 2; // dependsOn_ES_ID
  if (flags & 0x40) pos += 1 + (buf[pos] ?? 0); // URL
  if (flags & 0x20) pos += 2; // OCR_ES_Id
  if (descriptor(4) === undefined || pos + 13 > esds.end) return undefined;
  const objectType = buf[pos]!;
  pos += 13;
  if (objectType === 0x69 || objectType === 0x6b) return { codec: "mp3", channels: 0 };
  if (![0x40, 0x66, 0x67, 0x68].includes(objectType)) return undefined;
  const len = descriptor(5);
  if (len === undefined || len < 2) return { codec: "aac", channels: 0 };
  // audioObjectType (5 bits), samplingFrequencyIndex (4; 15 = an explicit 24-bit rate), channels (4).
  const head = buf.readUInt16BE(pos);
  const explicitRate = ((head >>> 7) & 0xf) === 0xf;
  const channels = explicitRate
    ? pos + 5 <= esds.end
      ? (buf.readUInt32BE(pos + 1) >>> 3) & 0xf
      : 0
    : (head >>> 3) & 0xf;
  return { codec: "aac", channels };
}

/** The presented duration from the edit list (empty edits excluded), in seconds. */
function editedDuration(buf: Buffer, trak: Box, movieTimescale: number): number | undefined {
  const elst = child(buf, child(buf, trak, "edts"), "elst");
  if (!elst || elst.start + 8 > elst.end) return undefined;
  const v = buf[elst.start];
  const n = buf.readUInt32BE(elst.start + 4);
  const size = v === 1 ? 20 : 12;
  if (elst.start + 8 + n * size > elst.end || n === 0) return undefined;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const at = elst.start + 8 + i * size;
    const segment = v === 1 ? Number(buf.readBigUInt64BE(at)) : buf.readUInt32BE(at);
    const mediaTime = v === 1 ? Number(buf.readBigInt64BE(at + 8)) : buf.readInt32BE(at + 4);
    if (mediaTime >= 0) total += segment;
  }
  return total / movieTimescale;
}

function sampleCount(buf: Buffer, stbl: Box): number | undefined {
  const stsz = child(buf, stbl, "stsz");
  return stsz && stsz.start + 12 <= stsz.end ? buf.readUInt32BE(stsz.start + 8) : undefined;
}

/** The sample delta most samples have (stts), i.e. the frame duration of a constant-rate video. */
function commonestDelta(buf: Buffer, stbl: Box): number | undefined {
  const stts = child(buf, stbl, "stts");
  if (!stts || stts.start + 8 > stts.end) return undefined;
  const n = buf.readUInt32BE(stts.start + 4);
  let best: { count: number; delta: number } | undefined;
  for (let i = 0; i < n && stts.start + 16 + i * 8 <= stts.end; i++) {
    const count = buf.readUInt32BE(stts.start + 8 + i * 8);
    const delta = buf.readUInt32BE(stts.start + 12 + i * 8);
    if (delta > 0 && (!best || count > best.count)) best = { count, delta };
  }
  return best?.delta;
}

/** yuv420p, yuv422p10le, … from the avcC box's first SPS (chroma format and luma bit depth). */
function h264PixFmt(buf: Buffer, entry: Box): string | undefined {
  // The visual sample entry's fixed part is 78 bytes; its child boxes follow.
  const avcC = child(buf, entry, "avcC", 78);
  if (!avcC || avcC.start + 8 > avcC.end) return undefined;
  const spsLength = buf.readUInt16BE(avcC.start + 6);
  if ((buf[avcC.start + 5]! & 0x1f) === 0 || avcC.start + 8 + spsLength > avcC.end)
    return undefined;
  const sps = spsFormat(buf.subarray(avcC.start + 8, avcC.start + 8 + spsLength));
  if (!sps) return undefined;
  const base = ["gray", "yuv420p", "yuv422p", "yuv444p"][sps.chroma];
  if (!base) return undefined;
  return sps.depth === 8 ? base : `${base}${sps.depth}le`;
}

/** chroma_format_idc and the luma bit depth of an H.264 SPS NAL unit (with its header byte). */
export function spsFormat(nal: Buffer): { chroma: number; depth: number } | undefined {
  // Drop emulation-prevention bytes (00 00 03 → 00 00).
  const rbsp: number[] = [];
  for (let i = 1; i < nal.length; i++) {
    if (i >= 3 && nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) continue;
    rbsp.push(nal[i]!);
  }
  const profile = rbsp[0];
  if (profile === undefined) return undefined;
  if (![100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile))
    return { chroma: 1, depth: 8 }; // Baseline, Main, Extended: 4:2:0, 8 bit by definition
  let bit = 3 * 8; // after profile_idc, the constraint flags and level_idc
  const readBit = () => {
    const byte = rbsp[bit >> 3];
    if (byte === undefined) throw new RangeError("SPS too short");
    const b = (byte >> (7 - (bit & 7))) & 1;
    bit++;
    return b;
  };
  const ue = () => {
    let zeros = 0;
    while (readBit() === 0) if (++zeros > 31) throw new RangeError("bad exp-Golomb code");
    let v = 0;
    for (let i = 0; i < zeros; i++) v = (v << 1) | readBit();
    return (1 << zeros) - 1 + v;
  };
  try {
    ue(); // seq_parameter_set_id
    const chroma = ue();
    if (chroma === 3) readBit(); // separate_colour_plane_flag
    return { chroma, depth: ue() + 8 };
  } catch {
    return undefined;
  }
}
