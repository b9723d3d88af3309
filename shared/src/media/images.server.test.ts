import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ImageRejectedError, processAvatar } from "./images.server.ts";

/** A JPEG that is red on its left half, blue on the right, with EXIF orientation 6 and a GPS-ish comment. */
async function orientedJpeg(): Promise<Buffer> {
  const w = 400;
  const h = 200;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if (x < w / 2) raw[i] = 255;
      else raw[i + 2] = 255;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { ImageDescription: "secret location" } } })
    .toBuffer();
}

async function pixel(img: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(img).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

describe("processAvatar", () => {
  it("auto-rotates from EXIF, crops to a 512 square, re-encodes WebP and strips metadata", async () => {
    const input = await orientedJpeg();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await processAvatar(input);
    expect(out.contentType).toBe("image/webp");
    const meta = await sharp(out.data).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 512, height: 512 });
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // Orientation 6 = rotate 90° clockwise: the red left half ends up on top.
    const [r1, , b1] = await pixel(out.data, 256, 20);
    const [r2, , b2] = await pixel(out.data, 256, 490);
    expect(r1).toBeGreaterThan(200);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(200);
    expect(r2).toBeLessThan(60);
  });

  it("refuses text named like an image and a truncated PNG", async () => {
    await expect(processAvatar(Buffer.from("hello, I am a .png file"))).rejects.toMatchObject({
      code: "not_an_image",
    });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    await expect(processAvatar(png.subarray(0, 40))).rejects.toBeInstanceOf(ImageRejectedError);
  });

  it("refuses images too small to be a photo", async () => {
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#f00" } })
      .png()
      .toBuffer();
    await expect(processAvatar(tiny)).rejects.toMatchObject({ code: "image_dimensions" });
  });
});
