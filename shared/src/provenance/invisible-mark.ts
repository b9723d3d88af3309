/**
 * The invisible watermark, pure (unit-tested in invisible-mark.test.ts; ffmpeg glue in
 * invisible-mark.server.ts). A 32-bit payload (the first 32 bits of the post's draft id, which
 * names its publish workflow) plus a CRC-16 make 48 code bits. The picture is cut into a GRID × GRID
 * grid of large blocks, in coordinates relative to the frame; a keyed shuffle gives each bit
 * 12 blocks, each with a keyed chip (±1), and every frame's luma is shifted by
 * `AMPLITUDE · chip · bit` (3 of 255 levels) in that block, ramping smoothly into its neighbours
 * near the block's edges (EDGE: no hard grid for the eye to find in a smooth sky) (spread spectrum at the lowest frequencies the grid has:
 * what H.264 at CRF 35 and scaling keep best). The pattern is the same in every frame, so
 * detection averages many frames (moving content averages out, the mark adds up).
 *
 * Detection works on that average resampled to a canonical square, and searches crop hypotheses
 * (the visible part's size 85–100 % of the original on each axis, and its offset): per
 * hypothesis each block's mean minus its neighbours' (a high-pass that removes smooth content)
 * is correlated with the chips of its bit; the best hypothesis by mean squared z-score is decoded
 * and accepted only if the score clears DETECT_SCORE and the CRC matches.
 */

export const GRID = 32;
export const PAYLOAD_BITS = 32;
export const CODE_BITS = PAYLOAD_BITS + 16;
/** Luma levels (of 255) added or removed per block. */
export const AMPLITUDE = 3;
/** Canonical size detection resamples to. */
export const DETECT_SIZE = 240;
/** Mean z² of the best hypothesis needed to accept a blind (CRC-checked) decode. */
export const DETECT_SCORE = 6;
/**
 * z of the matched filter (all 48 bits of one candidate's code together) needed to say a file
 * carries that candidate's mark. Unmarked pictures stay under ~5 against 10⁴ candidates (bench: maxUnmarkedMatchZ).
 */
export const MATCH_Z = 7;
export const DEFAULT_KEY = "reelhouse-mark-v1";
/** Residuals are clipped to ± this many levels before correlating. */
const CLIP = 1.5 * AMPLITUDE;

/** mulberry32, seeded from a string (FNV-1a): the same key gives the same layout everywhere. */
function rng(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  let a = h;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Layout = { bit: Int16Array; chip: Int8Array };

const layouts = new Map<string, Layout>();
/** Which code bit each block carries, and its chip. */
export function layout(key = DEFAULT_KEY): Layout {
  const hit = layouts.get(key);
  if (hit) return hit;
  const r = rng(key);
  const n = GRID * GRID;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const bit = new Int16Array(n);
  const chip = new Int8Array(n);
  order.forEach((block, p) => {
    bit[block] = p % CODE_BITS;
  });
  for (let k = 0; k < n; k++) chip[k] = r() < 0.5 ? -1 : 1;
  const l = { bit, chip };
  layouts.set(key, l);
  return l;
}

/** CRC-16/CCITT-FALSE of the payload's 4 bytes. */
export function crc16(payload: number): number {
  let crc = 0xffff;
  for (let b = 3; b >= 0; b--) {
    crc ^= ((payload >>> (b * 8)) & 0xff) << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The payload of a draft id: its first 32 bits (8 hex digits). */
export function payloadOf(draftId: string): number {
  const hex = draftId.replace(/-/g, "").slice(0, 8);
  if (!/^[0-9a-f]{8}$/i.test(hex)) throw new Error(`not a uuid: ${draftId}`);
  return Number.parseInt(hex, 16) >>> 0;
}
export const payloadHex = (p: number) => (p >>> 0).toString(16).padStart(8, "0");

/** The 48 code bits as ±1: payload MSB first, then the CRC. */
export function codeBits(payload: number): Int8Array {
  const out = new Int8Array(CODE_BITS);
  const crc = crc16(payload);
  for (let i = 0; i < PAYLOAD_BITS; i++) out[i] = (payload >>> (PAYLOAD_BITS - 1 - i)) & 1 ? 1 : -1;
  for (let i = 0; i < 16; i++) out[PAYLOAD_BITS + i] = (crc >>> (15 - i)) & 1 ? 1 : -1;
  return out;
}

/**
 * How far (a fraction of a block, each side of a boundary) the pattern ramps from one block's
 * level to its neighbour's. Hard block edges are what the eye finds in a smooth sky (a ±3-level
 * step every 22 px reads as a grid); a raised-cosine ramp over 2 × EDGE of a block leaves no edge,
 * and the blocks' middles, where detection measures (the middle 60 %), keep nearly all the level.
 */
export const EDGE = 0.3;

/**
 * Per pixel along one axis of `n` pixels: the block it is in, the neighbouring block it ramps
 * towards (or itself), and its own block's weight (½ at the boundary, 1 from EDGE in). The
 * weights of both axes multiply: a partition of unity, so the pattern is exactly a block's level
 * away from the boundaries and a smooth blend near them.
 */
function axisRamps(n: number, edge: number) {
  const own = new Int16Array(n);
  const other = new Int16Array(n);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pos = ((i + 0.5) * GRID) / n;
    const b = Math.min(GRID - 1, Math.floor(pos));
    const u = pos - b;
    own[i] = b;
    other[i] = b;
    w[i] = 1;
    if (edge <= 0) continue;
    const d = u < 0.5 ? u : 1 - u;
    const nb = u < 0.5 ? b - 1 : b + 1;
    if (d < edge && nb >= 0 && nb < GRID) {
      other[i] = nb;
      w[i] = 0.5 + 0.5 * Math.sin((Math.PI / 2) * (d / edge));
    }
  }
  return { own, other, w };
}

/**
 * One yuv420p frame (Y then U then V) to add to every frame with ffmpeg's blend
 * `grainmerge` (A + B − 128): luma 128 ± AMPLITUDE per block with smooth ramps between blocks
 * (EDGE), chroma 128 (unchanged).
 */
export function patternFrame(
  payload: number,
  width: number,
  height: number,
  o: { key?: string; amplitude?: number; edge?: number } = {},
): Buffer {
  if (width % 2 || height % 2) throw new Error(`pattern size must be even, got ${width}x${height}`);
  const { bit, chip } = layout(o.key);
  const bits = codeBits(payload);
  const amp = o.amplitude ?? AMPLITUDE;
  const level = (bx: number, by: number) => {
    const k = by * GRID + bx;
    return (chip[k] as number) * (bits[bit[k] as number] as number);
  };
  const xs = axisRamps(width, o.edge ?? EDGE);
  const ys = axisRamps(height, o.edge ?? EDGE);
  const buf = Buffer.alloc((width * height * 3) / 2, 128);
  for (let y = 0; y < height; y++) {
    const by0 = ys.own[y] as number;
    const by1 = ys.other[y] as number;
    const wy = ys.w[y] as number;
    for (let x = 0; x < width; x++) {
      const bx0 = xs.own[x] as number;
      const bx1 = xs.other[x] as number;
      const wx = xs.w[x] as number;
      const v =
        wy * (wx * level(bx0, by0) + (1 - wx) * level(bx1, by0)) +
        (1 - wy) * (wx * level(bx0, by1) + (1 - wx) * level(bx1, by1));
      buf[y * width + x] = 128 + Math.round(amp * v);
    }
  }
  return buf;
}

export type Detection = {
  /** Per code bit: correlation z-score at the best hypothesis (sign = the bit). */
  z: Float64Array;
  found: boolean;
  /** The decoded payload when found (CRC matched and the score cleared the bar). */
  payload: number | null;
  score: number;
  /** The best crop hypothesis: visible part's offset and size, relative to the original frame. */
  crop: { x: number; y: number; w: number; h: number };
};

/** Summed-area table of a w × h float image. */
function integral(img: Float32Array, w: number, h: number): Float64Array {
  const s = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += img[y * w + x] as number;
      s[(y + 1) * (w + 1) + x + 1] = (s[y * (w + 1) + x + 1] as number) + row;
    }
  }
  return s;
}

const AXIS: { size: number; offsets: number[] }[] = [1, 0.95, 0.9, 0.85].map((size) => {
  const steps = Math.round((1 - size) / 0.0125);
  return { size, offsets: Array.from({ length: steps + 1 }, (_, i) => i * 0.0125) };
});

/**
 * Detects the mark in `img`, the average of a video's frames (or one image) as luma, resampled
 * to `w` × `h` (DETECT_SIZE square by default).
 */
export function detect(img: Float32Array, w: number, h: number, key = DEFAULT_KEY): Detection {
  const { bit, chip } = layout(key);
  const S = integral(img, w, h);
  const box = (x0: number, y0: number, x1: number, y1: number) =>
    (S[y1 * (w + 1) + x1] as number) -
    (S[y0 * (w + 1) + x1] as number) -
    (S[y1 * (w + 1) + x0] as number) +
    (S[y0 * (w + 1) + x0] as number);
  const n = GRID * GRID;
  const mean = new Float64Array(n);
  const seen = new Uint8Array(n);
  const resid = new Float64Array(n);
  let best: Detection = {
    found: false,
    payload: null,
    score: -1,
    crop: { x: 0, y: 0, w: 1, h: 1 },
    z: new Float64Array(CODE_BITS),
  };
  const evaluate = (sx: number, x0: number, sy: number, y0: number) => {
    // Block means, each over its middle 60 % (misalignment and blur stay out).
    for (let by = 0; by < GRID; by++)
      for (let bx = 0; bx < GRID; bx++) {
        const k = by * GRID + bx;
        const u0 = ((bx + 0.2) / GRID - x0) / sx;
        const u1 = ((bx + 0.8) / GRID - x0) / sx;
        const v0 = ((by + 0.2) / GRID - y0) / sy;
        const v1 = ((by + 0.8) / GRID - y0) / sy;
        if (u0 < 0 || v0 < 0 || u1 > 1 || v1 > 1) {
          seen[k] = 0;
          continue;
        }
        const px0 = Math.round(u0 * w);
        const px1 = Math.max(px0 + 1, Math.round(u1 * w));
        const py0 = Math.round(v0 * h);
        const py1 = Math.max(py0 + 1, Math.round(v1 * h));
        seen[k] = 1;
        mean[k] = box(px0, py0, px1, py1) / ((px1 - px0) * (py1 - py0));
      }
    let energy = 0;
    let count = 0;
    for (let by = 0; by < GRID; by++)
      for (let bx = 0; bx < GRID; bx++) {
        const k = by * GRID + bx;
        resid[k] = Number.NaN;
        if (!seen[k]) continue;
        let sum = 0;
        let m = 0;
        for (const [dx, dy] of [
          [1, 0],
          [-1, 0],
          [0, 1],
          [0, -1],
        ] as const) {
          const nx = bx + dx;
          const ny = by + dy;
          if (nx < 0 || ny < 0 || nx >= GRID || ny >= GRID) continue;
          const j = ny * GRID + nx;
          if (!seen[j]) continue;
          sum += mean[j] as number;
          m++;
        }
        if (m < 2) continue;
        // Clipped: content edges give large residuals that carry no mark; the mark lives in
        // the many small ones.
        const r = Math.max(-CLIP, Math.min(CLIP, (mean[k] as number) - sum / m));
        resid[k] = r;
        energy += r * r;
        count++;
      }
    if (count < CODE_BITS * 4) return;
    const sigma2 = energy / count || 1e-9;
    const corr = new Float64Array(CODE_BITS);
    const cnt = new Float64Array(CODE_BITS);
    for (let k = 0; k < n; k++) {
      const r = resid[k] as number;
      if (Number.isNaN(r)) continue;
      const b = bit[k] as number;
      corr[b] = (corr[b] as number) + (chip[k] as number) * r;
      cnt[b] = (cnt[b] as number) + 1;
    }
    let score = 0;
    const z = new Float64Array(CODE_BITS);
    for (let b = 0; b < CODE_BITS; b++) {
      const c = cnt[b] as number;
      z[b] = c ? (corr[b] as number) / Math.sqrt(c * sigma2) : 0;
      score += (z[b] as number) ** 2;
    }
    score /= CODE_BITS;
    if (score > best.score)
      best = {
        z,
        found: false,
        payload: null,
        score,
        crop: { x: x0, y: y0, w: sx, h: sy },
      };
  };
  for (const ax of AXIS)
    for (const x0 of ax.offsets)
      for (const ay of AXIS) for (const y0 of ay.offsets) evaluate(ax.size, x0, ay.size, y0);
  // Refine around the best: finer offsets and sizes.
  const c = best.crop;
  for (let ds = -0.02; ds <= 0.0201; ds += 0.01)
    for (let dx = -0.012; dx <= 0.0121; dx += 0.004)
      for (let dsy = -0.02; dsy <= 0.0201; dsy += 0.01)
        for (let dy = -0.012; dy <= 0.0121; dy += 0.004) {
          const sx = c.w + ds;
          const sy = c.h + dsy;
          const x0 = c.x + dx;
          const y0 = c.y + dy;
          if (sx > 1 || sy > 1 || x0 < 0 || y0 < 0 || x0 + sx > 1.0001 || y0 + sy > 1.0001)
            continue;
          evaluate(sx, x0, sy, y0);
        }
  let payload = 0;
  let crc = 0;
  for (let i = 0; i < PAYLOAD_BITS; i++)
    payload = ((payload << 1) | ((best.z[i] as number) > 0 ? 1 : 0)) >>> 0;
  for (let i = 0; i < 16; i++)
    crc = (crc << 1) | ((best.z[PAYLOAD_BITS + i] as number) > 0 ? 1 : 0);
  const found = best.score >= DETECT_SCORE && crc === crc16(payload);
  return { z: best.z, found, payload: found ? payload : null, score: best.score, crop: best.crop };
}

/** How strongly the detected bits match one payload's code (≈ N(0, 1) for an unrelated one). */
export function matchZ(z: Float64Array, payload: number): number {
  const bits = codeBits(payload);
  let s = 0;
  for (let i = 0; i < CODE_BITS; i++) s += (z[i] as number) * (bits[i] as number);
  return s / Math.sqrt(CODE_BITS);
}

/**
 * The candidate (payloads of this instance's posts) the file carries, if any: the blind decode
 * when its CRC matched, else the best matched-filter candidate above MATCH_Z.
 */
export function identify(
  d: Detection,
  candidates: Iterable<number>,
): { payload: number; z: number } | null {
  let best: { payload: number; z: number } | null = null;
  for (const c of candidates) {
    const z = matchZ(d.z, c);
    if (!best || z > best.z) best = { payload: c, z };
  }
  if (best && best.z >= MATCH_Z) return best;
  if (d.found && d.payload !== null) return { payload: d.payload, z: matchZ(d.z, d.payload) };
  return null;
}
