import { createHash } from "node:crypto";
import { posterSize, spriteInfo, thumbnailFrames } from "@reelhouse/shared/media/thumbnails";
import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import { PictureRenderer } from "./renderer.ts";
import { ThumbnailSheet } from "./thumbnails.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/**
 * The render loop hands frame f's pixels to the ffmpeg pipe and draws frame f+1 while they drain:
 * that is only right while `canvas.data()` gives a buffer of its own (@napi-rs/canvas 1.1.1
 * copies; a zero-copy view of the canvas would let frame f+1 overwrite frame f in the pipe).
 */
describe("the frame buffer handed to the pipe", () => {
  test("is not changed by drawing the next frames or by the thumbnails", () => {
    const spec = understand({ text: "a red car driving down a desert road", sections: {} });
    const tl = buildTimeline(spec, { durationSeconds: 2, fps: 15, seed: 2 });
    const r = new PictureRenderer({ spec, timeline: tl, width: 360, height: 640, mouth: () => 0 });
    const sprite = spriteInfo(360, 640, 2);
    const picks = thumbnailFrames(tl.frames, 15, sprite);
    const thumbs = new ThumbnailSheet({
      poster: { ...posterSize(360, 640), frame: picks.poster },
      sprite,
      tileFrames: picks.tiles,
    });
    const held: { buf: Uint8Array; hash: string }[] = [];
    for (let f = 0; f < tl.frames; f++) {
      const frame = r.draw(f);
      const buf = frame.data();
      thumbs.offer(f, frame);
      held.push({ buf, hash: sha(buf) });
    }
    thumbs.encode();
    // Frames differ (the car drives), so an aliased buffer would show the last frame's bytes.
    expect(new Set(held.map((h) => h.hash)).size).toBeGreaterThan(1);
    for (const h of held) expect(sha(h.buf)).toBe(h.hash);
  });
});
