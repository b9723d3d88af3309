import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { ffmpegToFile } from "@reelhouse/shared/media/ffmpeg.server";
import { posterArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { probe } from "@reelhouse/shared/media/ffprobe.server";
import { dataDir } from "@reelhouse/shared/paths.server";
import { publishSourceFacts } from "@reelhouse/shared/provenance/facts.server";
import type { ExportKind } from "@reelhouse/shared/provenance/manifest";
import { signExport } from "@reelhouse/shared/provenance/sign.server";
import { renditionArgs, watermarkArgs } from "@reelhouse/shared/social/publish-args";
import { writeWatermark } from "@reelhouse/shared/social/watermark.server";
import { stepSignal } from "./cancel.ts";
import { stepPool } from "./context.ts";

/**
 * Publish media: the feed rendition (≤ 720 wide), its poster, and the download with a visible
 * watermark. Outputs live in DATA_DIR/posts/<draft id>/, keyed by the workflow (one publish per
 * draft), each renamed into place only when complete, so a retried step skips finished files.
 * Each file is encoded to a hidden unsigned sibling, then C2PA-signed into its final name (so the
 * final name only ever holds a signed file) and the unsigned one removed.
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

  const video = path.join(dir, "feed.mp4");
  if (!(await exists(video))) {
    await ffmpegToFile(
      unsigned("feed.mp4"),
      (tmp) => renditionArgs({ input: source, output: tmp, maxWidth: 720 }),
      { signal },
    );
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
    const u = await stepPool().query<{ username: string }>(
      "SELECT username FROM users WHERE id = $1",
      [o.userId],
    );
    const mark = path.join(dir, "watermark.png");
    await writeWatermark(mark, u.rows[0]?.username ?? "reelhouse", width);
    await ffmpegToFile(
      unsigned("download.mp4"),
      (tmp) =>
        watermarkArgs({
          input: source,
          watermark: mark,
          output: tmp,
          margin: Math.round(width / 30),
        }),
      { signal },
    );
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
