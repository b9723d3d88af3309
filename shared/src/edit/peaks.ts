/**
 * The audio waveform of a draft for the editor's timeline: ffmpeg decodes the sound to mono 16-bit
 * PCM at a low rate (`peaksArgs`, an argument array) and `pcmPeaks` folds it into one peak (0…1,
 * the loudest sample) per bucket. Pure; ./peaks.server.ts runs it.
 */

/** Decode rate: plenty for a waveform drawn a few pixels per frame. */
export const PEAKS_SAMPLE_RATE = 8000;
/** Peaks per second of sound (a 24/30 fps timeline gets about two per frame). */
export const PEAKS_PER_SECOND = 50;

export function peaksArgs(input: string): string[] {
  return [
    "-hide_banner",
    "-v",
    "error",
    "-nostdin",
    "-i",
    input,
    "-map",
    "0:a:0",
    "-vn",
    "-ac",
    "1",
    "-ar",
    String(PEAKS_SAMPLE_RATE),
    "-f",
    "s16le",
    "-acodec",
    "pcm_s16le",
    "pipe:1",
  ];
}

/** One peak per `samplesPerPeak` little-endian s16 samples, as 0…1 rounded to 3 decimals. */
export function pcmPeaks(
  pcm: Uint8Array,
  samplesPerPeak = PEAKS_SAMPLE_RATE / PEAKS_PER_SECOND,
): number[] {
  const view = new DataView(pcm.buffer, pcm.byteOffset, pcm.byteLength - (pcm.byteLength % 2));
  const samples = view.byteLength / 2;
  const out: number[] = [];
  for (let start = 0; start < samples; start += samplesPerPeak) {
    let peak = 0;
    const end = Math.min(samples, start + samplesPerPeak);
    for (let i = start; i < end; i++) {
      const v = Math.abs(view.getInt16(i * 2, true));
      if (v > peak) peak = v;
    }
    out.push(Math.round((Math.min(32767, peak) / 32767) * 1000) / 1000);
  }
  return out;
}
