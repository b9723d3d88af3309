/// <reference path="./espeak-ng.d.ts" />
import ESpeakNg from "espeak-ng";
import { hash32 } from "./prng.ts";
import { SAMPLE_RATE } from "./sound.ts";

/**
 * Dialogue text-to-speech with eSpeak NG compiled to WASM (the `espeak-ng` package): runs in
 * process, offline, deterministic. It is a formant synthesizer — intelligible and robotic, which is
 * honest for an animatic. Each speaker gets a stable voice variant chosen from their name.
 */

// Only variants that speak byte-identically every time: eSpeak's breathy "+f2"/"+f3" variants on
// the en and en-us voices add random noise, which broke the same-seed-same-file guarantee; and
// this build has no en-gb, so "en-gb+…" all sound like plain "en".
export const VOICES = ["en-us", "en+f4", "en+m3", "en-us+f4", "en-us+m7", "en+f1"] as const;
export const MALE_VOICES = ["en+m3", "en-us+m7", "en+m1"] as const;
export const FEMALE_VOICES = ["en+f4", "en-us+f4", "en+f1"] as const;

/**
 * The voice of a speaker: by their sex when the prompt describes it ("the woman", "the man"),
 * and by their place among the speakers (`index`, the subject index) so two speakers never share
 * a voice; otherwise a stable pick from the name.
 */
export function voiceFor(
  speaker: string,
  who: { sex?: "male" | "female"; index?: number } = {},
): string {
  if (who.sex) {
    const list = who.sex === "male" ? MALE_VOICES : FEMALE_VOICES;
    return list[(who.index ?? hash32(speaker.toLowerCase())) % list.length]!;
  }
  if (who.index !== undefined) return VOICES[who.index % VOICES.length]!;
  return VOICES[hash32(speaker.toLowerCase()) % VOICES.length]!;
}

/** Speak `text` and return mono float samples at SAMPLE_RATE. */
export async function speak(
  text: string,
  speaker: string,
  opts: { slow?: boolean; voice?: string; pitch?: number } = {},
): Promise<Float32Array> {
  // espeak reads text from its arguments; keep it to printable characters so nothing is parsed as an option.
  const clean =
    text
      .replace(/\p{Cc}/gu, " ")
      .replace(/^-+/, "")
      .trim()
      .slice(0, 400) || "…";
  const errors: string[] = [];
  const es = await ESpeakNg({
    arguments: [
      "-w",
      "/speech.wav",
      "-v",
      opts.voice ?? voiceFor(speaker),
      "-s",
      opts.slow ? "120" : "160",
      ...(opts.pitch !== undefined
        ? ["-p", String(Math.round(Math.min(99, Math.max(0, opts.pitch))))]
        : []),
      "--",
      clean,
    ],
    print: () => {},
    printErr: (e) => errors.push(e),
  });
  let wav: Uint8Array;
  try {
    wav = es.FS.readFile("/speech.wav");
  } catch {
    throw new Error(`espeak-ng produced no audio${errors.length ? `: ${errors.join("; ")}` : ""}`);
  }
  return resample(
    decodeWav16(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength)),
    SAMPLE_RATE,
  );
}

interface Pcm {
  rate: number;
  samples: Float32Array;
}

/** Mono 16-bit PCM WAV → floats (espeak writes exactly this). */
export function decodeWav16(buf: Buffer): Pcm {
  if (buf.toString("latin1", 0, 4) !== "RIFF" || buf.toString("latin1", 8, 12) !== "WAVE") {
    throw new Error("Not a WAV file");
  }
  let pos = 12;
  let rate = 22050;
  let channels = 1;
  while (pos + 8 <= buf.length) {
    const id = buf.toString("latin1", pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    if (id === "fmt ") {
      channels = buf.readUInt16LE(pos + 10);
      rate = buf.readUInt32LE(pos + 12);
    } else if (id === "data") {
      // espeak streams to a file and may leave the size unset (0 or 0xffffffff): use what is there.
      if (size === 0 || pos + 8 + size > buf.length) size = buf.length - pos - 8;
      const n = Math.floor(size / 2 / channels);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = buf.readInt16LE(pos + 8 + i * 2 * channels) / 32768;
      return { rate, samples: out };
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error("WAV without data");
}

/** Linear-interpolation resampling (speech only: its band is far below both Nyquist limits). */
export function resample(pcm: Pcm, rate: number): Float32Array {
  if (pcm.rate === rate) return pcm.samples;
  const n = Math.floor((pcm.samples.length * rate) / pcm.rate);
  const out = new Float32Array(n);
  const step = pcm.rate / rate;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const f = x - j;
    out[i] = (pcm.samples[j] ?? 0) * (1 - f) + (pcm.samples[j + 1] ?? 0) * f;
  }
  return out;
}

/** Drop leading/trailing near-silence so the mouth moves when the voice does. */
export function trimSilence(s: Float32Array, threshold = 0.01): Float32Array {
  let a = 0;
  let b = s.length;
  while (a < b && Math.abs(s[a]!) < threshold) a++;
  while (b > a && Math.abs(s[b - 1]!) < threshold) b--;
  return s.subarray(Math.max(0, a - 240), Math.min(s.length, b + 240));
}
