/**
 * Pure builders of ffmpeg argument arrays. Nothing here spawns or touches the disk: each function
 * returns the argv that `runFfmpeg` (./ffmpeg.server.ts) passes to the binary, so the exact flags are
 * unit-tested (./ffmpeg-args.test.ts) and reused by the renderer, the workflows and the benchmark.
 *
 * Every output builder takes the output path last-mile from the caller: the spawn wrapper passes a
 * temporary name and renames it into place when ffmpeg succeeds.
 */

/** Encoder settings every product MP4 uses, so outputs are byte-identical for the same input. */
export interface H264Settings {
  /** x264 constant rate factor (lower = better). */
  crf: number;
  preset: "ultrafast" | "superfast" | "veryfast" | "faster" | "fast" | "medium";
  /** Fixed encoder thread count: x264 output depends on it, so it is never "auto". */
  threads: number;
  /** Keyframe interval in frames. */
  gop: number;
}

export const defaultH264: H264Settings = { crf: 23, preset: "veryfast", threads: 2, gop: 60 };

/** AAC settings for product MP4s. */
export const AUDIO_RATE = 48_000;
export const AUDIO_BITRATE = "160k";

const quiet = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"] as const;
/** Machine-readable progress on stdout (`out_time_us=…` lines) parsed by the spawn wrapper. */
const progress = ["-progress", "pipe:1", "-stats_period", "0.25"] as const;

/** The product's H.264 encoder flags: High profile, yuv420p, fixed GOP and thread count. */
export function h264EncodeArgs(h: H264Settings = defaultH264): string[] {
  return [
    "-c:v",
    "libx264",
    "-preset",
    h.preset,
    "-crf",
    String(h.crf),
    "-g",
    String(h.gop),
    "-threads",
    String(h.threads),
    "-pix_fmt",
    "yuv420p",
    "-profile:v",
    "high",
  ];
}

/**
 * Output flags for a deterministic, web-playable MP4: H.264 yuv420p + AAC, moov atom first.
 * `audio`: true encodes AAC, false drops the sound, `"copy"` passes an AAC track through as it is.
 */
export function mp4OutputArgs(
  h: H264Settings = defaultH264,
  audio: boolean | "copy" = true,
): string[] {
  return [
    ...h264EncodeArgs(h),
    ...(audio === "copy"
      ? ["-c:a", "copy"]
      : audio
        ? ["-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", String(AUDIO_RATE)]
        : ["-an"]),
    "-movflags",
    "+faststart",
    "-map_metadata",
    "-1",
    "-fflags",
    "+bitexact",
    "-flags:v",
    "+bitexact",
    "-flags:a",
    "+bitexact",
    "-f",
    "mp4",
  ];
}

export interface RawEncodeOptions {
  width: number;
  height: number;
  fps: number;
  /** Exact number of frames that will be written to stdin. */
  frames: number;
  /** A WAV (or any audio file) of the same length; omitted → silent track of the same length. */
  audioPath?: string;
  output: string;
  /** Pixel layout of the frames piped to stdin. */
  pixelFormat?: "rgba" | "bgra" | "rgb24";
  /** Scale the frames to this size on the way out (draw small, encode at full size). */
  outputWidth?: number;
  outputHeight?: number;
  h264?: H264Settings;
}

/**
 * Encode raw frames read from stdin plus an audio file into a product MP4. Video length is exactly
 * `frames / fps`; audio is padded or cut to that same length so the two streams end together.
 */
export function encodeRawVideoArgs(o: RawEncodeOptions): string[] {
  const seconds = o.frames / o.fps;
  const audioIn = o.audioPath
    ? ["-i", o.audioPath]
    : ["-f", "lavfi", "-i", `anullsrc=channel_layout=stereo:sample_rate=${AUDIO_RATE}`];
  return [
    ...quiet,
    ...progress,
    "-f",
    "rawvideo",
    "-pix_fmt",
    o.pixelFormat ?? "rgba",
    "-s",
    `${o.width}x${o.height}`,
    "-framerate",
    String(o.fps),
    "-i",
    "pipe:0",
    ...audioIn,
    "-map",
    "0:v:0",
    "-map",
    "1:a:0",
    ...(o.outputWidth &&
    o.outputHeight &&
    (o.outputWidth !== o.width || o.outputHeight !== o.height)
      ? ["-vf", `scale=${o.outputWidth}:${o.outputHeight}:flags=bilinear`]
      : []),
    "-af",
    `apad,atrim=end=${fmt(seconds)},aresample=${AUDIO_RATE}`,
    // Not -frames:v: in ffmpeg 5 it ends the whole output at that frame, cutting the audio short.
    "-t",
    fmt(seconds),
    ...mp4OutputArgs(o.h264),
    o.output,
  ];
}

/**
 * ffmpeg alone encoding `testsrc2` (plus a sine tone) at the product settings: the benchmark's
 * baseline for "how long does encoding take on this machine".
 */
export function testsrcEncodeArgs(o: {
  width: number;
  height: number;
  fps: number;
  seconds: number;
  output: string;
  h264?: H264Settings;
}): string[] {
  return [
    ...quiet,
    ...progress,
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}:duration=${fmt(o.seconds)}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:sample_rate=${AUDIO_RATE}:duration=${fmt(o.seconds)}`,
    "-map",
    "0:v:0",
    "-map",
    "1:a:0",
    ...mp4OutputArgs(o.h264),
    o.output,
  ];
}

/** One still frame at `atSeconds` as JPEG, PNG or WebP (from the output extension), scaled to `width`. */
export function posterArgs(o: {
  input: string;
  output: string;
  atSeconds: number;
  width?: number;
}): string[] {
  const format = imageFormat(o.output);
  return [
    ...quiet,
    "-ss",
    fmt(o.atSeconds),
    "-i",
    o.input,
    "-frames:v",
    "1",
    ...(o.width ? ["-vf", `scale=${o.width}:-2:flags=lanczos`] : []),
    ...(format === "mjpeg" ? ["-q:v", "3"] : []),
    "-map_metadata",
    "-1",
    "-f",
    "image2",
    "-c:v",
    format,
    "-update",
    "1",
    o.output,
  ];
}

/**
 * A thumbnail spritesheet: `columns × rows` frames sampled evenly over `durationSeconds`, each
 * `tileWidth` wide, laid out left-to-right, top-to-bottom in one image.
 */
export function spritesheetArgs(o: {
  input: string;
  output: string;
  durationSeconds: number;
  columns: number;
  rows: number;
  tileWidth: number;
}): string[] {
  const count = o.columns * o.rows;
  const rate = count / o.durationSeconds;
  const format = imageFormat(o.output);
  return [
    ...quiet,
    "-i",
    o.input,
    "-vf",
    `fps=${fmt(rate)},scale=${o.tileWidth}:-2:flags=bilinear,tile=${o.columns}x${o.rows}`,
    "-frames:v",
    "1",
    ...(format === "mjpeg" ? ["-q:v", "4"] : []),
    "-map_metadata",
    "-1",
    "-f",
    "image2",
    "-c:v",
    format,
    "-update",
    "1",
    o.output,
  ];
}

/** Transition into a clip from the one before it. `cut` is instant; the others overlap the clips. */
export type TransitionKind =
  | "cut"
  | "fade"
  | "dissolve"
  | "wipeleft"
  | "wiperight"
  | "slideleft"
  | "fadeblack";

export interface StitchClip {
  path: string;
  /** The clip's exact duration (probe it). */
  durationSeconds: number;
  /** How this clip enters from the previous one; ignored for the first clip. */
  transition?: { kind: TransitionKind; durationSeconds: number };
}

const xfadeName: Record<Exclude<TransitionKind, "cut">, string> = {
  fade: "fade",
  dissolve: "dissolve",
  wipeleft: "wipeleft",
  wiperight: "wiperight",
  slideleft: "slideleft",
  fadeblack: "fadeblack",
};

/** Total length of a stitched sequence: the clips' sum minus every overlap. */
export function stitchedDuration(clips: readonly StitchClip[]): number {
  let total = 0;
  clips.forEach((c, i) => {
    total += c.durationSeconds;
    if (i > 0) total -= overlapOf(c, clips[i - 1]!);
  });
  return total;
}

function overlapOf(clip: StitchClip, prev: StitchClip): number {
  const t = clip.transition;
  if (!t || t.kind === "cut") return 0;
  // An overlap can never be longer than either clip.
  return Math.max(
    0,
    Math.min(t.durationSeconds, clip.durationSeconds / 2, prev.durationSeconds / 2),
  );
}

/**
 * Stitch clips into one MP4 with each clip's transition (xfade for the picture, acrossfade for the
 * sound, plain concatenation for cuts): one continuous audio track, no gaps. Every clip is first
 * normalised to the same size, frame rate, pixel format and sample rate, so clips from different
 * backends join cleanly.
 */
export function stitchArgs(o: {
  clips: readonly StitchClip[];
  width: number;
  height: number;
  fps: number;
  output: string;
  h264?: H264Settings;
}): string[] {
  if (o.clips.length === 0) throw new Error("stitchArgs: no clips");
  const inputs = o.clips.flatMap((c) => ["-i", c.path]);
  const parts: string[] = [];
  o.clips.forEach((_, i) => {
    parts.push(
      `[${i}:v:0]scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease,` +
        `pad=${o.width}:${o.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${o.fps},format=yuv420p,settb=AVTB[v${i}]`,
    );
    parts.push(
      `[${i}:a:0]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,` +
        `apad,atrim=end=${fmt(o.clips[i]!.durationSeconds)},asetpts=PTS-STARTPTS[a${i}]`,
    );
  });
  let v = "v0";
  let a = "a0";
  let elapsed = o.clips[0]!.durationSeconds;
  for (let i = 1; i < o.clips.length; i++) {
    const clip = o.clips[i]!;
    const overlap = overlapOf(clip, o.clips[i - 1]!);
    const vo = `vx${i}`;
    const ao = `ax${i}`;
    if (overlap === 0) {
      parts.push(`[${v}][${a}][v${i}][a${i}]concat=n=2:v=1:a=1[${vo}][${ao}]`);
    } else {
      const kind = clip.transition!.kind as Exclude<TransitionKind, "cut">;
      parts.push(
        `[${v}][v${i}]xfade=transition=${xfadeName[kind]}:duration=${fmt(overlap)}:offset=${fmt(elapsed - overlap)}[${vo}]`,
      );
      parts.push(`[${a}][a${i}]acrossfade=d=${fmt(overlap)}:c1=tri:c2=tri[${ao}]`);
    }
    elapsed += clip.durationSeconds - overlap;
    v = vo;
    a = ao;
  }
  return [
    ...quiet,
    ...progress,
    ...inputs,
    "-filter_complex",
    parts.join(";"),
    "-map",
    `[${v}]`,
    "-map",
    `[${a}]`,
    "-t",
    fmt(elapsed),
    ...mp4OutputArgs(o.h264),
    o.output,
  ];
}

/** Decode a file's first audio stream to raw mono float32 PCM on stdout (for analysis). */
export function decodeAudioPcmArgs(o: { input: string; sampleRate: number }): string[] {
  return [
    ...quiet,
    "-i",
    o.input,
    "-map",
    "0:a:0",
    "-ac",
    "1",
    "-ar",
    String(o.sampleRate),
    "-f",
    "f32le",
    "-c:a",
    "pcm_f32le",
    "pipe:1",
  ];
}

/** Decode a file's video to raw 8-bit grey frames on stdout, scaled down (for analysis). */
export function decodeGrayFramesArgs(o: {
  input: string;
  width: number;
  height: number;
  /** Sample this many frames a second (default: every frame). */
  fps?: number;
}): string[] {
  return [
    ...quiet,
    "-i",
    o.input,
    "-map",
    "0:v:0",
    "-vf",
    `${o.fps ? `fps=${o.fps},` : ""}scale=${o.width}:${o.height}:flags=area,format=gray`,
    "-f",
    "rawvideo",
    "pipe:1",
  ];
}

/** Extract the given frame numbers (0-based) to images named by the `%03d` pattern in `outputPattern`. */
export function extractFramesArgs(o: {
  input: string;
  outputPattern: string;
  frames: number[];
}): string[] {
  const select = o.frames.map((n) => `eq(n\\,${Math.trunc(n)})`).join("+");
  return [
    ...quiet,
    "-i",
    o.input,
    "-vf",
    `select=${select}`,
    "-fps_mode",
    "passthrough",
    o.outputPattern,
  ];
}

function imageFormat(path: string): "mjpeg" | "png" | "libwebp" {
  const lower = path.toLowerCase();
  if (lower.endsWith(".png")) return "png";
  if (lower.endsWith(".webp")) return "libwebp";
  if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) return "mjpeg";
  throw new Error(`Unsupported image extension: ${path} (use .jpg, .png or .webp)`);
}

/** Seconds as a short decimal string ffmpeg accepts (no exponent, at most 6 decimals). */
export function fmt(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new Error(`Not a finite time: ${seconds}`);
  return Number(seconds.toFixed(6)).toString();
}
