/**
 * `npm run bench -- cameo`: the time to process a 5 s 720p cameo recording (validation by content
 * with a full decode, then the face model on the sampled frames, liveness, kit, voice and
 * embedding — everything the `cameo` workflow does except database writes), as a ratio to ffmpeg
 * merely decoding the same clip, measured in the same run. The recording is the test footage of
 * workers/src/cameo/footage.server.ts (the portrait @vladmandic/human ships, tilted into head
 * turns) at 1280×720. The model is loaded (and warmed up on one frame) before timing, as in a
 * running worker. Goal: processing under 60 s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { planLiveness } from "@reelhouse/shared/cameos/liveness";
import { decodeCheckArgs } from "@reelhouse/shared/cameos/recording";
import { validateRecording } from "@reelhouse/shared/cameos/recording.server";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import { analyzeRecording } from "../workers/src/cameo/analyze.server.ts";
import { detectFace } from "../workers/src/cameo/face.server.ts";
import { buildFootage, followPlan } from "../workers/src/cameo/footage.server.ts";

const GOAL_S = 60;

export async function main(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "rh-bench-cameo-"));
  try {
    const plan = planLiveness();
    const file = path.join(dir, "recording.webm");
    await buildFootage({ out: file, ...followPlan(plan), width: 1280, height: 720 });
    await detectFace(new Uint8Array(360 * 202 * 3), 360, 202); // load + warm up the model

    const t0 = performance.now();
    await runFfmpeg(decodeCheckArgs({ input: file, container: "webm" }));
    const decodeS = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    const info = await validateRecording(file, "person");
    const validateS = (performance.now() - t1) / 1000;
    const result = await analyzeRecording({
      recording: file,
      container: "webm",
      kind: "person",
      width: info.width,
      height: info.height,
      plan,
      kitDir: path.join(dir, "kit"),
    });
    const processS = (performance.now() - t1) / 1000;
    return {
      clip: {
        width: info.width,
        height: info.height,
        seconds: Number(info.durationSeconds.toFixed(2)),
      },
      frames: result.frames,
      liveness: result.liveness.ok,
      decodeSeconds: Number(decodeS.toFixed(2)),
      validateSeconds: Number(validateS.toFixed(2)),
      processSeconds: Number(processS.toFixed(2)),
      perFrameSeconds: Number(((processS - validateS) / Math.max(1, result.frames)).toFixed(2)),
      ratioToDecode: Number((processS / decodeS).toFixed(1)),
      goalSeconds: GOAL_S,
      ok: result.liveness.ok && processS < GOAL_S,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
