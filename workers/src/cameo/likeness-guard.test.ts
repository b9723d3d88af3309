import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCameo, updateSettings } from "@reelhouse/shared/cameos/cameos.server";
import { CameoError } from "@reelhouse/shared/cameos/errors";
import { requireLikenessConsent } from "@reelhouse/shared/cameos/likeness.server";
import type { Pool } from "@reelhouse/shared/db/pool.server";
import { makeUser } from "@reelhouse/shared/social/test-fixtures";
import { testPool } from "@reelhouse/shared/testing/db";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { embedImageFile } from "./face.server.ts";
import { SAMPLE_PORTRAIT } from "./footage.server.ts";

/**
 * The likeness guard on image-to-video inputs, with the real face model and real Postgres: another
 * photo of a man who has a cameo is refused for someone he has not allowed, and passes once he
 * allows everyone; a photo of a different person passes. Images: @vladmandic/human's own assets.
 */
vi.setConfig({ testTimeout: 300_000 });

let pool: Pool;
let dir: string;
const GRID = path.join(path.dirname(SAMPLE_PORTRAIT), "screenshot-facematch.jpg");
async function cut(
  file: string,
  crop: { left: number; top: number; width: number; height: number },
  name: string,
) {
  const out = path.join(dir, name);
  await sharp(file)
    .extract(crop)
    .resize(240, 240)
    .extend({ top: 100, bottom: 100, left: 100, right: 100, background: "#303030" })
    .png()
    .toFile(out);
  return out;
}
beforeAll(() => {
  pool = testPool(3);
  dir = mkdtempSync(path.join(os.tmpdir(), "rh-likeness-"));
});
afterAll(async () => {
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe("likeness guard on an image-to-video input", () => {
  it("refuses a look-alike image without the person's consent, and passes with it or for another face", async () => {
    const man = await makeUser(pool);
    const uploader = await makeUser(pool);
    const portrait = await cut(
      SAMPLE_PORTRAIT,
      { left: 14, top: 142, width: 140, height: 140 },
      "portrait.png",
    );
    const cameo = await createCameo(pool, man.id, { kind: "person" });
    const emb = await embedImageFile(portrait);
    expect(emb).toHaveLength(1024);
    await pool.query("UPDATE cameos SET status = 'ready', embedding = $2 WHERE id = $1", [
      cameo.id,
      emb,
    ]);

    const sameMan = await embedImageFile(
      await cut(GRID, { left: 4, top: 284, width: 100, height: 100 }, "same.png"),
    );
    const refusal = await requireLikenessConsent(pool, uploader.id, sameMan!).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(CameoError);
    expect((refusal as CameoError).code).toBe("likeness_match");
    expect((refusal as CameoError).message).toContain(`@${man.username}`);

    const other = await embedImageFile(
      await cut(GRID, { left: 324, top: 504, width: 100, height: 100 }, "other.png"),
    );
    expect(await requireLikenessConsent(pool, uploader.id, other!)).toMatchObject({
      matched: null,
    });

    await updateSettings(pool, man.id, cameo.id, { whoMayCast: "everyone", instructions: "" });
    expect(await requireLikenessConsent(pool, uploader.id, sameMan!)).toMatchObject({
      matched: man.username,
    });
  });
});
