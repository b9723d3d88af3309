import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";

/**
 * The visible watermark of downloads: "Reelhouse" and the creator's @username on a translucent
 * pill, sized for a video `videoWidth` wide, written as a PNG (atomically) for ffmpeg's overlay.
 */
export function watermarkPng(username: string, videoWidth: number): Buffer {
  const scale = Math.max(0.5, videoWidth / 720);
  const pad = Math.round(14 * scale);
  const brandSize = Math.round(30 * scale);
  const userSize = Math.round(22 * scale);
  const probe = createCanvas(10, 10).getContext("2d");
  probe.font = `bold ${brandSize}px sans-serif`;
  const brandW = probe.measureText("▶ Reelhouse").width;
  probe.font = `${userSize}px sans-serif`;
  const userW = probe.measureText(`@${username}`).width;
  const w = Math.ceil(Math.max(brandW, userW) + pad * 2);
  const h = Math.ceil(brandSize + userSize + pad * 2.5);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "rgba(0,0,0,0.45)";
  ctx.beginPath();
  ctx.roundRect(0, 0, w, h, Math.round(12 * scale));
  ctx.fill();
  ctx.fillStyle = "rgba(255,255,255,0.92)";
  ctx.textBaseline = "top";
  ctx.font = `bold ${brandSize}px sans-serif`;
  ctx.fillText("▶ Reelhouse", pad, pad);
  ctx.font = `${userSize}px sans-serif`;
  ctx.fillText(`@${username}`, pad, pad + brandSize + pad * 0.5);
  return canvas.toBuffer("image/png");
}

export async function writeWatermark(
  file: string,
  username: string,
  videoWidth: number,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.part-${process.pid}.png`;
  await writeFile(tmp, watermarkPng(username, videoWidth));
  await rename(tmp, file);
}
