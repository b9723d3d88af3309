import { fmt } from "@reelhouse/shared/media/ffmpeg-args";

/**
 * One ffmpeg pass that decodes a video once and writes both its poster (one frame at `posterAt`,
 * `posterWidth` wide) and its thumbnail spritesheet (`columns × rows` frames sampled evenly over
 * `durationSeconds`, `tileWidth` wide, left to right, top to bottom) as JPEGs. Half the process
 * start-ups and decodes of separate poster and spritesheet runs. Pure: returns the argv.
 */
export function thumbnailsArgs(o: {
  input: string;
  posterOutput: string;
  spriteOutput: string;
  durationSeconds: number;
  posterAt: number;
  posterWidth: number;
  columns: number;
  rows: number;
  tileWidth: number;
}): string[] {
  if (!(o.durationSeconds > 0)) throw new Error("thumbnailsArgs: duration must be positive");
  const rate = (o.columns * o.rows) / o.durationSeconds;
  const at = Math.min(Math.max(0, o.posterAt), o.durationSeconds);
  const graph = [
    "[0:v:0]split=2[p][s]",
    `[p]trim=start=${fmt(at)},setpts=PTS-STARTPTS,scale=${o.posterWidth}:-2:flags=lanczos[poster]`,
    `[s]fps=${fmt(rate)},scale=${o.tileWidth}:-2:flags=bilinear,tile=${o.columns}x${o.rows}[sprite]`,
  ].join(";");
  const jpeg = (q: number, output: string) => [
    "-frames:v",
    "1",
    "-q:v",
    String(q),
    "-map_metadata",
    "-1",
    "-f",
    "image2",
    "-c:v",
    "mjpeg",
    "-update",
    "1",
    output,
  ];
  return [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-y",
    "-an",
    "-i",
    o.input,
    "-filter_complex",
    graph,
    "-map",
    "[poster]",
    ...jpeg(3, o.posterOutput),
    "-map",
    "[sprite]",
    ...jpeg(4, o.spriteOutput),
  ];
}
