import { readFile } from "node:fs/promises";
import sharp, { type Metadata } from "sharp";

/**
 * Image validation and normalisation with sharp. Whether bytes are an image is decided by decoding
 * them, never by the file name or the declared content type.
 */
export const ACCEPTED_IMAGE_FORMATS = [
  "jpeg",
  "png",
  "webp",
  "gif",
  "avif",
  "heif",
  "tiff",
] as const;
export const MAX_IMAGE_DIMENSION = 8000;
export const MIN_IMAGE_DIMENSION = 16;
export const AVATAR_SIZE = 512;

export class ImageRejectedError extends Error {
  readonly status: number;
  constructor(
    readonly code: "not_an_image" | "image_dimensions",
    message: string,
  ) {
    super(message);
    this.name = "ImageRejectedError";
    this.status = code === "not_an_image" ? 415 : 422;
  }
}

export interface ProcessedImage {
  data: Buffer;
  contentType: "image/webp";
  width: number;
  height: number;
}

/**
 * A profile photo: decoded (refused unless a real image of bounded size), auto-rotated from its
 * EXIF orientation, cropped to a centred AVATAR_SIZE square, re-encoded as WebP. sharp writes no
 * metadata (EXIF, GPS, ICC comments) unless asked to, so none survives.
 */
export async function processAvatar(input: Buffer): Promise<ProcessedImage> {
  let meta: Metadata;
  try {
    meta = await sharp(input, {
      limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION,
    }).metadata();
  } catch {
    throw new ImageRejectedError(
      "not_an_image",
      "That file is not an image we can read. Use a JPEG, PNG, WebP, GIF or AVIF photo.",
    );
  }
  if (!meta.format || !(ACCEPTED_IMAGE_FORMATS as readonly string[]).includes(meta.format)) {
    throw new ImageRejectedError(
      "not_an_image",
      "That file is not an image we can read. Use a JPEG, PNG, WebP, GIF or AVIF photo.",
    );
  }
  const { width = 0, height = 0 } = meta;
  if (width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION)
    throw new ImageRejectedError(
      "image_dimensions",
      `That photo is too big: at most ${MAX_IMAGE_DIMENSION}×${MAX_IMAGE_DIMENSION} pixels.`,
    );
  if (width < MIN_IMAGE_DIMENSION || height < MIN_IMAGE_DIMENSION)
    throw new ImageRejectedError(
      "image_dimensions",
      `That photo is too small: at least ${MIN_IMAGE_DIMENSION}×${MIN_IMAGE_DIMENSION} pixels.`,
    );
  try {
    const { data, info } = await sharp(input, {
      limitInputPixels: MAX_IMAGE_DIMENSION * MAX_IMAGE_DIMENSION,
      pages: 1,
    })
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 85 })
      .toBuffer({ resolveWithObject: true });
    return { data, contentType: "image/webp", width: info.width, height: info.height };
  } catch {
    throw new ImageRejectedError(
      "not_an_image",
      "That image is damaged or incomplete. Try another photo.",
    );
  }
}

/**
 * The size of the JPEG in `file`, read from its header (no decode), or undefined if the file is
 * missing, not a JPEG, or cut short (it must end with the end-of-image marker FF D9). Cheap enough
 * to check a backend's thumbnails before trusting them.
 */
export async function jpegSize(
  file: string,
): Promise<{ width: number; height: number } | undefined> {
  try {
    // A buffer, not the path: libvips caches by file name, and a re-run may replace the file.
    const bytes = await readFile(file);
    const n = bytes.length;
    if (n < 4 || bytes[n - 2] !== 0xff || bytes[n - 1] !== 0xd9) return undefined;
    const meta = await sharp(bytes).metadata();
    if (meta.format !== "jpeg" || !meta.width || !meta.height) return undefined;
    return { width: meta.width, height: meta.height };
  } catch {
    return undefined;
  }
}
