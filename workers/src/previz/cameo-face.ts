import { type Image, loadImage, type SKRSContext2D } from "@napi-rs/canvas";

/**
 * A cast cameo's face drawn on a previz figure: the likeness kit's cutouts (workers/src/cameo/
 * kit.server.ts) placed at the figure's head, picked by where the head turns and whether the mouth
 * is open, and squeezed a little across as the head turns so the turn reads between poses. Only
 * drawing; the renderer decides where the head is and when the person speaks.
 */

export interface CameoFaceKit {
  front: Image;
  mouthOpen: Image;
  mouthClosed: Image;
  left?: Image;
  right?: Image;
  up?: Image;
}

/** Loads a kit from its folder's files (paths as in the cameo's kit manifest, made absolute). */
export async function loadFaceKit(files: {
  face: string;
  mouthOpen: string;
  mouthClosed: string;
  poses: { left?: string; right?: string; up?: string };
}): Promise<CameoFaceKit> {
  const opt = async (f?: string) => (f ? loadImage(f) : undefined);
  return {
    front: await loadImage(files.face),
    mouthOpen: await loadImage(files.mouthOpen),
    mouthClosed: await loadImage(files.mouthClosed),
    left: await opt(files.poses.left),
    right: await opt(files.poses.right),
    up: await opt(files.poses.up),
  };
}

export interface HeadPose {
  /** Centre of the head and its height in pixels. */
  x: number;
  y: number;
  size: number;
  /** -1 (turned fully to the picture's left) … 0 (facing us) … 1 (right). */
  turn: number;
  /** 0..1 upward tilt. */
  lookUp?: number;
  /** Loudness of the person's speech now, 0..1: above a threshold the mouth opens. */
  speech: number;
}

// The envelope is the line's loudness over its peak (times 1.3): above a third the mouth is open, so
// it closes between syllables and on soft sounds, not only between words.
export const MOUTH_OPEN_AT = 0.35;

/** Which cutout to draw for a pose (pure). */
export function pickSprite(kit: CameoFaceKit, p: HeadPose): Image {
  if ((p.lookUp ?? 0) > 0.5 && kit.up) return kit.up;
  if (p.turn < -0.45 && kit.left) return kit.left;
  if (p.turn > 0.45 && kit.right) return kit.right;
  return p.speech >= MOUTH_OPEN_AT ? kit.mouthOpen : kit.mouthClosed;
}

/** Draws the face at the head: the kit's oval cutout, its alpha blending it into the figure. */
export function drawCameoFace(ctx: SKRSContext2D, kit: CameoFaceKit, p: HeadPose): void {
  const img = pickSprite(kit, p);
  const squeeze = 1 - Math.min(0.35, Math.abs(p.turn) * 0.3);
  const h = p.size * 1.15;
  const w = h * squeeze;
  ctx.save();
  ctx.translate(p.x + p.turn * p.size * 0.08, p.y);
  ctx.drawImage(img, -w / 2, -h / 2, w, h);
  ctx.restore();
}

/** A cast cameo on a figure: its kit and the face's colours (for the neck and hands' skin, the hair). */
export interface CameoFace {
  kit: CameoFaceKit;
  skin?: [number, number, number];
  hair?: [number, number, number];
}

/** "#rrggbb" → RGB, or undefined. */
export function hexRGB(hex: string | undefined): [number, number, number] | undefined {
  const m = hex ? /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex) : null;
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : undefined;
}

/**
 * Where the head looks (pure): towards us while the person speaks (so the mouth shows), turned
 * the way the figure travels while it moves, and otherwise glancing the way it faces now and then
 * (a slow cycle, deterministic in the shot's seconds `t`). `facing` 1 is the picture's right.
 */
export function headTurn(o: { facing: number; speaking: boolean; moving: boolean; t: number }) {
  if (o.speaking) return o.facing * 0.15;
  if (o.moving) return o.facing * 0.75;
  const glance = Math.max(0, Math.sin((2 * Math.PI * o.t) / 3.2));
  return o.facing * (0.1 + 0.7 * glance);
}
