/**
 * RGBA frames to planar YUV 4:2:0 (yuv420p), as ffmpeg's swscale converts them by default: BT.601
 * coefficients, limited range (Y 16–235, U and V 16–240). Each chroma sample is the mean of its
 * 2×2 block. Alpha is ignored, as swscale ignores it when the output has none.
 *
 * Why here and not in ffmpeg: a previz render pipes every frame to ffmpeg, and swscale's conversion
 * is its single largest cost after x264 (about 3.3 ms a 720x1280 frame, on the encoder's side of
 * the pipe, which is the busier one). Converting in the renderer moves that work to the side that
 * waits, and the pipe carries 1.5 bytes a pixel instead of 4.
 */

/** Fixed-point (×65536) BT.601 limited-range coefficients. */
const YR = 16829; // 0.256788
const YG = 33039; // 0.504129
const YB = 6416; // 0.097906
const UR = -9714; // -0.148223
const UG = -19071; // -0.290993
const UB = 28784; // 0.439216
const VR = 28784; // 0.439216
const VG = -24103; // -0.367788
const VB = -4681; // -0.071427
const Y_OFFSET = (16 << 16) + (1 << 15);
/** Chroma of a 2×2 block: the four pixels' sum, so the shift is 16 + 2. */
const C_OFFSET = (128 << 18) + (1 << 17);

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of one yuv420p frame. */
export function yuv420pSize(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

/**
 * Convert `rgba` (width × height × 4 bytes) into `out` (`yuv420pSize` bytes: the Y plane, then U,
 * then V) and return `out`. Width and height must be even.
 */
export function rgbaToYuv420p(
  rgba: Uint8Array,
  width: number,
  height: number,
  out: Uint8Array,
): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2)
    throw new RangeError(
      `yuv420p needs a size of at least 2x2 whole pixels, not ${width}x${height}`,
    );
  if (width % 2 !== 0 || height % 2 !== 0)
    throw new RangeError(`yuv420p needs an even width and height, not ${width}x${height}`);
  if (rgba.length < width * height * 4)
    throw new RangeError(`${rgba.length} bytes are fewer than a ${width}x${height} RGBA frame`);
  if (out.length < yuv420pSize(width, height))
    throw new RangeError(`${out.length} bytes cannot hold a ${width}x${height} yuv420p frame`);
  if (littleEndian && rgba.byteOffset % 4 === 0) return viaWords(rgba, width, height, out);
  return viaBytes(rgba, width, height, out);
}

/** One 32-bit read a pixel (R in the low byte on a little-endian machine). */
function viaWords(rgba: Uint8Array, width: number, height: number, out: Uint8Array): Uint8Array {
  yuv420Kernel(new Uint32Array(rgba.buffer, rgba.byteOffset, width * height), width, height, out);
  return out;
}

/**
 * The conversion's inner loop over 32-bit RGBA words (little-endian), its constants written out
 * (the ones above; the byte path uses the names, and a test holds the two paths equal).
 */
function yuv420Kernel(px: Uint32Array, width: number, height: number, out: Uint8Array) {
  const uBase = width * height;
  const vBase = uBase + (width / 2) * (height / 2);
  let c = 0;
  for (let y = 0; y < height; y += 2) {
    const r0 = y * width;
    const r1 = r0 + width;
    for (let x = 0; x < width; x += 2) {
      const a = px[r0 + x]!;
      const b = px[r0 + x + 1]!;
      const d = px[r1 + x]!;
      const e = px[r1 + x + 1]!;
      const ar = a & 255;
      const ag = (a >>> 8) & 255;
      const ab = (a >>> 16) & 255;
      const br = b & 255;
      const bg = (b >>> 8) & 255;
      const bb = (b >>> 16) & 255;
      const dr = d & 255;
      const dg = (d >>> 8) & 255;
      const db = (d >>> 16) & 255;
      const er = e & 255;
      const eg = (e >>> 8) & 255;
      const eb = (e >>> 16) & 255;
      // Y = YR·r + YG·g + YB·b + Y_OFFSET, >> 16
      out[r0 + x] = (16829 * ar + 33039 * ag + 6416 * ab + 1081344) >> 16;
      out[r0 + x + 1] = (16829 * br + 33039 * bg + 6416 * bb + 1081344) >> 16;
      out[r1 + x] = (16829 * dr + 33039 * dg + 6416 * db + 1081344) >> 16;
      out[r1 + x + 1] = (16829 * er + 33039 * eg + 6416 * eb + 1081344) >> 16;
      const sr = ar + br + dr + er;
      const sg = ag + bg + dg + eg;
      const sb = ab + bb + db + eb;
      // U, V over the block's sums: + C_OFFSET, >> 18
      out[uBase + c] = (-9714 * sr - 19071 * sg + 28784 * sb + 33685504) >> 18;
      out[vBase + c] = (28784 * sr - 24103 * sg - 4681 * sb + 33685504) >> 18;
      c++;
    }
  }
}

/** The same arithmetic a byte at a time (an unaligned view, or a big-endian machine). */
function viaBytes(rgba: Uint8Array, width: number, height: number, out: Uint8Array): Uint8Array {
  const uBase = width * height;
  const vBase = uBase + (width / 2) * (height / 2);
  const luma = (i: number) =>
    (YR * rgba[i]! + YG * rgba[i + 1]! + YB * rgba[i + 2]! + Y_OFFSET) >> 16;
  let c = 0;
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const p = [y * width + x, y * width + x + 1, (y + 1) * width + x, (y + 1) * width + x + 1];
      let sr = 0;
      let sg = 0;
      let sb = 0;
      for (const q of p) {
        out[q] = luma(q * 4);
        sr += rgba[q * 4]!;
        sg += rgba[q * 4 + 1]!;
        sb += rgba[q * 4 + 2]!;
      }
      out[uBase + c] = (UR * sr + UG * sg + UB * sb + C_OFFSET) >> 18;
      out[vBase + c] = (VR * sr + VG * sg + VB * sb + C_OFFSET) >> 18;
      c++;
    }
  }
  return out;
}
