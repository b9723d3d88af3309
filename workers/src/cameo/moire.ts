/**
 * A screen's pixel pattern over the face: a video replayed on a phone or monitor and filmed again
 * shows the screen's grid beating with the camera's (moiré), a fine regular grating that a face in
 * front of a camera does not have. Measured on the analysed frame (pure): a 64×64 patch at the
 * face's centre, Hann-windowed, through a 2-D FFT; the score is the strongest fine-detail frequency
 * (periods of 2.1 to 5.3 pixels) over the median of that band. A natural face's fine detail is spread
 * over many frequencies (a low score); a grating puts it in one (a high one).
 */

export const PATCH = 64;

/** In-place radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const a = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len)
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(a * k);
        const wi = Math.sin(a * k);
        const p = i + k;
        const q = p + len / 2;
        const xr = re[q]! * wr - im[q]! * wi;
        const xi = re[q]! * wi + im[q]! * wr;
        re[q] = re[p]! - xr;
        im[q] = im[p]! - xi;
        re[p] = re[p]! + xr;
        im[p] = im[p]! + xi;
      }
  }
}

/** Magnitudes of the 2-D DFT of a PATCH×PATCH grey patch (row-major). */
export function spectrum(grey: Float64Array): Float64Array {
  const N = PATCH;
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  let mean = 0;
  for (const v of grey) mean += v;
  mean /= grey.length;
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const w =
        (0.5 - 0.5 * Math.cos((2 * Math.PI * x) / (N - 1))) *
        (0.5 - 0.5 * Math.cos((2 * Math.PI * y) / (N - 1)));
      re[y * N + x] = (grey[y * N + x]! - mean) * w;
    }
  const rr = new Float64Array(N);
  const ri = new Float64Array(N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      rr[x] = re[y * N + x]!;
      ri[x] = im[y * N + x]!;
    }
    fft(rr, ri);
    for (let x = 0; x < N; x++) {
      re[y * N + x] = rr[x]!;
      im[y * N + x] = ri[x]!;
    }
  }
  for (let x = 0; x < N; x++) {
    for (let y = 0; y < N; y++) {
      rr[y] = re[y * N + x]!;
      ri[y] = im[y * N + x]!;
    }
    fft(rr, ri);
    for (let y = 0; y < N; y++) {
      re[y * N + x] = rr[y]!;
      im[y * N + x] = ri[y]!;
    }
  }
  const mag = new Float64Array(N * N);
  for (let i = 0; i < mag.length; i++) mag[i] = Math.hypot(re[i]!, im[i]!);
  return mag;
}

/** Peak over median of the fine-detail band of a grey patch's spectrum. */
export function gratingScore(grey: Float64Array): number {
  const N = PATCH;
  const mag = spectrum(grey);
  const band: number[] = [];
  let peak = 0;
  for (let v = 0; v < N; v++)
    for (let u = 0; u < N / 2 + 1; u++) {
      const fu = u;
      const fv = v <= N / 2 ? v : v - N;
      const r = Math.hypot(fu, fv);
      if (r < 12 || r > 30) continue;
      const m = mag[v * N + u]!;
      band.push(m);
      if (m > peak) peak = m;
    }
  band.sort((a, b) => a - b);
  const median = band[Math.floor(band.length / 2)]!;
  return median > 0 ? peak / median : 0;
}

/** The score for the patch at the centre of a face box of an RGB frame (0 if the box is too small). */
export function moireScore(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: [number, number, number, number],
): number {
  const [bx, by, bw, bh] = box;
  if (bw < PATCH * 0.75 || bh < PATCH * 0.75) return 0;
  const x0 = Math.round(Math.min(Math.max(0, bx + bw / 2 - PATCH / 2), width - PATCH));
  const y0 = Math.round(Math.min(Math.max(0, by + bh / 2 - PATCH / 2), height - PATCH));
  if (x0 < 0 || y0 < 0) return 0;
  const grey = new Float64Array(PATCH * PATCH);
  for (let y = 0; y < PATCH; y++)
    for (let x = 0; x < PATCH; x++) {
      const i = ((y0 + y) * width + x0 + x) * 3;
      grey[y * PATCH + x] = 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
    }
  return gratingScore(grey);
}
