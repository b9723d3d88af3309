import { medianPitch, voiceFromPitch } from "@reelhouse/shared/cameos/voice";
import { describe, expect, it } from "vitest";
import { SAMPLE_RATE } from "./sound.ts";
import { FEMALE_VOICES, MALE_VOICES, speak, trimSilence, VOICES, voiceFor } from "./tts.server.ts";

describe("previz dialogue voice (espeak-ng WASM, offline)", () => {
  it("speaks a line as 48 kHz samples whose length grows with the text", async () => {
    const short = trimSilence(await speak("Hi.", "Ana"));
    const long = trimSilence(
      await speak("Hi there, it is so good to see you again after all these years.", "Ana"),
    );
    expect(short.length / SAMPLE_RATE).toBeGreaterThan(0.15);
    expect(long.length).toBeGreaterThan(short.length * 3);
    let peak = 0;
    for (const v of long) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeGreaterThan(0.1);
  });

  it("is deterministic, and each speaker keeps one voice", async () => {
    const a = await speak("Keep moving.", "Kai");
    const b = await speak("Keep moving.", "Kai");
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(voiceFor("Kai")).toBe(voiceFor("kai"));
  });

  it("text that looks like command-line options is spoken, not obeyed", async () => {
    const s = await speak("--help -v xx -w /etc/passwd", "Ana");
    expect(s.length / SAMPLE_RATE).toBeGreaterThan(0.5);
  });

  it("gives every speaker of a dialogue their own voice: a man's and a woman's differ, and two women differ", async () => {
    const woman = voiceFor("woman", { sex: "female", index: 1 });
    const man = voiceFor("man", { sex: "male", index: 2 });
    const otherWoman = voiceFor("woman", { sex: "female", index: 3 });
    expect(new Set([woman, man, otherWoman]).size).toBe(3);
    expect(FEMALE_VOICES).toContain(woman);
    expect(MALE_VOICES).toContain(man);
    const a = await speak("Best one all year.", "woman", { voice: woman });
    const b = await speak("Best one all year.", "man", { voice: man });
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(false);
  });

  it("every voice speaks byte-identically each time (no breathy random variants), and no two sound the same", async () => {
    const heard = new Map<string, string>();
    for (const voice of new Set([...VOICES, ...MALE_VOICES, ...FEMALE_VOICES])) {
      const a = Buffer.from((await speak("Keep moving.", "x", { voice })).buffer);
      const b = Buffer.from((await speak("Keep moving.", "x", { voice })).buffer);
      expect(a.equals(b), voice).toBe(true);
      const key = a.toString("base64");
      expect(heard.get(key), `${voice} sounds like ${heard.get(key)}`).toBeUndefined();
      heard.set(key, voice);
    }
  }, 180_000);

  it("a cameo's voice speaks at the pitch measured from its recording, byte-identically", async () => {
    const at = async (hz: number) => {
      const v = voiceFromPitch(hz);
      const a = await speak("hello there, how are you today", "mia", {
        voice: v.variant,
        pitch: v.pitch,
      });
      const b = await speak("hello there, how are you today", "mia", {
        voice: v.variant,
        pitch: v.pitch,
      });
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      return medianPitch(a, SAMPLE_RATE)!;
    };
    const low = await at(95);
    const high = await at(150);
    const woman = await at(220);
    expect(high / low).toBeGreaterThan(1.2);
    expect(woman).toBeGreaterThan(high);
  }, 120_000);
});
