import { defaultH264, type H264Settings, mp4OutputArgs } from "../media/ffmpeg-args.ts";

/**
 * Pure ffmpeg argument builders for publishing (unit-tested in publish-args.test.ts): the feed
 * rendition and the watermarked download. Spawned through shared/src/media/ffmpeg.server.ts.
 */

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];

/** Feed rendition: at most `maxWidth` wide (even height), a little more compression, faststart. */
export const FEED_H264: H264Settings = { ...defaultH264, crf: 26 };

export function renditionArgs(o: {
  input: string;
  output: string;
  maxWidth: number;
  h264?: H264Settings;
}): string[] {
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
}): string[] {
  return [
    ...quiet,
    "-i",
    o.input,
    "-i",
    o.watermark,
    "-filter_complex",
    `[0:v][1:v]overlay=x=${o.margin}:y=main_h-overlay_h-${o.margin}:format=auto,format=yuv420p[v]`,
    "-map",
    "[v]",
    "-map",
    "0:a:0?",
    ...mp4OutputArgs(o.h264 ?? defaultH264),
    o.output,
  ];
}
