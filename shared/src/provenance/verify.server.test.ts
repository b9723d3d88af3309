import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { renditionArgs } from "../social/publish-args.ts";
import { makeDraft, makePost, makeUser } from "../social/test-fixtures.ts";
import { testPool } from "../testing/db.ts";
import { createIdentity } from "./identity.server.ts";
import { writePattern } from "./invisible-mark.server.ts";
import { payloadOf } from "./invisible-mark.ts";
import { signExport } from "./sign.server.ts";
import { sniffMedia, VerifyError, verifyUpload } from "./verify.server.ts";

/**
 * The verify check end to end on real files (ffmpeg, the C2PA library) and a real database:
 * a published post's download is verified and names its post; with the manifest stripped by a
 * re-encode the watermark still names it; a changed byte is "tampered"; strangers' files, hostile
 * and non-media uploads get clear answers.
 */
let pool: Pool;
let dir: string;
const prevDataDir = process.env.DATA_DIR;
const MAX = 20 * 1024 * 1024;
let postId: string;
let signed: Buffer;
let reencoded: Buffer;
let unmarked: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "rh-verify-test-"));
  process.env.DATA_DIR = dir; // the signing identity is created here, as on first start
  pool = testPool(4);
  const owner = await makeUser(pool);
  const draft = await makeDraft(pool, owner);
  postId = await makePost(pool, owner, { draft, workflowId: `publish:${draft.draftId}` });
  const src = path.join(dir, "src.mp4");
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=24:duration=3"],
    ...["-pix_fmt", "yuv420p", src],
  ]);
  const pattern = path.join(dir, "mark.yuv");
  await writePattern(pattern, payloadOf(draft.draftId), 360, 640);
  const marked = path.join(dir, "marked.mp4");
  execFileSync(
    "ffmpeg",
    renditionArgs({
      input: src,
      output: marked,
      maxWidth: 720,
      mark: { pattern, width: 360, height: 640 },
    }),
  );
  const out = path.join(dir, "download.mp4");
  await signExport(marked, out, {
    kind: "post-download",
    format: "video/mp4",
    title: "download.mp4",
    instance: null,
    backend: "previz",
    model: null,
    workspace: { id: draft.workspaceId, name: "ws" },
    projectId: draft.projectId,
    draftWorkflowId: "generate:x",
    draftId: draft.draftId,
    postId: null,
    edited: false,
    remixOf: [],
  });
  signed = readFileSync(out);
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-i", out, "-c:v", "libx264", "-crf", "35", "-pix_fmt", "yuv420p"],
    path.join(dir, "re.mp4"),
  ]);
  reencoded = readFileSync(path.join(dir, "re.mp4"));
  unmarked = readFileSync(src);
});
afterAll(async () => {
  await pool.end();
  process.env.DATA_DIR = prevDataDir;
  rmSync(dir, { recursive: true, force: true });
});

describe("verifyUpload", () => {
  it("a signed, marked download: verified, with its post and claims", async () => {
    const r = await verifyUpload(pool, signed, { maxBytes: MAX });
    expect(r.verdict).toBe("verified");
    expect(r.c2pa.state).toBe("ours");
    expect(r.watermark.found).toBe(true);
    expect(r.post?.id).toBe(postId);
    expect(r.c2pa.claims?.actions.map((a) => a.action)).toContain("c2pa.created");
  });

  it("re-encoded at CRF 35 (manifest gone): the watermark still names the post", async () => {
    const r = await verifyUpload(pool, reencoded, { maxBytes: MAX });
    expect(r.c2pa.state).toBe("none");
    expect(r.verdict).toBe("marked");
    expect(r.post?.id).toBe(postId);
  });

  it("one changed byte in the picture data: tampered", async () => {
    const b = Buffer.from(signed);
    b[b.length - 3000] = (b[b.length - 3000] ?? 0) ^ 0xff;
    const r = await verifyUpload(pool, b, { maxBytes: MAX });
    expect(r.verdict).toBe("tampered");
    expect(r.c2pa.failures.length).toBeGreaterThan(0);
  });

  it("an unmarked video and another signer's file: not from this instance", async () => {
    const r = await verifyUpload(pool, unmarked, { maxBytes: MAX });
    expect(r.verdict).toBe("unknown");
    expect(r.post).toBeNull();
    const theirs = await createIdentity("Elsewhere");
    const other = path.join(dir, "other.mp4");
    await signExport(
      path.join(dir, "src.mp4"),
      other,
      {
        kind: "post-video",
        format: "video/mp4",
        title: "x",
        instance: null,
        backend: "x",
        model: null,
        workspace: null,
        projectId: null,
        draftWorkflowId: null,
        draftId: null,
        postId: null,
        edited: false,
        remixOf: [],
      },
      theirs,
    );
    const o = await verifyUpload(pool, readFileSync(other), { maxBytes: MAX });
    expect(o.verdict).toBe("other");
    expect(o.c2pa.origin).toBeNull();
  });

  it("refuses empty, oversized and non-media uploads by their bytes, and survives a hostile one", async () => {
    await expect(verifyUpload(pool, Buffer.alloc(0), { maxBytes: MAX })).rejects.toMatchObject({
      status: 400,
    });
    await expect(verifyUpload(pool, signed, { maxBytes: 1000 })).rejects.toMatchObject({
      status: 413,
    });
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    await expect(verifyUpload(pool, html, { maxBytes: MAX })).rejects.toBeInstanceOf(VerifyError);
    await expect(verifyUpload(pool, html, { maxBytes: MAX })).rejects.toMatchObject({
      status: 415,
    });
    // An MP4 signature followed by garbage: parsed by nothing that can crash, answered clearly.
    const hostile = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from("ftypisom"),
      Buffer.alloc(4096, 0xee),
    ]);
    const r = await verifyUpload(pool, hostile, { maxBytes: MAX });
    expect(["unknown", "tampered"]).toContain(r.verdict);
    expect(r.watermark.found).toBe(false);
    expect(r.watermark.error).toMatch(/could not be decoded/);
  });

  it("sniffMedia: by signature, not by name", () => {
    expect(sniffMedia(signed)).toBe("video/mp4");
    expect(sniffMedia(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffMedia(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe("image/png");
    expect(sniffMedia(Buffer.from("GIF89a"))).toBeNull();
  });
});
