import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Reader } from "@contentauth/c2pa-node";
import { beforeAll, describe, expect, it } from "vitest";
import { createIdentity, type SigningIdentity } from "./identity.server.ts";
import { type ProvenanceFacts, TRAINED_ALGORITHMIC_MEDIA } from "./manifest.ts";
import { readProvenance, signExport } from "./sign.server.ts";

const facts: ProvenanceFacts = {
  kind: "post-download",
  format: "video/mp4",
  title: "download.mp4",
  instance: "https://reelhouse.example",
  backend: "previz",
  model: "previz-1",
  workspace: { id: "w-1", name: "Studio" },
  projectId: "p-1",
  draftWorkflowId: "generate:abc",
  draftId: "d-1",
  postId: "post-1",
  edited: false,
  remixOf: [{ postId: "orig-1", username: "ana" }],
};

let dir: string;
let ours: SigningIdentity;
let theirs: SigningIdentity;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "rh-sign-"));
  [ours, theirs] = await Promise.all([createIdentity(), createIdentity("Elsewhere")]);
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=24:duration=1"],
    ...["-pix_fmt", "yuv420p", path.join(dir, "in.mp4")],
  ]);
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x180", "-frames:v", "1"],
    path.join(dir, "in.jpg"),
  ]);
});

describe("C2PA signing with our chain", () => {
  it("signs an MP4 into place and reads it back trusted, with our claims", async () => {
    const out = path.join(dir, "download.mp4");
    await signExport(path.join(dir, "in.mp4"), out, facts, ours);
    const r = await readProvenance({ path: out }, ours);
    expect(r.state).toBe("ours");
    expect(r.validationState).toBe("Trusted");
    expect(r.origin).toMatchObject({
      postId: "post-1",
      workspaceName: "Studio",
      kind: "post-download",
    });
    expect(r.claims?.digitalSourceType).toBe(TRAINED_ALGORITHMIC_MEDIA);
    expect(r.claims?.actions.map((a) => a.action)).toEqual(["c2pa.created", "c2pa.watermarked"]);
    expect(r.claims?.ingredients[0]?.instanceId).toBe("https://reelhouse.example/p/orig-1");
    // No temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("signs a JPEG in place (source = destination), without a claim thumbnail", async () => {
    const jpg = path.join(dir, "poster.jpg");
    writeFileSync(jpg, readFileSync(path.join(dir, "in.jpg")));
    await signExport(jpg, jpg, { ...facts, kind: "post-poster", format: "image/jpeg" }, ours);
    const r = await readProvenance({ buffer: readFileSync(jpg), mimeType: "image/jpeg" }, ours);
    expect(r.state).toBe("ours");
    expect(r.origin?.kind).toBe("post-poster");
    // Without a claim thumbnail (a re-encoded copy of the picture, ~60 ms of a draft's signing).
    const store = (await Reader.fromAsset({ path: jpg }))!.json() as unknown as {
      active_manifest: string;
      manifests: Record<string, { thumbnail?: unknown }>;
    };
    expect(store.manifests[store.active_manifest]).toBeDefined();
    expect(store.manifests[store.active_manifest]!.thumbnail).toBeUndefined();
  });

  it("tells apart an unsigned file, another signer's file and a tampered one", async () => {
    expect((await readProvenance({ path: path.join(dir, "in.mp4") }, ours)).state).toBe("none");
    const other = path.join(dir, "other.mp4");
    await signExport(path.join(dir, "in.mp4"), other, facts, theirs);
    const o = await readProvenance({ path: other }, ours);
    expect(o.state).toBe("other");
    expect(o.origin).toBeNull(); // never believed about our posts
    const bytes = readFileSync(path.join(dir, "download.mp4"));
    bytes[bytes.length - 2000] = (bytes[bytes.length - 2000] ?? 0) ^ 0xff;
    const t = await readProvenance({ buffer: bytes, mimeType: "video/mp4" }, ours);
    expect(t.state).toBe("invalid");
    expect(t.failures.length).toBeGreaterThan(0);
  });

  it("fails clearly and leaves nothing when the source is not media", async () => {
    const bad = path.join(dir, "bad.mp4");
    writeFileSync(bad, "not a video");
    await expect(signExport(bad, path.join(dir, "x.mp4"), facts, ours)).rejects.toThrow(
      /C2PA signing of x.mp4 failed/,
    );
    expect(readdirSync(dir)).not.toContain("x.mp4");
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
  });
});
