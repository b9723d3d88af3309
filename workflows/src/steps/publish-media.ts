import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { posterArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { publishSourceFacts } from "@reelhouse/shared/provenance/facts.server";
import { payloadOf } from "@reelhouse/shared/provenance/invisible-mark";
import { writePattern } from "@reelhouse/shared/provenance/invisible-mark.server";
import type { ExportKind } from "@reelhouse/shared/provenance/manifest";
import { signExport } from "@reelhouse/shared/provenance/sign.server";
import { renditionArgs, renditionSize, watermarkArgs } from "@reelhouse/shared/social/publish-args";
import { writeWatermark } from "@reelhouse/shared/social/watermark.server";
import { stepSignal } from "./cancel.ts";
import { stepPool } from "./context.ts";

/**
 * Publish media: the feed rendition (≤ 720 wide), its poster, and the download with a visible
 * watermark. Outputs live in DATA_DIR/posts/<draft id>/, keyed by the workflow (one publish per
 * draft), each renamed into place only when complete, so a retried step skips finished files.
 * The feed rendition and the download carry the visible watermark (watermark.server.ts) and the
 * invisible mark (shared/src/provenance/invisible-mark.ts), both applied by the encode that writes
 * them; the poster is a frame of the marked rendition. Each file is encoded to a hidden unsigned
 * sibling, then C2PA-signed into its final name (so the final name only ever holds a signed file)
 * and the unsigned one removed.
 */

export type PublishMedia = {
  videoPath: string;
  posterPath: string;
  downloadPath: string;
  width: number;
  height: number;
};

const exists = async (p: string) =>
  stat(p).then(
    (s) => s.size > 0,
    () => false,
  );

export async function publishMediaStep(o: {
  draftId: string;
  userId: string;
  sourcePath: string;
  remixOf?: string | null;
}): Promise<PublishMedia> {
  const relDir = path.join("posts", o.draftId);
  const dir = path.join(dataDir(), relDir);
  await mkdir(dir, { recursive: true });
  const source = path.isAbsolute(o.sourcePath) ? o.sourcePath : path.join(dataDir(), o.sourcePath);
  const signal = stepSignal();
  const probed = await probe(source, { signal });
  const width = probed.video?.width ?? 720;
  const facts = await publishSourceFacts(stepPool(), o.draftId, o.remixOf ?? null);
  const sign = async (unsigned: string, dest: string, kind: ExportKind) => {
    await signExport(unsigned, dest, {
      ...facts,
      kind,
      format: dest.endsWith(".jpg") ? "image/jpeg" : "video/mp4",
      title: path.basename(dest),
    });
    await rm(unsigned, { force: true });
  };
  const unsigned = (f: string) => path.join(dir, `.unsigned-${f}`);
  // The invisible mark ties the picture to this post: the draft's id names its publish workflow.
  const payload = payloadOf(o.draftId);
  const pattern = async (name: string, w: number, h: number) => {
    const file = path.join(dir, `.mark-${name}.yuv`);
    await writePattern(file, payload, w, h);
    return { pattern: file, width: w, height: h };
  };
  const height = probed.video?.height ?? 1280;

  const username = async () =>
    (
      await stepPool().query<{ username: string }>("SELECT username FROM users WHERE id = $1", [
        o.userId,
      ])
    ).rows[0]?.username ?? "reelhouse";

  const video = path.join(dir, "feed.mp4");
  if (!(await exists(video))) {
    // The feed rendition is what the post page and the embed play (and anyone can save): it gets
    // the visible mark too, drawn for its own width.
    const size = renditionSize(width, height, 720);
    const mark = await pattern("feed", size.width, size.height);
    const png = path.join(dir, ".watermark-feed.png");
    await writeWatermark(png, await username(), size.width);
    await ffmpegToFile(
      unsigned("feed.mp4"),
      (tmp) =>
        renditionArgs({
          input: source,
          output: tmp,
          maxWidth: 720,
          mark,
          watermark: { png, margin: Math.round(size.width / 30) },
        }),
      { signal },
    );
    await rm(mark.pattern, { force: true });
    await rm(png, { force: true });
    await sign(unsigned("feed.mp4"), video, "post-video");
  }
  const poster = path.join(dir, "poster.jpg");
  if (!(await exists(poster))) {
    await ffmpegToFile(
      unsigned("poster.jpg"),
      (tmp) =>
        posterArgs({
          input: video,
          output: tmp,
          atSeconds: Math.min(1, probed.durationSeconds / 3),
          width: Math.min(720, width),
        }),
      {
        signal,
      },
    );
    await sign(unsigned("poster.jpg"), poster, "post-poster");
  }
  const download = path.join(dir, "download.mp4");
  if (!(await exists(download))) {
    const mark = path.join(dir, "watermark.png");
    await writeWatermark(mark, await username(), width);
    const hidden = await pattern("download", width, height);
    await ffmpegToFile(
      unsigned("download.mp4"),
      (tmp) =>
        watermarkArgs({
          input: source,
          watermark: mark,
          output: tmp,
          margin: Math.round(width / 30),
          mark: hidden,
        }),
      { signal },
    );
    await rm(hidden.pattern, { force: true });
    await sign(unsigned("download.mp4"), download, "post-download");
  }
  const out = await probe(video, { signal });
  return {
    videoPath: path.join(relDir, "feed.mp4"),
    posterPath: path.join(relDir, "poster.jpg"),
    downloadPath: path.join(relDir, "download.mp4"),
    width: out.video?.width ?? width,
    height: out.video?.height ?? 0,
  };
}
