import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type GenerationBackend, GenerationError } from "@reelhouse/shared/generation/backend";
import { parseSize } from "@reelhouse/shared/generation/request";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";

/**
 * A real-ffmpeg backend for tests of the workflows (registered only when NODE_ENV=test): ffmpeg's
 * `testsrc2` picture and a sine tone at the product's size and encoder settings. `realtime` paces
 * the inputs at 1x (ffmpeg `-re`), so a render lasts as long as the clip and a test can kill or
 * cancel a worker in the middle of it.
 *
 * Two prompt markers drive the failure paths: `[fail:permanent]` throws a non-retryable
 * GenerationError; `[fail:transient-once]` fails the first attempt of a workflow only. With
 * REELHOUSE_TEST_RENDER_LOG set, every render attempt appends a line (work dir, pid) to that file.
 */
export function testPatternBackend(opts: { realtime: boolean }): GenerationBackend {
  return {
    name: opts.realtime ? "test-pattern-realtime" : "test-pattern",
    label: "Test pattern (tests only)",
    async render(request, ctx) {
      const text = request.prompt.text;
      // Tests count render attempts across worker processes through this log.
      const renderLog = process.env.REELHOUSE_TEST_RENDER_LOG;
      if (renderLog)
        appendFileSync(
          renderLog,
          `${JSON.stringify({ workDir: ctx.workDir, pid: process.pid })}\n`,
        );
      if (text.includes("[fail:permanent]")) {
        throw new GenerationError("test_permanent", "The test backend refuses this prompt.", false);
      }
      const marker = path.join(ctx.workDir, "transient-failed-once");
      if (text.includes("[fail:transient-once]") && !existsSync(marker)) {
        writeFileSync(marker, "1");
        throw new GenerationError(
          "test_transient",
          "The test backend failed once on purpose.",
          true,
        );
      }
      const { width, height } = parseSize(request.size);
      const seconds = request.durationSeconds;
      const output = path.join(ctx.workDir, "test-pattern.mp4");
      await ffmpegToFile(
        output,
        (tmp) => {
          const args = testsrcEncodeArgs({ width, height, fps: request.fps, seconds, output: tmp });
          if (!opts.realtime) return args;
          // `-re` before each lavfi input: read it at its native rate.
          return args.flatMap((a, i) => (a === "-f" && args[i + 1] === "lavfi" ? ["-re", a] : [a]));
        },
        { signal: ctx.signal, onProgress: (s) => ctx.onProgress(Math.min(1, s / seconds)) },
      );
      return { videoPath: output, metadata: { pattern: "testsrc2", seed: request.seed } };
    },
  };
}
