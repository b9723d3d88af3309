import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Image, loadImage } from "@napi-rs/canvas";
import {
  GenerationError,
  type GenerationResult,
  type RenderContext,
} from "@reelhouse/shared/generation/backend";
import { type GenerationRequest, parseSize } from "@reelhouse/shared/generation/request";
import { FfmpegError, ffmpegPipeToFile, tempPathFor } from "@reelhouse/shared/media/ffmpeg.server";
import { encodeRawVideoArgs } from "@reelhouse/shared/media/ffmpeg-args";
import { posterSize, spriteInfo, thumbnailFrames } from "@reelhouse/shared/media/thumbnails";
import { encodeWav } from "@reelhouse/shared/media/wav";
import { asPeople, placeCameos } from "./cameo-cast.ts";
import { type CameoFace, hexRGB, loadFaceKit } from "./cameo-face.ts";
import { PictureRenderer, ThumbnailSheet } from "./picture.ts";
import { mouthEnvelope, renderSoundtrack, SAMPLE_RATE, type Speech } from "./sound.ts";
import { buildTimeline } from "./timeline.ts";
import { speak, trimSilence, voiceFor } from "./tts.server.ts";
import { understand } from "./understand.ts";

/**
 * The `previz` backend: prompt → shot spec → timeline → soundtrack (WAV) and picture (frames piped
 * to ffmpeg while the next one is drawn) → MP4. Deterministic: the same request and seed give a
 * byte-identical file.
 */

export interface PrevizOptions {
  /**
   * Fraction of the output size the frames are drawn at (default 1: drawn at the output size, so
   * every edge is sharp). Below 1 ffmpeg scales them up (bilinear) — only for experiments.
   */
  internalScale?: number;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export async function renderPreviz(
  request: GenerationRequest,
  ctx: RenderContext,
  opts: PrevizOptions = {},
): Promise<GenerationResult> {
  const started = performance.now();
  // "@mia as the barista": understanding reads "the barista"; the cast cameo goes on that figure.
  const understood = understand(request.prompt);
  const placed = placeCameos(understood, ctx.cameos ?? []);
  const spec = asPeople(understood, new Set(placed.bySubject.keys()));
  const faces = new Map<number, CameoFace>();
  for (const [subject, c] of placed.bySubject) {
    try {
      faces.set(subject, {
        kit: await loadFaceKit(c.files),
        skin: hexRGB(c.colors.skin),
        hair: hexRGB(c.colors.hair),
      });
    } catch (err) {
      throw new GenerationError(
        "cameo_kit_missing",
        `The likeness kit of @${c.name} could not be read: ${(err as Error).message}`,
        false,
      );
    }
  }
  const { width, height } = parseSize(request.size);
  const fps = request.fps;
  const scale = opts.internalScale ?? 1;
  const iw = even(width * scale);
  const ih = even(height * scale);
  ctx.onProgress(0, "understanding");

  // Speech first: its real length sets the dialogue spans on the timeline.
  const speech: Speech[] = [];
  for (const line of spec.audio.dialogue) {
    if (ctx.signal.aborted) throw cancelled();
    // A cameo speaks in its own voice: the eSpeak variant and pitch measured from its recording.
    const cameoVoice = placed.bySubject.get(line.subject)?.voice;
    const samples = trimSilence(
      await speak(line.text, line.speaker, {
        slow: spec.pacing === "slow-motion",
        voice:
          cameoVoice?.variant ??
          voiceFor(line.speaker, {
            sex: spec.subjects[line.subject]?.sex,
            index: line.subject,
          }),
        ...(cameoVoice ? { pitch: cameoVoice.pitch } : {}),
      }),
    );
    speech.push({ samples });
  }
  const timeline = buildTimeline(spec, {
    durationSeconds: request.durationSeconds,
    planSeconds: request.planSeconds,
    fps,
    seed: request.seed,
    speechSeconds: speech.map((s) => s.samples.length / SAMPLE_RATE),
  });

  const track = renderSoundtrack(spec, timeline, speech);
  const audioPath = path.join(ctx.workDir, "previz-audio.wav");
  await writeFile(audioPath, encodeWav([track.left, track.right], SAMPLE_RATE));
  ctx.onProgress(0.05, "sound");

  // Mouth opening per frame for whoever is speaking.
  const mouths = timeline.dialogue.map((d, i) => ({
    d,
    env: mouthEnvelope(speech[i]!.samples, fps),
  }));
  const mouth = (subject: number, frame: number) => {
    for (const { d, env } of mouths) {
      if (d.subject === subject && frame >= d.startFrame && frame < d.endFrame)
        return env[frame - d.startFrame] ?? 0;
    }
    return 0;
  };

  let image: Image | undefined;
  if (request.inputImagePath) {
    try {
      image = await loadImage(request.inputImagePath);
    } catch (err) {
      throw new GenerationError(
        "bad_image",
        `The input image could not be read: ${(err as Error).message}`,
        false,
      );
    }
  }

  const picture = new PictureRenderer({
    spec,
    timeline,
    width: iw,
    height: ih,
    mouth,
    image,
    cameos: faces,
  });
  const videoPath = path.join(ctx.workDir, "previz.mp4");
  // Poster and spritesheet from the frames as they are drawn: the workflow then skips its own
  // full decode of the video (GenerationResult.thumbnails).
  const sprite = spriteInfo(width, height, request.durationSeconds);
  const picks = thumbnailFrames(timeline.frames, fps, sprite);
  const thumbs = new ThumbnailSheet({
    poster: { ...posterSize(width, height), frame: picks.poster },
    sprite,
    tileFrames: picks.tiles,
  });
  let drawMs = 0;
  let thumbsMs = 0;
  try {
    await ffmpegPipeToFile(
      videoPath,
      (tmp) =>
        encodeRawVideoArgs({
          width: iw,
          height: ih,
          outputWidth: width,
          outputHeight: height,
          fps,
          frames: timeline.frames,
          audioPath,
          output: tmp,
        }),
      async (proc) => {
        // One frame of look-ahead: frame f+1 is drawn while frame f drains into ffmpeg, so the
        // encoder (its own process, the other core) never waits for the drawing and vice versa.
        let inFlight: Promise<void> | undefined;
        for (let f = 0; f < timeline.frames; f++) {
          if (ctx.signal.aborted) {
            inFlight?.catch(() => {});
            throw cancelled();
          }
          const t0 = performance.now();
          const frame = picture.draw(f);
          const pixels = frame.data();
          const t1 = performance.now();
          thumbs.offer(f, frame);
          thumbsMs += performance.now() - t1;
          drawMs += t1 - t0;
          if (inFlight) await inFlight;
          inFlight = proc.write(pixels);
          if (f % 15 === 0) ctx.onProgress(0.05 + 0.95 * (f / timeline.frames), "drawing");
        }
        await inFlight;
      },
      { signal: ctx.signal },
    );
  } catch (err) {
    if (err instanceof FfmpegError && err.code === "aborted") throw cancelled();
    if (err instanceof FfmpegError) throw new GenerationError("encode_failed", err.message, true);
    throw err;
  }
  const t2 = performance.now();
  const encoded = thumbs.encode();
  const posterPath = path.join(ctx.workDir, "previz-poster.jpg");
  const spritePath = path.join(ctx.workDir, "previz-sprite.jpg");
  await Promise.all([
    writeAtomically(posterPath, encoded.poster),
    writeAtomically(spritePath, encoded.sprite),
  ]);
  thumbsMs += performance.now() - t2;
  ctx.onProgress(1, "done");
  return {
    videoPath,
    thumbnails: {
      posterPath,
      spritePath,
      columns: sprite.columns,
      rows: sprite.rows,
      tileWidth: sprite.tileWidth,
      tileHeight: sprite.tileHeight,
    },
    metadata: {
      backend: "previz",
      spec,
      frames: timeline.frames,
      fps,
      size: `${width}x${height}`,
      internalSize: `${iw}x${ih}`,
      events: timeline.events.map((e) => ({ kind: e.kind, frame: e.frame })),
      dialogue: timeline.dialogue,
      imageToVideo: Boolean(image),
      cameos: [
        ...[...placed.bySubject].map(([subject, c]) => ({ cameoId: c.cameoId, subject })),
        ...placed.unplaced.map((c) => ({ cameoId: c.cameoId, subject: null })),
      ],
      renderMs: Math.round(performance.now() - started),
      drawMs: Math.round(drawMs),
      thumbnailsMs: Math.round(thumbsMs),
    },
  };
}

/** `file` appears complete or not at all. */
async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const tmp = tempPathFor(file);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

function cancelled() {
  return new GenerationError("cancelled", "The render was cancelled.", false);
}
