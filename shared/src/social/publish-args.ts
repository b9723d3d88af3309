import { defaultH264, type H264Settings, mp4OutputArgs } from "../media/ffmpeg-args.ts";

/**
 * Pure ffmpeg argument builders for publishing (unit-tested in publish-args.test.ts): the feed
 * rendition and the watermarked download. Spawned through shared/src/media/ffmpeg.server.ts.
 */

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];

/** Feed rendition: at most `maxWidth` wide (even height), a little more compression, faststart. */
export const FEED_H264: H264Settings = { ...defaultH264, crf: 26 };

/**
 * The invisible mark's pattern (shared/src/provenance/invisible-mark.ts): one raw yuv420p frame of
 * exactly the output's size, looped, added to every frame by `blend=grainmerge` (A + B − 128) in
 * the same encode that writes the file.
 */
export type MarkInput = { pattern: string; width: number; height: number };

function markInputArgs(m: MarkInput): string[] {
  return [
    ...["-stream_loop", "-1", "-f", "rawvideo", "-pix_fmt", "yuv420p"],
    ...["-video_size", `${m.width}x${m.height}`, "-framerate", "1", "-i", m.pattern],
  ];
}
const blendMark = (from: string, mark: string) =>
  `[${from}][${mark}]blend=all_mode=grainmerge:shortest=1,format=yuv420p[v]`;

/** The feed rendition's size for a source of `width` × `height`: ≤ maxWidth wide, even sides. */
export function renditionSize(width: number, height: number, maxWidth: number) {
  const w = Math.min(maxWidth, width) & ~1;
  return { width: w, height: Math.max(2, Math.round((height * w) / width / 2) * 2) };
}

export function renditionArgs(o: {
  input: string;
  output: string;
  maxWidth: number;
  h264?: H264Settings;
  /** Embed the invisible mark; its size must be `renditionSize` of the source. */
  mark?: MarkInput;
  /**
   * Overlay the visible watermark too (a PNG drawn for the rendition's width, watermark.server.ts),
   * bottom-left, `margin` px in, before the invisible mark is blended (needs `mark`).
   */
  watermark?: { png: string; margin: number };
}): string[] {
  if (!o.mark)
    return [
      ...quiet,
      "-i",
      o.input,
      "-map",
      "0:v:0",
      "-map",
      "0:a:0?",
      "-vf",
      `scale='min(${o.maxWidth},iw)':-2:flags=lanczos`,
      ...mp4OutputArgs(o.h264 ?? FEED_H264),
      o.output,
    ];
  return [
    ...quiet,
    "-i",
    o.input,
    ...markInputArgs(o.mark),
    ...(o.watermark ? ["-i", o.watermark.png] : []),
    "-filter_complex",
    o.watermark
      ? `[0:v]scale=${o.mark.width}:${o.mark.height}:flags=lanczos,format=yuv420p[s0];` +
        `[s0][2:v]overlay=x=${o.watermark.margin}:y=main_h-overlay_h-${o.watermark.margin}:format=auto,format=yuv420p[s];` +
        blendMark("s", "1:v")
      : `[0:v]scale=${o.mark.width}:${o.mark.height}:flags=lanczos,format=yuv420p[s];${blendMark("s", "1:v")}`,
    "-map",
    "[v]",
    "-map",
    "0:a:0?",
    ...mp4OutputArgs(o.h264 ?? FEED_H264),
    o.output,
  ];
}

/**
 * The download: the video with the watermark PNG overlaid bottom-left, `margin` px from the edges
 * (the PNG is drawn for the video's own size, see watermark.server.ts), re-encoded as a product MP4.
 */
export function watermarkArgs(o: {
  input: string;
  watermark: string;
  output: string;
  margin: number;
  h264?: H264Settings;
  /** Embed the invisible mark too; its size must be the source's. */
  mark?: MarkInput;
}): string[] {
  const overlay = `[0:v][1:v]overlay=x=${o.margin}:y=main_h-overlay_h-${o.margin}:format=auto,format=yuv420p`;
  return [
    ...quiet,
    "-i",
    o.input,
    "-i",
    o.watermark,
    ...(o.mark ? markInputArgs(o.mark) : []),
    "-filter_complex",
    o.mark ? `${overlay}[o];${blendMark("o", "2:v")}` : `${overlay}[v]`,
    "-map",
    "[v]",
    "-map",
    "0:a:0?",
    ...mp4OutputArgs(o.h264 ?? defaultH264),
    o.output,
  ];
}
