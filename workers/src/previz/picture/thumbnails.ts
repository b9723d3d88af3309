import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";

/**
 * The poster and the thumbnail spritesheet, collected from the frames the renderer draws anyway
 * (no second decode of the video). `offer(f, frame)` copies the frame, scaled, if `f` is the poster
 * frame or a sprite tile; `encode()` gives both JPEGs once every frame has been offered. Skia
 * drawing and its JPEG encoder are deterministic, so the same frames give the same bytes.
 *
 * Both JPEGs are encoded on the calling thread, after the last frame (~10-20 ms): no Skia work
 * runs on the libuv pool while frames are being drawn, in this render or in another one in the
 * same process (a render's frames must not depend on what other threads do with Skia meanwhile).
 */
export class ThumbnailSheet {
  private readonly poster: Canvas;
  private readonly sprite: Canvas;
  private readonly posterCtx: SKRSContext2D;
  private readonly spriteCtx: SKRSContext2D;
  private readonly posterFrame: number;
  /** Frame → the tiles showing it (neighbouring tiles of a very short clip may share a frame). */
  private readonly tilesAt = new Map<number, number[]>();

  constructor(
    private readonly o: {
      poster: { width: number; height: number; frame: number };
      sprite: { columns: number; rows: number; tileWidth: number; tileHeight: number };
      tileFrames: number[];
    },
  ) {
    const { sprite } = o;
    this.poster = createCanvas(o.poster.width, o.poster.height);
    this.sprite = createCanvas(sprite.columns * sprite.tileWidth, sprite.rows * sprite.tileHeight);
    this.posterCtx = this.poster.getContext("2d");
    this.spriteCtx = this.sprite.getContext("2d");
    // Bilinear, like the ffmpeg pass's sprite scaler: Skia's mipmapped or cubic modes cost ~1 ms
    // a tile on the drawing thread, which the encoder waits for.
    for (const ctx of [this.posterCtx, this.spriteCtx]) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "low";
    }
    this.posterFrame = o.poster.frame;
    o.tileFrames.forEach((f, i) => {
      this.tilesAt.set(f, [...(this.tilesAt.get(f) ?? []), i]);
    });
  }

  offer(f: number, frame: Canvas): void {
    if (f === this.posterFrame)
      this.posterCtx.drawImage(frame, 0, 0, this.poster.width, this.poster.height);
    const tiles = this.tilesAt.get(f);
    if (!tiles) return;
    const { columns, tileWidth: w, tileHeight: h } = this.o.sprite;
    for (const i of tiles)
      this.spriteCtx.drawImage(frame, (i % columns) * w, Math.floor(i / columns) * h, w, h);
  }

  /** Both JPEGs (on this thread); call once every frame has been offered. */
  encode(): { poster: Buffer; sprite: Buffer } {
    return {
      poster: this.poster.encodeSync("jpeg", POSTER_QUALITY),
      sprite: this.sprite.encodeSync("jpeg", SPRITE_QUALITY),
    };
  }
}

/** JPEG qualities close to the ffmpeg pass's (-q:v 3 for the poster, 4 for the sprite). */
export const POSTER_QUALITY = 90;
export const SPRITE_QUALITY = 85;
