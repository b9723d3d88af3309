import path from "node:path";
import type { KitManifest } from "@reelhouse/shared/cameos/analyzer.server";
import type { LivenessPlan } from "@reelhouse/shared/cameos/liveness";
import sharp from "sharp";
import type { SampledFrame } from "./analyze.server.ts";

/**
 * The likeness kit from the sampled frames: a frontal face cutout (an oval with soft edges, PNG
 * with alpha), the face with the mouth closed and open, the head turned left, right and up, and
 * the face's colours (skin from the cheeks, hair from above the brow).
 */

export const KIT_SIZE = 256;

function ovalMask(size: number): Buffer {
  const r = size / 2;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs><radialGradient id="g" cx="50%" cy="50%" r="50%"><stop offset="86%" stop-color="#fff" stop-opacity="1"/><stop offset="100%" stop-color="#fff" stop-opacity="0"/></radialGradient></defs><ellipse cx="${r}" cy="${r}" rx="${r * 0.8}" ry="${r}" fill="url(#g)"/></svg>`,
  );
}

function cropBox(f: SampledFrame, size: { width: number; height: number }) {
  const [x, y, w, h] = f.face!.box;
  const side = Math.min(Math.max(w, h) * 1.25, size.width, size.height);
  const cx = x + w / 2;
  const cy = y + h / 2 - h * 0.05;
  const left = Math.round(Math.min(Math.max(0, cx - side / 2), size.width - side));
  const top = Math.round(Math.min(Math.max(0, cy - side / 2), size.height - side));
  return { left, top, width: Math.round(side), height: Math.round(side) };
}

/**
 * An open mouth drawn between the lips (kit pixels): a dark oval as wide as half the mouth, for a
 * recording in which the mouth never visibly opened (the speech then still moves the lips).
 */
function openMouth(f: SampledFrame, box: ReturnType<typeof cropBox>): Buffer | null {
  const lips = f.face!.lips;
  if (!lips) return null;
  const k = KIT_SIZE / box.width;
  const cx = (lips.x - box.left) * k;
  const cy = (lips.y - box.top) * k;
  const rx = Math.max(6, lips.width * k * 0.4);
  const ry = rx * 0.7;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${KIT_SIZE}" height="${KIT_SIZE}"><ellipse cx="${cx}" cy="${cy + ry * 0.3}" rx="${rx}" ry="${ry}" fill="#240709" stroke="#6a242c" stroke-width="${Math.max(1, rx * 0.12)}"/><ellipse cx="${cx}" cy="${cy - ry * 0.45}" rx="${rx * 0.6}" ry="${ry * 0.16}" fill="#e9e2dc"/></svg>`,
  );
}

async function cutout(
  f: SampledFrame,
  size: { width: number; height: number },
  file: string,
  drawOpenMouth = false,
) {
  const raw = sharp(Buffer.from(f.rgb), {
    raw: { width: size.width, height: size.height, channels: 3 },
  });
  const box = cropBox(f, size);
  let face = await raw.extract(box).resize(KIT_SIZE, KIT_SIZE).png().toBuffer();
  const mouth = drawOpenMouth ? openMouth(f, box) : null;
  if (mouth)
    face = await sharp(face)
      .composite([{ input: mouth }])
      .png()
      .toBuffer();
  await sharp(face)
    .ensureAlpha()
    .composite([{ input: ovalMask(KIT_SIZE), blend: "dest-in" }])
    .png()
    .toFile(file);
  return mouth !== null;
}

/** The lip gap (over face height) below which a sampled mouth counts as not visibly open. */
export const OPEN_MOUTH_SEEN = 0.04;

async function meanColor(
  f: SampledFrame,
  size: { width: number; height: number },
  region: "skin" | "hair",
) {
  const [x, y, w, h] = f.face!.box;
  const box =
    region === "skin"
      ? { left: x + w * 0.3, top: y + h * 0.45, width: w * 0.4, height: h * 0.2 }
      : {
          left: x + w * 0.25,
          top: Math.max(0, y - h * 0.12),
          width: w * 0.5,
          height: Math.max(2, h * 0.1),
        };
  const b = {
    left: Math.max(0, Math.round(box.left)),
    top: Math.max(0, Math.round(box.top)),
    width: Math.max(1, Math.min(Math.round(box.width), size.width - Math.round(box.left))),
    height: Math.max(1, Math.min(Math.round(box.height), size.height - Math.round(box.top))),
  };
  const s = await sharp(Buffer.from(f.rgb), {
    raw: { width: size.width, height: size.height, channels: 3 },
  })
    .extract(b)
    .stats();
  const hex = (v: number) => Math.round(v).toString(16).padStart(2, "0");
  return `#${hex(s.channels[0]!.mean)}${hex(s.channels[1]!.mean)}${hex(s.channels[2]!.mean)}`;
}

export async function writeKit(
  dir: string,
  frames: SampledFrame[],
  size: { width: number; height: number },
  plan: LivenessPlan | null,
): Promise<KitManifest> {
  const by = (score: (f: SampledFrame) => number, pool = frames) =>
    pool.reduce((a, b) => (score(b) > score(a) ? b : a));
  const front = by((f) => -(Math.abs(f.face!.yaw) + Math.abs(f.face!.pitch)));
  const near = frames.filter((f) => Math.abs(f.face!.yaw - front.face!.yaw) < 0.06);
  const closed = by((f) => -f.face!.mouthOpen, near);
  const open = by((f) => f.face!.mouthOpen, near);
  await cutout(front, size, path.join(dir, "face.png"));
  await cutout(closed, size, path.join(dir, "mouth-closed.png"));
  // A recording whose mouth never visibly opened (a closed-lipped reader, or our still-portrait
  // test footage) gets its open mouth drawn on the closed frame, so lip movement still shows.
  const seen = open.face!.mouthOpen - closed.face!.mouthOpen >= OPEN_MOUTH_SEEN;
  const mouthDrawn = seen
    ? false
    : await cutout(closed, size, path.join(dir, "mouth-open.png"), true);
  if (seen || !mouthDrawn) await cutout(open, size, path.join(dir, "mouth-open.png"));
  const poses: KitManifest["poses"] = {};
  if (plan) {
    const base = front.face!;
    const pick = {
      left: by((f) => base.yaw - f.face!.yaw),
      right: by((f) => f.face!.yaw - base.yaw),
      up: by((f) => base.pitch - f.face!.pitch),
    };
    for (const [k, f] of Object.entries(pick) as [keyof typeof pick, SampledFrame][]) {
      await cutout(f, size, path.join(dir, `pose-${k}.png`));
      poses[k] = `pose-${k}.png`;
    }
  }
  return {
    face: "face.png",
    mouthClosed: "mouth-closed.png",
    mouthOpen: "mouth-open.png",
    poses,
    mouthDrawn,
    colors: {
      skin: await meanColor(front, size, "skin"),
      hair: await meanColor(front, size, "hair"),
    },
  };
}
