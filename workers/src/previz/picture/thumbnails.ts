import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";

/**
 * The poster and the thumbnail spritesheet, collected from the frames the renderer draws anyway
 * (no second decode of the video). `offer(f, frame)` copies the frame, scaled, if `f` is the poster
 * frame or a sprite tile, and starts encoding each JPEG as soon as its last frame is in; `encode()`
 * gives both once every frame has been offered. Skia drawing and its JPEG encoder are deterministic,
 * so the same frames give the same bytes.
 */
export class ThumbnailSheet {
  private readonly poster: Canvas;
  private readonly sprite: Canvas;
  private readonly posterCtx: SKRSContext2D;
  private readonly spriteCtx: SKRSContext2D;
  private readonly posterFrame: number;
  /** Frame → the tiles showing it (neighbouring tiles of a very short clip may share a frame). */
  private readonly tilesAt = new Map<number, number[]>();
  private tilesLeft: number;
  private posterJpeg?: Promise<Buffer>;
  private spriteJpeg?: Promise<Buffer>;

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
    this.tilesLeft = o.tileFrames.length;
    o.tileFrames.forEach((f, i) => {
      this.tilesAt.set(f, [...(this.tilesAt.get(f) ?? []), i]);
    });
  }

  offer(f: number, frame: Canvas): void {
    if (f === this.posterFrame) {
      this.posterCtx.drawImage(frame, 0, 0, this.poster.width, this.poster.height);
      // Encoded off the main thread (libuv pool) while the next frames are drawn.
      this.posterJpeg = handled(this.poster.encode("jpeg", POSTER_QUALITY));
    }
    const tiles = this.tilesAt.get(f);
    if (!tiles) return;
    const { columns, tileWidth: w, tileHeight: h } = this.o.sprite;
    for (const i of tiles) {
      this.spriteCtx.drawImage(frame, (i % columns) * w, Math.floor(i / columns) * h, w, h);
      this.tilesLeft--;
    }
    if (this.tilesLeft === 0) this.spriteJpeg = handled(this.sprite.encode("jpeg", SPRITE_QUALITY));
  }

  /** Both JPEGs; call once every frame has been offered. */
  async encode(): Promise<{ poster: Buffer; sprite: Buffer }> {
    const [poster, sprite] = await Promise.all([
      this.posterJpeg ?? this.poster.encode("jpeg", POSTER_QUALITY),
      this.spriteJpeg ?? this.sprite.encode("jpeg", SPRITE_QUALITY),
    ]);
    return { poster, sprite };
  }
}

/** A cancelled render never awaits its thumbnails: their failure must not be an unhandled one. */
export function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(() => {});
  return p;
}

/** JPEG qualities close to the ffmpeg pass's (-q:v 3 for the poster, 4 for the sprite). */
export const POSTER_QUALITY = 90;
export const SPRITE_QUALITY = 85;
