import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  type CameoService,
  createCameoService,
  issuePlan,
} from "@reelhouse/shared/cameos/service.server";
import { makeUser } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildFootage, followPlan } from "../../workers/src/cameo/footage.server.ts";
import {
  createPool,
  freshDatabase,
  spawnWorker,
  tempDataDir,
  type WorkerHandle,
  waitFor,
} from "./testing/harness.ts";

/**
 * The `cameo` workflow end to end: a private database, a REAL worker process with the face model,
 * real ffmpeg. A recording that follows its random prompts becomes a ready cameo with a kit; the
 * same face uploaded by someone else is refused by the likeness guard.
 */
vi.setConfig({ testTimeout: 600_000, hookTimeout: 180_000 });

const SECRET = "test-secret";
let databaseUrl: string;
let dir: string;
let pool: ReturnType<typeof createPool>;
let service: CameoService;
let worker: WorkerHandle;

beforeAll(async () => {
  databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("cameo");
  process.env.DATA_DIR = dir;
  pool = createPool(databaseUrl, 4);
  service = await createCameoService({ pool, databaseUrl, secret: SECRET, root: dir });
  worker = spawnWorker({ databaseUrl, dataDir: dir, workerId: "w-cameo" });
  await worker.ready;
});
afterAll(async () => {
  await worker?.stop();
  await service?.close();
  await pool?.end();
});

async function record(ownerId: string) {
  const { plan, token } = issuePlan(SECRET);
  const file = path.join(dir, `rec-${Math.random().toString(36).slice(2)}.webm`);
  await buildFootage({ out: file, ...followPlan(plan) });
  const { cameo } = await service.submit(ownerId, { kind: "person" }, readFileSync(file), token);
  return waitFor(
    "the cameo to be processed",
    async () => {
      const r = await pool.query(
        "SELECT status, status_reason, stage, progress, kit, voice, array_length(embedding, 1) AS dims, dir FROM cameos WHERE id = $1",
        [cameo.id],
      );
      const row = r.rows[0];
      return row && row.status !== "processing" ? { id: cameo.id, ...row } : undefined;
    },
    540_000,
  );
}

describe("cameo workflow", () => {
  it("processes a recording into a ready cameo, and refuses the same face for someone else", async () => {
    const mia = await makeUser(pool);
    const done = await record(mia.id);
    expect(done.status_reason).toBeNull();
    expect(done).toMatchObject({ status: "ready", stage: "ready", progress: 100, dims: 1024 });
    expect(done.voice.variant).toMatch(/^en-us/);
    const kitDir = path.join(dir, done.dir, "kit");
    expect(readdirSync(kitDir).sort()).toContain("face.png");
    expect(
      existsSync(
        path.join(
          dir,
          done.kit.face.startsWith("kit/") ? `${done.dir}/${done.kit.face}` : done.kit.face,
        ),
      ),
    ).toBe(true);

    const copycat = await makeUser(pool);
    const stolen = await record(copycat.id);
    expect(stolen.status).toBe("refused");
    expect(stolen.status_reason).toContain(`@${mia.username}`);
    expect(stolen.dims).toBeNull();
    expect(existsSync(path.join(dir, stolen.dir, "kit"))).toBe(false);
  });
});
