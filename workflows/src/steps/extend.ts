import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  type ExtendInput,
  extendConcatList,
  extendJoinArgs,
  extendSourceVideoArgs,
  extendTailArgs,
} from "@reelhouse/shared/edit/extend";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { stepSignal } from "./cancel.ts";
import { jobDirs } from "./context.ts";
import { setStage } from "./jobs.ts";

/**
 * The `extend` workflow's join step: the re-render's frames from D on are encoded as the tail, the
 * source's video packets are copied in front of them (concat demuxer), the sound crossfades at D
 * (@reelhouse/shared/edit/extend). Writes `outDir/extended.mp4` (temporary name + rename; a
 * cancel kills ffmpeg); a re-run that finds it in place reuses it.
 */
export async function joinExtendStep(
  input: ExtendInput,
  rerenderPath: string,
): Promise<{ videoPath: string }> {
  const { outDir, workDir } = jobDirs(input.workflowId);
  const videoPath = path.join(outDir, "extended.mp4");
  await setStage(input.workflowId, "stitching");
  if (existsSync(videoPath)) return { videoPath };
  const source = path.join(dataDir(), input.sourcePath);
  if (!existsSync(source)) {
    throw new GenerationError("source_missing", "The video of the source draft is missing.", false);
  }
  const joinDir = path.join(workDir, "extend");
  await mkdir(joinDir, { recursive: true });
  await mkdir(outDir, { recursive: true });
  const signal = stepSignal();
  try {
    const tail = path.join(joinDir, "tail.mp4");
    await ffmpegToFile(
      tail,
      (tmp) =>
        extendTailArgs({ rerender: rerenderPath, fromFrame: input.sourceFrames, output: tmp }),
      { signal },
    );
    const sourceVideo = path.join(joinDir, "source-video.mp4");
    await ffmpegToFile(sourceVideo, (tmp) => extendSourceVideoArgs({ source, output: tmp }), {
      signal,
    });
    const list = path.join(joinDir, "list.ffconcat");
    await writeFile(list, extendConcatList(sourceVideo, tail, input.sourceSeconds));
    await ffmpegToFile(
      videoPath,
      (tmp) =>
        extendJoinArgs({
          list,
          source,
          rerender: rerenderPath,
          sourceSeconds: input.sourceSeconds,
          totalSeconds: input.sourceSeconds + input.seconds,
          output: tmp,
        }),
      { signal },
    );
  } finally {
    await rm(joinDir, { recursive: true, force: true });
  }
  // The full re-render was only the material for the tail.
  await rm(rerenderPath, { force: true });
  return { videoPath };
}
