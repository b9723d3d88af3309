/**
 * `npm run bench -- watermark [--clips N]`: how robust is the invisible mark
 * (shared/src/provenance/invisible-mark.ts)?
 *
 * N (default 20) previz renders of varied prompts and seeds (landscape and portrait) are each
 * marked with a random payload exactly as publishing does (renditionArgs with `mark`, one encode),
 * then transformed: CRF 35 re-encode, half size, a 10 % crop (90 % of each side kept, at a random
 * offset), and all three. A transformed file counts as detected when `identify` names its own
 * payload among the 20 clips' payloads plus 10 000 random decoys (a stand-in for the posts of an
 * instance). False positives: the unmarked renders and their transformed copies, against the same
 * candidates. Goal: ≥ 95 % detected after each transformation, 0 false positives.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { ffmpegPath } from "@reelhouse/shared/media/ffmpeg-path.server";
import { identify, matchZ } from "@reelhouse/shared/provenance/invisible-mark";
import { detectInFile, writePattern } from "@reelhouse/shared/provenance/invisible-mark.server";
import { renditionArgs, renditionSize } from "@reelhouse/shared/social/publish-args";
import { renderPreviz } from "../workers/src/previz/render.server.ts";

const PROMPTS = [
  "a red fox runs through a snowy forest at dawn",
  "two astronauts talk on the surface of the moon, wide shot",
  "a golden retriever puppy catches a frisbee in a sunlit garden",
  "a neon city street at night in the rain, slow pan",
  "a sailboat on a stormy sea, lightning in the distance",
  "a chef flips pancakes in a busy kitchen, close-up",
  "a cat sleeps on a windowsill while snow falls outside",
  "a skateboarder jumps over stairs in an empty parking lot",
  "a hot air balloon drifts over green hills at sunrise",
  "a robot waters flowers in a greenhouse, soft light",
  "a girl reads a book under a tree in autumn, leaves falling",
  "a busy market in the desert at noon, dolly shot",
  "a whale breaches next to a small boat, aerial view",
  "a knight walks into a dark castle hall holding a torch",
  "kids build a sandcastle on a beach at sunset",
  "a train crosses a bridge over a canyon, tracking shot",
  "an owl flies through a moonlit forest",
  "a dancer spins on an empty stage under a spotlight",
  "a waterfall in a jungle, mist and birds, slow zoom",
  "a penguin slides down an icy hill, comic mood",
  "a lighthouse on a cliff in fog, waves crashing",
  "a man plays guitar on a rooftop at dusk",
  "a bee lands on a sunflower, macro shot",
  "a rocket launches from a pad at night",
];

const pct = (n: number, d: number) => Math.round((1000 * n) / Math.max(1, d)) / 10;

export async function main(args: string[]): Promise<Record<string, unknown>> {
  const i = args.indexOf("--clips");
  const clips = Math.max(1, Math.min(PROMPTS.length, i >= 0 ? Number(args[i + 1]) : 20));
  const dir = await mkdtemp(path.join(tmpdir(), "bench-watermark-"));
  const ffmpeg = ffmpegPath();
  const reencode = (input: string, vf: string | null, crf: number, out: string) => {
    execFileSync(ffmpeg, [
      ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", input],
      ...(vf ? ["-vf", vf] : []),
      ...["-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", String(crf)],
      ...["-pix_fmt", "yuv420p", out],
    ]);
    return out;
  };
  let seed = 20261206;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const transforms: Record<string, (f: string, o: string) => string> = {
    crf35: (f, o) => reencode(f, null, 35, o),
    half: (f, o) => reencode(f, "scale=trunc(iw/4)*2:trunc(ih/4)*2", 23, o),
    crop10: (f, o) =>
      reencode(
        f,
        `crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2:iw*${(rand() * 0.1).toFixed(3)}:ih*${(rand() * 0.1).toFixed(3)}`,
        23,
        o,
      ),
    all: (f, o) =>
      reencode(
        f,
        `crop=trunc(iw*0.45)*2:trunc(ih*0.45)*2:iw*${(rand() * 0.1).toFixed(3)}:ih*${(rand() * 0.1).toFixed(3)},scale=trunc(iw/4)*2:trunc(ih/4)*2`,
        35,
        o,
      ),
  };
  const names = ["none", ...Object.keys(transforms)];
  const payloads = Array.from({ length: clips }, () => Math.floor(rand() * 2 ** 32) >>> 0);
  const candidates = [
    ...payloads,
    ...Array.from({ length: 10_000 }, () => Math.floor(rand() * 2 ** 32) >>> 0),
  ];
  const detected: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const falsePos: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const minZ: Record<string, number> = Object.fromEntries(names.map((n) => [n, Infinity]));
  let maxNullZ = -Infinity;
  const started = performance.now();
  try {
    for (let c = 0; c < clips; c++) {
      const portrait = c % 3 !== 2;
      const req = generationRequestSchema.parse({
        prompt: { text: PROMPTS[c] },
        durationSeconds: 4,
        size: portrait ? "720x1280" : "1280x720",
        seed: c * 7 + 1,
      });
      const work = path.join(dir, `clip-${c}`);
      await mkdir(work, { recursive: true });
      const src = (
        await renderPreviz(req, {
          workDir: work,
          signal: new AbortController().signal,
          onProgress: () => {},
        })
      ).videoPath;
      const { width, height } = renditionSize(portrait ? 720 : 1280, portrait ? 1280 : 720, 720);
      const pattern = path.join(work, "mark.yuv");
      await writePattern(pattern, payloads[c] as number, width, height);
      const marked = path.join(work, "marked.mp4");
      execFileSync(
        ffmpeg,
        renditionArgs({
          input: src,
          output: marked,
          maxWidth: 720,
          mark: { pattern, width, height },
        }),
      );
      const unmarked = path.join(work, "unmarked.mp4");
      execFileSync(ffmpeg, renditionArgs({ input: src, output: unmarked, maxWidth: 720 }));
      const row: string[] = [];
      for (const n of names) {
        const t = transforms[n];
        const m = t ? t(marked, path.join(work, `m-${n}.mp4`)) : marked;
        const u = t ? t(unmarked, path.join(work, `u-${n}.mp4`)) : unmarked;
        const detM = await detectInFile(m);
        const dm = identify(detM, candidates);
        const detU = await detectInFile(u);
        const du = identify(detU, candidates);
        for (const cand of candidates) maxNullZ = Math.max(maxNullZ, matchZ(detU.z, cand));
        if (dm?.payload === payloads[c]) detected[n] = (detected[n] as number) + 1;
        if (du) falsePos[n] = (falsePos[n] as number) + 1;
        // The true payload's match strength, found or not (to see how close a miss was).
        const zm = matchZ(detM.z, payloads[c] as number);
        minZ[n] = Math.min(minZ[n] as number, zm);
        row.push(
          `${n}:${dm?.payload === payloads[c] ? "ok" : "MISS"}(${zm.toFixed(1)})${du ? " FP" : ""}`,
        );
      }
      process.stderr.write(
        `clip ${c + 1}/${clips} ${portrait ? "portrait " : "landscape"} ${row.join(" ")}\n`,
      );
      await rm(work, { recursive: true, force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const rate = Object.fromEntries(names.map((n) => [n, pct(detected[n] as number, clips)]));
  const fpRate = pct(
    Object.values(falsePos).reduce((a, b) => a + b, 0),
    clips * names.length,
  );
  console.log("\ntransformation | detected | rate % | min match z | false positives (unmarked)");
  for (const n of names)
    console.log(
      `${n.padEnd(14)} | ${String(detected[n]).padStart(3)}/${clips} | ${String(rate[n]).padStart(6)} | ${(minZ[n] as number).toFixed(1).padStart(11)} | ${falsePos[n]}/${clips}`,
    );
  const ok = names.every((n) => (rate[n] as number) >= 95) && fpRate === 0;
  return {
    clips,
    candidates: candidates.length,
    detectionRatePct: rate,
    falsePositiveRatePct: fpRate,
    maxUnmarkedMatchZ: Math.round(maxNullZ * 100) / 100,
    seconds: Math.round((performance.now() - started) / 1000),
    load: loadavg()[0],
    ok,
  };
}
