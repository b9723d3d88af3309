/**
 * Argument builders for the generated clips the edit tests and the edit benchmark run on (pure).
 * Each clip is a product MP4 (./../media/ffmpeg-args.ts `mp4OutputArgs`: keyframe every 60 frames)
 * with a sine tone, so stream copy, trims and audio are exercised like a real draft.
 */
import { AUDIO_RATE, fmt, mp4OutputArgs } from "../media/ffmpeg-args.ts";

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];

/** Bits in a numbered clip's frame number (8 vertical bars, most significant on the right). */
export const NUMBER_BITS = 8;

function encode(video: string, seconds: number, output: string, freq = 440): string[] {
  return [
    ...quiet,
    "-f",
    "lavfi",
    "-i",
    video,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=${freq}:sample_rate=${AUDIO_RATE}:duration=${fmt(seconds)}`,
    "-map",
    "0:v:0",
    "-map",
    "1:a:0",
    "-t",
    fmt(seconds),
    ...mp4OutputArgs(),
    output,
  ];
}

/**
 * Every frame shows its own number as 8 black/white bars (bar k is bit k of the frame number), so a
 * decoded frame says which source frame it is: the tests read trims, splits and ramps from it.
 */
export function numberedClipArgs(o: {
  width: number;
  height: number;
  fps: number;
  frames: number;
  output: string;
}): string[] {
  const seconds = o.frames / o.fps;
  return encode(
    `color=black:size=${o.width}x${o.height}:rate=${o.fps}:duration=${fmt(seconds)},` +
      `geq=lum='255*mod(floor(N/pow(2\\,floor(X*${NUMBER_BITS}/W)))\\,2)':cb=128:cr=128`,
    seconds,
    o.output,
  );
}

/** Read the frame number back from a frame decoded to `NUMBER_BITS × 1` grey pixels. */
export function readFrameNumber(bars: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < NUMBER_BITS; k++) if (bars[k]! > 128) n |= 1 << k;
  return n;
}

/** A bright disc swinging left and right with a period of `periodFrames`: a clip that loops. */
export function periodicClipArgs(o: {
  width: number;
  height: number;
  fps: number;
  frames: number;
  periodFrames: number;
  output: string;
}): string[] {
  const seconds = o.frames / o.fps;
  const period = o.periodFrames / o.fps;
  return encode(
    `color=black:size=${o.width}x${o.height}:rate=${o.fps}:duration=${fmt(seconds)},` +
      `geq=lum='if(lt(hypot(X-W/2-W/3*sin(2*PI*T/${fmt(period)})\\,Y-H/2)\\,H/6)\\,230\\,40)':cb=100:cr=150`,
    seconds,
    o.output,
  );
}

/** A still, detailed picture (testsrc2's first frame) shaken by a few pixels every frame. */
export function shakyClipArgs(o: {
  width: number;
  height: number;
  fps: number;
  frames: number;
  output: string;
}): string[] {
  const seconds = o.frames / o.fps;
  const pad = 24;
  return encode(
    `testsrc2=size=${o.width + 2 * pad}x${o.height + 2 * pad}:rate=${o.fps},trim=end_frame=1,` +
      `loop=loop=${o.frames}:size=1:start=0,setpts=N/${o.fps}/TB,` +
      `crop=w=${o.width}:h=${o.height}:x='${pad}+${pad - 4}*sin(n*1.7)*cos(n*0.37)':y='${pad}+${pad - 4}*cos(n*2.3)*sin(n*0.29)',` +
      `trim=end_frame=${o.frames}`,
    seconds,
    o.output,
  );
}

/** A solid colour clip (for LUT and grade checks), colour as 0xRRGGBB. */
export function solidClipArgs(o: {
  width: number;
  height: number;
  fps: number;
  frames: number;
  color: string;
  output: string;
}): string[] {
  const seconds = o.frames / o.fps;
  return encode(
    `color=${o.color}:size=${o.width}x${o.height}:rate=${o.fps}:duration=${fmt(seconds)}`,
    seconds,
    o.output,
  );
}

/** A clip's frames as raw RGB24 at a small size (analysis). */
export function rgbFramesArgs(o: { input: string; width: number; height: number }): string[] {
  return [
    ...quiet,
    "-i",
    o.input,
    "-map",
    "0:v:0",
    "-vf",
    `scale=${o.width}:${o.height}:flags=area,format=rgb24`,
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}

/**
 * A clip's frames as raw grey at a small size, one per stored frame (`passthrough`: no frames
 * duplicated to fill a start offset, as the default constant-rate output would).
 */
export function grayFramesArgs(o: { input: string; width: number; height: number }): string[] {
  return [
    ...quiet,
    "-i",
    o.input,
    "-map",
    "0:v:0",
    "-vf",
    `scale=${o.width}:${o.height}:flags=area,format=gray`,
    "-fps_mode",
    "passthrough",
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}
