/** 16-bit PCM WAV encoding of float samples (-1..1), one Float32Array per channel (equal lengths). */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Buffer {
  const ch = channels.length;
  if (ch === 0) throw new Error("encodeWav: no channels");
  const n = channels[0]!.length;
  const data = Buffer.alloc(n * ch * 2);
  let o = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const v = channels[c]![i]!;
      const clipped = Math.min(1, Math.max(-1, v));
      data.writeInt16LE(Math.round(clipped * 32767), o);
      o += 2;
    }
  }
  const h = Buffer.alloc(44);
  h.write("RIFF", 0, "latin1");
  h.writeUInt32LE(36 + data.length, 4);
  h.write("WAVE", 8, "latin1");
  h.write("fmt ", 12, "latin1");
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(ch, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * ch * 2, 28);
  h.writeUInt16LE(ch * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36, "latin1");
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
