import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CameoAnalysis } from "@reelhouse/shared/cameos/analyzer.server";
import type { CastCameo } from "@reelhouse/shared/cameos/kits.server";
import { cosine, LIKENESS_THRESHOLD } from "@reelhouse/shared/cameos/likeness";
import type { LivenessPlan } from "@reelhouse/shared/cameos/liveness";
import { medianPitch } from "@reelhouse/shared/cameos/voice";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { runFfmpeg } from "@reelhouse/shared/media/ffmpeg.server";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { analyzeRecording } from "../cameo/analyze.server.ts";
import { detectFace } from "../cameo/face.server.ts";
import { buildFootage } from "../cameo/footage.server.ts";
import { renderPreviz } from "./render.server.ts";

/**
 * A cast cameo in a previz render, end to end on the worker: a real likeness kit made by the face
 * model from real face imagery (the portrait @vladmandic/human ships, tilted into head turns by
 * ffmpeg, see workers/src/cameo/footage.server.ts), cast as "the barista", rendered, decoded, and
 * the face model finds that same face on the figure's head in the frames; the mouth sprite opens
 * and closes with the barista's line, which is spoken at the cameo's measured pitch.
 * CAMEO_FRAMES_DIR=dir keeps the frames looked at.
 */

vi.setConfig({ testTimeout: 600_000, hookTimeout: 600_000 });
const W = 720;
const H = 1280;
const plan: LivenessPlan = {
  baselineEndS: 1,
  prompts: [
    { kind: "right", startS: 1, endS: 2 },
    { kind: "digits", startS: 2, endS: 3, digits: "4071" },
    { kind: "left", startS: 3, endS: 4 },
    { kind: "up", startS: 4, endS: 5 },
  ],
};
const PROMPT = '@mia as the barista says "Hello, your coffee is ready, enjoy it" in a cafe';

let root: string;
let analysis: CameoAnalysis;
let cameo: CastCameo;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "rh-previz-cameo-"));
  const dir = path.join(root, "cameos", randomUUID());
  await mkdir(dir, { recursive: true });
  const recording = path.join(dir, "recording.webm");
  await buildFootage({
    out: recording,
    poses: ["center", "right", "center", "left", "up"],
    speech: [2],
  });
  analysis = await analyzeRecording({
    recording,
    container: "webm",
    kind: "person",
    width: 640,
    height: 480,
    plan,
    kitDir: path.join(dir, "kit"),
  });
  const kit = analysis.kit!;
  const abs = (f: string) => path.join(dir, f);
  cameo = {
    cameoId: randomUUID(),
    name: "mia",
    role: "The barista",
    files: {
      face: abs(kit.face),
      mouthOpen: abs(kit.mouthOpen),
      mouthClosed: abs(kit.mouthClosed),
      poses: Object.fromEntries(Object.entries(kit.poses).map(([k, v]) => [k, abs(v!)])),
    },
    colors: kit.colors,
    voice: analysis.voice,
  };
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function render(name: string, cameos: CastCameo[], prompt = PROMPT) {
  const workDir = path.join(root, name);
  await mkdir(workDir, { recursive: true });
  return renderPreviz(
    generationRequestSchema.parse({ prompt: { text: prompt }, durationSeconds: 4, seed: 7 }),
    { workDir, signal: new AbortController().signal, onProgress: () => {}, cameos },
  );
}

/** Frame `n` of a video as RGB (ffmpeg's select filter, raw RGB on stdout). */
async function frameRgb(file: string, n: number): Promise<Uint8Array> {
  const { stdout } = await runFfmpeg(
    [
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-i",
      file,
      "-vf",
      `select=eq(n\\,${n})`,
      "-frames:v",
      "1",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-",
    ],
    { captureStdout: true },
  );
  expect(stdout.length).toBe(W * H * 3);
  return new Uint8Array(stdout);
}

async function keep(name: string, rgb: Uint8Array) {
  const out = process.env.CAMEO_FRAMES_DIR;
  if (!out) return;
  await mkdir(out, { recursive: true });
  await sharp(Buffer.from(rgb), { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(path.join(out, name));
}

/** How many pixels of a box of an RGB image are dark (luma below 55). */
function darkPixels(
  rgb: Uint8Array,
  width: number,
  box: { x: number; y: number; w: number; h: number },
) {
  let n = 0;
  for (let y = Math.round(box.y); y < box.y + box.h; y++)
    for (let x = Math.round(box.x); x < box.x + box.w; x++) {
      const i = (y * width + x) * 3;
      if (0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]! < 55) n++;
    }
  return n;
}

describe("previz draws a cast cameo", () => {
  it("puts the cameo's face on the barista's head, moves its mouth with the line, in its voice", async () => {
    expect(analysis.liveness.ok).toBe(true);
    const r = await render("cast", [cameo]);
    const meta = r.metadata as {
      cameos: { cameoId: string; subject: number | null }[];
      dialogue: { subject: number; startFrame: number; endFrame: number }[];
      spec: {
        subjects: { noun: string; kind: string; place: { x: number; y: number; size: number } }[];
      };
    };
    expect(meta.cameos).toEqual([{ cameoId: cameo.cameoId, subject: 0 }]);
    expect(meta.spec.subjects[0]).toMatchObject({ noun: "barista", kind: "person" });
    const line = meta.dialogue.find((d) => d.subject === 0)!;
    expect(line.endFrame - line.startFrame).toBeGreaterThan(15);

    // The face model finds the cameo's own face in the frames, on the upper part of the figure.
    const place = meta.spec.subjects[0]!.place;
    const top = (place.y - place.size / 2) * H;
    const frames: number[] = [];
    for (let f = line.startFrame + 2; f < line.endFrame - 1; f += 3) frames.push(f);
    let found = 0;
    let box: [number, number, number, number] | null = null;
    for (const f of frames) {
      const rgb = await frameRgb(r.videoPath, f);
      if (f === frames[0] || f === frames[Math.floor(frames.length / 2)])
        await keep(`cast-${f}.png`, rgb);
      const face = await detectFace(rgb, W, H, { embedding: found === 0 });
      if (face) {
        const [x, y, w, h] = face.box;
        const cx = x + w / 2;
        const cy = y + h / 2;
        expect(Math.abs(cx - place.x * W)).toBeLessThan(place.size * H * 0.3);
        expect(cy).toBeGreaterThan(top - h);
        expect(cy).toBeLessThan(top + place.size * H * 0.35);
        if (found === 0) {
          expect(cosine(face.embedding, analysis.embedding)).toBeGreaterThanOrEqual(
            LIKENESS_THRESHOLD,
          );
          box = face.box;
        }
        found++;
      }
    }
    expect(found).toBeGreaterThanOrEqual(Math.ceil(frames.length / 2));
    // The mouth: every frame of the line, cut to the face the model found; the open sprite's
    // dark mouth darkens the lips' region, the closed one does not, and both are seen.
    const [bx, by, bw, bh] = box!.map(Math.round) as [number, number, number, number];
    const cw = bw + (bw % 2);
    const ch = bh + (bh % 2);
    const crops = await runFfmpeg(
      [
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        r.videoPath,
        "-vf",
        `select=between(n\\,${line.startFrame}\\,${line.endFrame - 1}),crop=${cw}:${ch}:${bx}:${by}`,
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
      ],
      { captureStdout: true },
    );
    const per = cw * ch * 3;
    // Dark pixels around the lips: the open sprite's mouth adds a few hundred, the closed none.
    const dark: number[] = [];
    for (let i = 0; (i + 1) * per <= crops.stdout.length; i++) {
      const c = new Uint8Array(crops.stdout.buffer, crops.stdout.byteOffset + i * per, per);
      dark.push(darkPixels(c, cw, { x: cw * 0.3, y: ch * 0.35, w: cw * 0.4, h: ch * 0.35 }));
    }
    expect(dark.length).toBe(line.endFrame - line.startFrame);
    const lo = Math.min(...dark);
    const hi = Math.max(...dark);
    expect(hi - lo).toBeGreaterThan(cw * ch * 0.004);
    const open = dark.filter((v) => v > (lo + hi) / 2).length;
    expect(open).toBeGreaterThan(3);
    expect(dark.length - open).toBeGreaterThan(3);

    // The line is spoken at the cameo's pitch: its recording buzzed at 120 Hz.
    const { stdout } = await runFfmpeg(
      [
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        r.videoPath,
        "-ac",
        "1",
        "-ar",
        "16000",
        "-f",
        "f32le",
        "-",
      ],
      { captureStdout: true },
    );
    const pcm = new Float32Array(Uint8Array.from(stdout.subarray(0, stdout.length & ~3)).buffer);
    const from = Math.round((line.startFrame / 30) * 16000);
    const to = Math.round((line.endFrame / 30) * 16000);
    const f0 = medianPitch(pcm.subarray(from, to), 16000)!;
    expect(f0).toBeGreaterThan(90);
    expect(f0).toBeLessThan(160);
  });

  it("a figure without a cameo keeps its drawn head (no face found there)", async () => {
    const r = await render("plain", []);
    const meta = r.metadata as {
      cameos: unknown[];
      dialogue: { startFrame: number; endFrame: number }[];
    };
    expect(meta.cameos).toEqual([]);
    const d = meta.dialogue[0]!;
    const rgb = await frameRgb(r.videoPath, Math.round((d.startFrame + d.endFrame) / 2));
    await keep("plain.png", rgb);
    expect(await detectFace(rgb, W, H)).toBeNull();
  });

  it("refuses more cameos in one shot than the limit", async () => {
    const many = [1, 2, 3, 4].map((i) => ({ ...cameo, cameoId: randomUUID(), name: `p${i}` }));
    await expect(render("many", many)).rejects.toMatchObject(
      new GenerationError(
        "cameo_too_many",
        "A shot can cast at most 3 cameos; this one casts 4.",
        false,
      ),
    );
  });
});
