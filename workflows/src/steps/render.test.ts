import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resetEnvCache } from "@reelhouse/shared/env.server";
import type { GenerationBackend } from "@reelhouse/shared/generation/backend";
import { registerBackend } from "@reelhouse/shared/generation/registry.server";
import { generationRequestSchema } from "@reelhouse/shared/generation/request";
import { testDatabaseUrl } from "@reelhouse/shared/testing/db";
import type {} from "@reelhouse/shared/testing/global-setup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, freshDatabase, tempDataDir } from "../testing/harness.ts";
import { closeStepPool, jobDirs } from "./context.ts";
import { renderStep } from "./render.ts";

/**
 * The render step hands a backend's thumbnails on, also when it is re-run after a kill -9 that
 * came after the video's rename but before DBOS checkpointed the step (the video is reused, and so
 * must be the thumbnails, or the re-run would take the other path).
 */

let dir: string;
let pool: ReturnType<typeof createPool>;
let renders = 0;

const fake: GenerationBackend = {
  name: "fake-with-thumbnails",
  label: "test",
  async render(_request, ctx) {
    renders++;
    const file = (name: string, text: string) => {
      const p = path.join(ctx.workDir, name);
      writeFileSync(p, text);
      return p;
    };
    return {
      videoPath: file("fake.mp4", "not really a video"),
      metadata: {},
      thumbnails: {
        posterPath: file("fake-poster.jpg", "poster"),
        spritePath: file("fake-sprite.jpg", "sprite"),
        columns: 5,
        rows: 4,
        tileWidth: 160,
        tileHeight: 284,
      },
    };
  },
};

beforeAll(async () => {
  const databaseUrl = await freshDatabase(testDatabaseUrl());
  dir = tempDataDir("render");
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATA_DIR = dir;
  resetEnvCache();
  pool = createPool(databaseUrl, 1);
  registerBackend(fake.name, () => fake);
});

afterAll(async () => {
  await closeStepPool();
  await pool?.end();
  delete process.env.DATABASE_URL;
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

describe("render step", () => {
  it("passes a backend's thumbnails on, and again when re-run after the video was renamed", async () => {
    const input = {
      workflowId: "gen:test:render-thumbs",
      projectId: "00000000-0000-4000-8000-000000000001",
      userId: "00000000-0000-4000-8000-000000000002",
      backend: fake.name,
      request: generationRequestSchema.parse({ prompt: { text: "a dog on a beach" } }),
      notify: false,
    };
    const first = await renderStep(input);
    expect(first.videoPath).toBe(path.join(jobDirs(input.workflowId).outDir, "video.mp4"));
    expect(first.thumbnails).toMatchObject({
      columns: 5,
      rows: 4,
      tileWidth: 160,
      tileHeight: 284,
    });
    expect(readFileSync(first.thumbnails!.posterPath, "utf8")).toBe("poster");

    // The worker died before the step's checkpoint: the step runs again.
    const again = await renderStep(input);
    expect(renders).toBe(1);
    expect(again.videoPath).toBe(first.videoPath);
    expect(again.thumbnails).toEqual(first.thumbnails);
  });
});
