/**
 * `npm run bench -- edit`: each edit operation on a 10 s 720x1280 30 fps clip (testsrc2 + a tone,
 * at the product's encoder settings), as × real time (clip seconds / wall seconds), against the
 * same-run baseline of ffmpeg decoding and re-encoding that clip at the product's settings (x264
 * `veryfast`), and a second baseline at the edit renders' settings (`EDIT_H264`: `ultrafast`), so
 * the share of an operation's time that is its filters (not the encoder) can be read off.
 *
 * Goals (issue 13): trim by stream copy ≥ 100×, grade and speed ≥ 5×, stabilize ≥ 1×. The other
 * operations (frame-exact trim, loop, stitch) are reported without a goal. Each operation runs
 * `rounds` times; the median counts (one burst of load on a shared machine cannot decide alone).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { EDIT_H264, type EditSource } from "@reelhouse/shared/edit/compile";
import { probeSource, renderEdit } from "@reelhouse/shared/edit/render.server";
import { type Edit, type EditInput, editSchema } from "@reelhouse/shared/edit/schema";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { mp4OutputArgs, testsrcEncodeArgs } from "@reelhouse/shared/media/ffmpeg-args";

const W = 720;
const H = 1280;
const FPS = 30;
const SECONDS = 10;
const CLIP = "00000000-0000-4000-8000-0000000000c1";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const rounds = Math.max(1, Number(args[0] ?? 3));
  const dir = await mkdtemp(path.join(tmpdir(), "rh-bench-edit-"));
  try {
    const clip = path.join(dir, "clip.mp4");
    await ffmpegToFile(clip, (tmp) =>
      testsrcEncodeArgs({ width: W, height: H, fps: FPS, seconds: SECONDS, output: tmp }),
    );
    const source: EditSource = await probeSource(CLIP, clip);
    const sources = { [CLIP]: source };
    const keyframe = source.keyframes.find((k) => k >= 60) ?? 0;
    const whole = { id: "a", draftId: CLIP, inFrame: 0, outFrame: source.frames };
    const edit = (e: Partial<EditInput>): Edit =>
      editSchema.parse({ version: 1, fps: FPS, width: W, height: H, clips: [whole], ...e });
    const ops: Record<string, Edit> = {
      trimCopy: edit({ clips: [{ ...whole, inFrame: keyframe }] }),
      trimExact: edit({ clips: [{ ...whole, inFrame: 37 }] }),
      grade: edit({
        grade: {
          exposure: 0.4,
          contrast: 1.1,
          saturation: 1.2,
          temperature: 0.3,
          preset: "cinematic",
        },
      }),
      speed: edit({
        speed: [
          { frame: 0, speed: 1, ease: "ease" },
          { frame: 90, speed: 2, ease: "ease" },
          { frame: 210, speed: 0.5, ease: "ease" },
        ],
      }),
      stabilize: edit({ stabilize: { strength: 0.6, crop: "zoom", zoomPercent: 0 } }),
      loop: edit({ loop: { enabled: true, startFrame: 30, endFrame: 270, crossfadeFrames: 8 } }),
      stitch: edit({
        clips: [
          { id: "a", draftId: CLIP, inFrame: 0, outFrame: 150 },
          {
            id: "b",
            draftId: CLIP,
            inFrame: 150,
            outFrame: 300,
            transition: { kind: "crossfade", frames: 15 },
          },
        ],
      }),
    };
    const baselineMs: number[] = [];
    const baselineEditMs: number[] = [];
    const opMs: Record<string, number[]> = Object.fromEntries(Object.keys(ops).map((k) => [k, []]));
    let n = 0;
    const reencode = async (into: number[], h264 = mp4OutputArgs()) => {
      const t0 = performance.now();
      await ffmpegToFile(path.join(dir, `base-${n++}.mp4`), (tmp) => [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-i",
        clip,
        ...h264,
        tmp,
      ]);
      into.push(performance.now() - t0);
    };
    const timeBaseline = async () => {
      await reencode(baselineMs);
      await reencode(baselineEditMs, mp4OutputArgs(EDIT_H264));
    };
    for (let r = 0; r < rounds; r++) {
      await timeBaseline();
      for (const [name, e] of Object.entries(ops)) {
        const t0 = performance.now();
        await renderEdit(e, { sources, output: path.join(dir, `${name}-${r}.mp4`) });
        opMs[name]!.push(performance.now() - t0);
      }
    }
    await timeBaseline();
    const rt = (ms: number) => Number((SECONDS / (ms / 1000)).toFixed(2));
    const base = median(baselineMs);
    const realtime = Object.fromEntries(Object.entries(opMs).map(([k, v]) => [k, rt(median(v))]));
    const vsBaseline = Object.fromEntries(
      Object.entries(opMs).map(([k, v]) => [k, Number((median(v) / base).toFixed(3))]),
    );
    const goals = { trimCopy: 100, grade: 5, speed: 5, stabilize: 1 } as const;
    const met = Object.fromEntries(Object.entries(goals).map(([k, g]) => [k, realtime[k]! >= g]));
    return {
      clip: `${SECONDS}s ${W}x${H}@${FPS}`,
      rounds,
      load1: Number(loadavg()[0]!.toFixed(2)),
      baselineRealtime: rt(base),
      baselineEditPresetRealtime: rt(median(baselineEditMs)),
      realtime,
      /** Operation wall time / baseline wall time (below 1: faster than a plain re-encode). */
      vsBaseline,
      goals,
      met,
      ok: Object.values(met).every(Boolean),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
