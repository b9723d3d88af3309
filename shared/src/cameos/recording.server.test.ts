import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { runFfmpeg } from "../media/ffmpeg.server.ts";
import { probe } from "../media/ffprobe.server.ts";
import { makeUser } from "../social/test-fixtures.ts";
import { testPool } from "../testing/db.ts";
import { CameoError } from "./errors.ts";
import { storeRecording, validateRecording } from "./recording.server.ts";
import { safeInputArgs } from "./recording.ts";

/**
 * Recordings judged by content with real ffmpeg: a real WebM passes; hostile "videos" (a playlist,
 * text, a truncated file, huge dimensions, too long, no sound) are each refused with their reason,
 * and a refused upload leaves no cameo row and no file.
 */

let pool: Pool;
let dir: string;
let root: string;
const clips: Record<string, string> = {};

async function encode(
  name: string,
  o: { w: number; h: number; seconds: number; fps?: number; audio?: boolean; mp4?: boolean },
) {
  const out = path.join(dir, name);
  await runFfmpeg([
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${o.w}x${o.h}:rate=${o.fps ?? 15}:duration=${o.seconds}`,
    ...(o.audio === false ? [] : ["-f", "lavfi", "-i", `sine=frequency=220:duration=${o.seconds}`]),
    ...(o.mp4
      ? [
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          ...(o.audio === false ? [] : ["-c:a", "aac"]),
          "-f",
          "mp4",
        ]
      : [
          "-c:v",
          "libvpx",
          "-deadline",
          "realtime",
          "-cpu-used",
          "8",
          "-b:v",
          "300k",
          ...(o.audio === false ? [] : ["-c:a", "libopus"]),
          "-f",
          "webm",
        ]),
    "-y",
    out,
  ]);
  return out;
}

beforeAll(async () => {
  pool = testPool(3);
  dir = mkdtempSync(path.join(os.tmpdir(), "rh-recordings-"));
  root = path.join(dir, "data");
  mkdirSync(root);
  clips.good = await encode("good.webm", { w: 640, h: 480, seconds: 5 });
  clips.goodMp4 = await encode("good.mp4", { w: 480, h: 640, seconds: 4, mp4: true });
  clips.huge = await encode("huge.mp4", { w: 2560, h: 256, seconds: 1, fps: 1, mp4: true });
  clips.long = await encode("long.webm", { w: 320, h: 240, seconds: 25, fps: 5 });
  clips.silent = await encode("silent.webm", { w: 640, h: 480, seconds: 4, audio: false });
  clips.tiny = await encode("tiny.webm", { w: 160, h: 120, seconds: 4 });
  // An MP4 cut in half: its index (moov, written at the end) is gone.
  const mp4 = readFileSync(clips.goodMp4);
  clips.truncated = path.join(dir, "truncated.mp4");
  writeFileSync(clips.truncated, mp4.subarray(0, Math.floor(mp4.length / 2)));
  // A WebM cut in the middle of its frames.
  const webm = readFileSync(clips.good);
  clips.truncatedWebm = path.join(dir, "truncated.webm");
  writeFileSync(clips.truncatedWebm, webm.subarray(0, Math.floor(webm.length * 0.6)));
  clips.playlist = path.join(dir, "cameo.webm");
  writeFileSync(
    clips.playlist,
    `#EXTM3U\n#EXT-X-TARGETDURATION:5\n#EXTINF:5,\nhttp://127.0.0.1:9/secret.ts\n#EXTINF:5,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n`,
  );
  clips.text = path.join(dir, "notes.mp4");
  writeFileSync(clips.text, "hello, this is not a video at all\n".repeat(20));
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    if (err instanceof CameoError) return err.code;
    throw err;
  }
}

describe("validateRecording", () => {
  it("accepts a real 5 s WebM with sound, and an MP4", async () => {
    const info = await validateRecording(clips.good!, "person");
    expect(info).toMatchObject({ container: "webm", width: 640, height: 480, hasAudio: true });
    expect(info.durationSeconds).toBeGreaterThan(4.5);
    expect(await code(validateRecording(clips.goodMp4!, "person"))).toBe("ok");
  });

  it("refuses each hostile video with its own reason", async () => {
    expect(await code(validateRecording(clips.playlist!, "person"))).toBe("recording_playlist");
    expect(await code(validateRecording(clips.text!, "person"))).toBe("recording_not_video");
    expect(await code(validateRecording(clips.truncated!, "person"))).toBe("recording_unreadable");
    expect(await code(validateRecording(clips.truncatedWebm!, "person"))).toBe(
      "recording_truncated",
    );
    expect(await code(validateRecording(clips.huge!, "object"))).toBe("recording_too_large");
    expect(await code(validateRecording(clips.long!, "person"))).toBe("recording_too_long");
    expect(await code(validateRecording(clips.tiny!, "person"))).toBe("recording_too_small");
    expect(await code(validateRecording(clips.silent!, "person"))).toBe("recording_no_audio");
    // A pet or an object needs no sound.
    expect(await code(validateRecording(clips.silent!, "pet"))).toBe("ok");
  });

  it("the reasons are sentences a person can act on", async () => {
    const err = await validateRecording(clips.huge!, "object").catch((e: CameoError) => e);
    expect((err as CameoError).message).toContain("2560×256");
    const long = await validateRecording(clips.long!, "person").catch((e: CameoError) => e);
    expect((long as CameoError).message).toMatch(/at most 12 s/);
  });

  it("even past the sniffing, ffprobe with our input options will not open a playlist", async () => {
    await expect(probe(clips.playlist!, { inputArgs: safeInputArgs("mp4") })).rejects.toThrow();
    await expect(probe(clips.playlist!, { inputArgs: safeInputArgs("webm") })).rejects.toThrow();
  });
});

describe("storeRecording", () => {
  it("a refused upload leaves no cameo row and no file", async () => {
    const u = await makeUser(pool);
    for (const bad of [clips.playlist!, clips.text!, clips.truncated!, clips.huge!, clips.long!]) {
      expect(
        await code(storeRecording(pool, u.id, { kind: "person" }, readFileSync(bad), root)),
      ).not.toBe("ok");
    }
    const rows = await pool.query("SELECT count(*)::int AS n FROM cameos WHERE owner_id = $1", [
      u.id,
    ]);
    expect(rows.rows[0].n).toBe(0);
    expect(readdirSync(path.join(root, "cameos"), { recursive: true })).toEqual([".incoming"]);
  });

  it("a good upload makes the cameo and stores its recording; a bad retake keeps the good one", async () => {
    const u = await makeUser(pool);
    const { cameo } = await storeRecording(
      pool,
      u.id,
      { kind: "person" },
      readFileSync(clips.good!),
      root,
    );
    const rel = `${cameo.dir}/recording.webm`;
    expect(readFileSync(path.join(root, rel)).equals(readFileSync(clips.good!))).toBe(true);
    const r = await pool.query("SELECT recording_path, status, name FROM cameos WHERE id = $1", [
      cameo.id,
    ]);
    expect(r.rows[0]).toEqual({ recording_path: rel, status: "processing", name: u.username });
    expect(
      await code(
        storeRecording(pool, u.id, { cameoId: cameo.id }, readFileSync(clips.text!), root),
      ),
    ).toBe("recording_not_video");
    expect(readFileSync(path.join(root, rel)).equals(readFileSync(clips.good!))).toBe(true);
  });
});
