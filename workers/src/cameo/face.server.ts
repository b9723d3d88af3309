import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The face model: @vladmandic/human (face detector, 468-point mesh with head pose, anti-spoof,
 * liveness and a 1024-value description embedding), run on TensorFlow.js's WASM backend. Every
 * model file ships inside the @vladmandic/human package (models/) and the WASM binaries inside
 * @tensorflow/tfjs-backend-wasm (dist/); both are read from disk, nothing is downloaded. TF.js
 * loads models and WASM with fetch, which in Node cannot read file:// URLs, so loading goes
 * through a fetch that serves exactly those two folders and refuses anything else.
 */

const require = createRequire(import.meta.url);
const humanDir = path.resolve(path.dirname(require.resolve("@vladmandic/human")), "..");
const wasmDir = path.join(
  path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
  "dist",
);

export interface FaceResult {
  box: [number, number, number, number];
  score: number;
  yaw: number;
  pitch: number;
  roll: number;
  real: number;
  live: number;
  /** Inner-lip gap over face height (0 closed, ~0.1 wide open). */
  mouthOpen: number;
  /** The lips in the frame's pixels: the centre between them and the mouth's width (corners 61/291). */
  lips: { x: number; y: number; width: number } | null;
  embedding: number[];
}

type HumanLike = {
  load(): Promise<void>;
  warmup?(): Promise<unknown>;
  detect(input: unknown, config?: unknown): Promise<{ face: HumanFace[]; error?: string | null }>;
  tf: {
    tensor3d(
      data: Uint8Array,
      shape: [number, number, number],
      dtype: "int32",
    ): { dispose(): void };
  };
};
type HumanFace = {
  box: [number, number, number, number];
  score: number;
  real?: number;
  live?: number;
  rotation?: { angle: { yaw: number; pitch: number; roll: number } } | null;
  mesh: [number, number, number?][];
  embedding?: number[];
};

let loading: Promise<HumanLike> | undefined;

function allowedFile(url: string): string | null {
  if (!url.startsWith("file://")) return null;
  const file = path.resolve(new URL(url).pathname);
  for (const dir of [humanDir, wasmDir]) if (file.startsWith(dir + path.sep)) return file;
  return null;
}

async function load(): Promise<HumanLike> {
  const realFetch = globalThis.fetch;
  // Serves the two model folders; anything else is what it was.
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const file = allowedFile(url);
    if (url.startsWith("file://") && !file) throw new Error(`face model: refusing to read ${url}`);
    if (file) return new Response(new Uint8Array(await readFile(file)), { status: 200 });
    return realFetch(input, init);
  }) as typeof fetch;
  const mod = require(path.join(humanDir, "dist", "human.node-wasm.js")) as {
    Human: new (config: unknown) => HumanLike;
  };
  const human = new mod.Human({
    backend: "wasm",
    wasmPath: `${pathToFileURL(wasmDir).href}/`,
    modelBasePath: `${pathToFileURL(path.join(humanDir, "models")).href}/`,
    debug: false,
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 1, minConfidence: 0.3 },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true },
      emotion: { enabled: false },
      antispoof: { enabled: true },
      liveness: { enabled: true },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  });
  await human.load();
  return human;
}

/** The loaded model (once per process). */
export function faceModel(): Promise<HumanLike> {
  loading ??= load().catch((err) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** The most confident face in an RGB frame, or null. */
export async function detectFace(
  rgb: Uint8Array,
  width: number,
  height: number,
  opts: { embedding?: boolean } = {},
): Promise<FaceResult | null> {
  const human = await faceModel();
  const t = human.tf.tensor3d(rgb, [height, width, 3], "int32");
  try {
    // The description model (the embedding) is the slowest part: only where it is asked for.
    const r = await human.detect(t, {
      face: { description: { enabled: opts.embedding === true } },
    });
    if (r.error) throw new Error(`face model: ${r.error}`);
    const f = r.face[0];
    if (!f) return null;
    const m = f.mesh;
    // Mesh points 13/14: inner upper/lower lip; 10/152: forehead top and chin.
    const gap = m[13] && m[14] ? Math.abs(m[14][1] - m[13][1]) : 0;
    const faceH = m[10] && m[152] ? Math.abs(m[152][1] - m[10][1]) : f.box[3];
    return {
      box: f.box,
      score: f.score,
      yaw: f.rotation?.angle.yaw ?? 0,
      pitch: f.rotation?.angle.pitch ?? 0,
      roll: f.rotation?.angle.roll ?? 0,
      real: f.real ?? 0,
      live: f.live ?? 0,
      mouthOpen: faceH > 0 ? gap / faceH : 0,
      lips:
        m[13] && m[14] && m[61] && m[291]
          ? {
              x: (m[13][0] + m[14][0]) / 2,
              y: (m[13][1] + m[14][1]) / 2,
              width: Math.abs(m[291][0] - m[61][0]),
            }
          : null,
      embedding: f.embedding ?? [],
    };
  } finally {
    t.dispose();
  }
}

/** The embedding of the most confident face in an image file (for the likeness guard). */
export async function embedImageFile(file: string): Promise<number[] | null> {
  const { default: sharp } = await import("sharp");
  const { data, info } = await sharp(file)
    .resize(640, 640, { fit: "inside", withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const f = await detectFace(new Uint8Array(data), info.width, info.height, { embedding: true });
  return f?.embedding.length ? f.embedding : null;
}
