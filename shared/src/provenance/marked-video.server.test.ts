import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { makeDraft, makeUser } from "../social/test-fixtures.ts";
import { testPool } from "../testing/db.ts";
import { detectInFile } from "./invisible-mark.server.ts";
import { identify, payloadOf } from "./invisible-mark.ts";
import { writeMarkedVideo } from "./marked-video.server.ts";
import { readProvenance } from "./sign.server.ts";
import { verifyUpload } from "./verify.server.ts";
import { firstGrayFrame } from "./visible-mark.server.ts";
import { visibleMarkScore } from "./visible-mark.ts";

/**
 * A draft's export on real files (ffmpeg, the C2PA library) and a real database: the visible mark
 * is in the picture where it belongs, the invisible mark carries the draft, the manifest signed
 * after both reads back valid with our chain, and /verify's check names the unpublished draft —
 * with its workspace from the manifest, and by the mark alone once the manifest is stripped.
 */
let pool: Pool;
let dir: string;
const prevDataDir = process.env.DATA_DIR;
let draft: { draftId: string; projectId: string; workspaceId: string };
const src = () => path.join(dir, "master.mp4");
const dest = () => path.join(dir, "export.mp4");

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "rh-marked-test-"));
  process.env.DATA_DIR = dir;
  pool = testPool(4);
  const owner = await makeUser(pool);
  draft = await makeDraft(pool, owner);
  await pool.query("UPDATE drafts SET export_path = 'x/export.mp4' WHERE id = $1", [draft.draftId]);
  execFileSync("ffmpeg", [
    ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=360x640:rate=24:duration=3"],
    ...["-pix_fmt", "yuv420p", src()],
  ]);
  await writeMarkedVideo({
    source: src(),
    dest: dest(),
    payload: payloadOf(draft.draftId),
    username: "ana",
    facts: {
      kind: "draft-export",
      format: "video/mp4",
      title: "export.mp4",
      instance: null,
      backend: "previz",
      model: null,
      workspace: { id: draft.workspaceId, name: "Fox studio" },
      projectId: draft.projectId,
      draftWorkflowId: "generate:x",
      draftId: draft.draftId,
      postId: null,
      edited: false,
      remixOf: [],
    },
  });
}, 120_000);
afterAll(async () => {
  await pool.end();
  process.env.DATA_DIR = prevDataDir;
  rmSync(dir, { recursive: true, force: true });
});

describe("writeMarkedVideo (a draft's export)", () => {
  it("carries the visible mark bottom-left, and only there", async () => {
    const marked = await firstGrayFrame(dest(), 360, 640);
    const master = await firstGrayFrame(src(), 360, 640);
    const s = visibleMarkScore(marked, master, 360, 640);
    expect(s.inside).toBeGreaterThan(20);
    expect(s.outside).toBeLessThan(6);
    // The master itself scores nothing: the check can fail.
    expect(visibleMarkScore(master, master, 360, 640).inside).toBe(0);
  });

  it("carries the draft's invisible mark, and a manifest signed after the marks that reads back valid", async () => {
    // As /verify looks (identify: the blind decode, or the best of this instance's payloads),
    // against a thousand decoys; the unmarked master names none of them.
    const own = payloadOf(draft.draftId);
    const decoys = Array.from({ length: 1000 }, (_, i) => (i * 2654435761) >>> 0);
    const d = await detectInFile(dest(), { fps: 24 });
    expect(identify(d, [...decoys, own])?.payload).toBe(own);
    expect(identify(await detectInFile(src(), { fps: 24 }), [...decoys, own])).toBeNull();
    const p = await readProvenance({ path: dest() });
    expect(p.state).toBe("ours");
    expect(p.origin).toMatchObject({ kind: "draft-export", draftId: draft.draftId });
    expect(p.claims?.actions.map((a) => a.action)).toEqual(["c2pa.created", "c2pa.watermarked"]);
  });

  it("a retried step keeps the signed file it finds", async () => {
    const before = statSync(dest()).mtimeMs;
    await writeMarkedVideo({
      source: src(),
      dest: dest(),
      payload: 1,
      username: "x",
      facts: {} as never,
    });
    expect(statSync(dest()).mtimeMs).toBe(before);
  });

  it("/verify names the unpublished draft: with its workspace from the manifest, by the mark once the manifest is gone", async () => {
    const r = await verifyUpload(pool, readFileSync(dest()), { maxBytes: 50e6 });
    expect(r.verdict).toBe("verified");
    expect(r.post).toBeNull();
    expect(r.draft).toEqual({ id: draft.draftId, workspaceName: "Fox studio", published: false });
    expect(r.summary).toContain("Fox studio");
    const re = path.join(dir, "re.mp4");
    execFileSync("ffmpeg", [
      ...["-v", "error", "-y", "-i", dest(), "-c:v", "libx264", "-crf", "35"],
      ...["-pix_fmt", "yuv420p", re],
    ]);
    const m = await verifyUpload(pool, readFileSync(re), { maxBytes: 50e6 });
    expect(m.c2pa.state).toBe("none");
    expect(m.verdict).toBe("marked");
    expect(m.draft).toEqual({ id: draft.draftId, workspaceName: null, published: false });
  });
});
