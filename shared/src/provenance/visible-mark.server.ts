import { runFfmpeg } from "../media/ffmpeg.server.ts";
import { decodeGrayFramesArgs } from "../media/ffmpeg-args.ts";

/** The luma of a video's (or an image's) first frame, scaled to `width` × `height`. */
export async function firstGrayFrame(
  file: string,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const { stdout } = await runFfmpeg(decodeGrayFramesArgs({ input: file, width, height, fps: 1 }), {
    captureStdout: true,
  });
  if (stdout.length < width * height) throw new Error(`no picture decoded from ${file}`);
  return new Uint8Array(stdout.subarray(0, width * height));
}
