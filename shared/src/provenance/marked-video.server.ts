import { randomUUID } from "node:crypto";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { ffmpegToFile } from "../media/ffmpeg.server.ts";
import { probe } from "../media/ffprobe.server.ts";
import { watermarkArgs } from "../social/publish-args.ts";
import { writeWatermark } from "../social/watermark.server.ts";
import { writePattern } from "./invisible-mark.server.ts";
import type { ProvenanceFacts } from "./manifest.ts";
import { readProvenance, signExport } from "./sign.server.ts";

/**
 * The one way a video leaves the product: `source` (an unmarked master) re-encoded with the visible
 * watermark (watermark.server.ts: "Reelhouse" and the creator's @username, bottom-left) and the
 * invisible mark (`payload`, invisible-mark.ts) in one encode, then C2PA-signed into `dest` — signed
 * after the marks, so the manifest's hash covers the marked picture. Intermediate files are hidden
 * siblings of `dest`; `dest` only ever holds a finished, signed file. A `dest` already signed by
 * this instance is kept (a retried step).
 */
export async function writeMarkedVideo(o: {
  source: string;
  dest: string;
  payload: number;
  username: string;
  facts: ProvenanceFacts;
  signal?: AbortSignal;
}): Promise<void> {
  const done = await stat(o.dest).then(
    (s) => s.size > 0,
    () => false,
  );
  if (done && (await readProvenance({ path: o.dest })).state === "ours") return;
  const dir = path.dirname(o.dest);
  const base = path.basename(o.dest, path.extname(o.dest));
  const probed = await probe(o.source, { signal: o.signal });
  const width = probed.video?.width ?? 0;
  const height = probed.video?.height ?? 0;
  if (!width || !height) throw new Error(`${path.basename(o.source)} has no video stream`);
  // Each attempt's own intermediates: two attempts of one step (a zombie and its recovery) may
  // write the same export at once; the last signed rename wins, both are the same picture.
  const attempt = randomUUID().slice(0, 8);
  const png = path.join(dir, `.${base}.${attempt}.watermark.png`);
  const pattern = path.join(dir, `.${base}.${attempt}.mark.yuv`);
  const unsigned = path.join(dir, `.${base}.${attempt}.unsigned.mp4`);
  try {
    await writeWatermark(png, o.username, width);
    await writePattern(pattern, o.payload, width, height);
    await ffmpegToFile(
      unsigned,
      (tmp) =>
        watermarkArgs({
          input: o.source,
          watermark: png,
          output: tmp,
          margin: Math.round(width / 30),
          mark: { pattern, width, height },
        }),
      { signal: o.signal },
    );
    await signExport(unsigned, o.dest, o.facts);
  } finally {
    await Promise.all([png, pattern, unsigned].map((f) => rm(f, { force: true })));
  }
}
