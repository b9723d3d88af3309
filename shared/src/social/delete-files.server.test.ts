import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { testPool } from "../testing/db.ts";
import { deletePost, getPost } from "./posts.server.ts";
import { makeDraft, makePost, makeUser, type TestUser } from "./test-fixtures.ts";

/** Deleting a post removes the files it owns, after the delete commits, and nothing else. */
let pool: Pool;
let root: string;
beforeAll(() => {
  pool = testPool(4);
  root = mkdtempSync(path.join(os.tmpdir(), "rh-post-files-"));
});
afterAll(async () => {
  await pool.end();
  rmSync(root, { recursive: true, force: true });
});

const abs = (rel: string) => path.join(root, rel);
function touch(rel: string) {
  mkdirSync(path.dirname(abs(rel)), { recursive: true });
  writeFileSync(abs(rel), "x");
}

/** A post as the publish workflow leaves it: files in posts/<draft id>/, plus the draft's own. */
async function publishedWithFiles(owner: TestUser) {
  const draft = await makeDraft(pool, owner);
  const dir = path.posix.join("posts", draft.draftId);
  const files = {
    video: `${dir}/feed.mp4`,
    poster: `${dir}/poster.jpg`,
    download: `${dir}/download.mp4`,
  };
  const draftVideo = `media/${draft.draftId}/video.mp4`;
  await pool.query("UPDATE drafts SET video_path = $2 WHERE id = $1", [draft.draftId, draftVideo]);
  const postId = await makePost(pool, owner, { draft, workflowId: `publish:${draft.draftId}` });
  await pool.query(
    "UPDATE posts SET video_path = $2, poster_path = $3, download_path = $4 WHERE id = $1",
    [postId, files.video, files.poster, files.download],
  );
  for (const f of [...Object.values(files), `${dir}/watermark.png`, draftVideo]) touch(f);
  return { postId, draft, dir, files, draftVideo };
}

describe("deletePost removes the post's files", () => {
  it("removes the rendition, poster, watermarked download and their folder, but not the draft's files", async () => {
    const owner = await makeUser(pool);
    const p = await publishedWithFiles(owner);
    const out = await deletePost(pool, owner.viewer, p.postId, root);
    expect(out.files.sort()).toEqual(Object.values(p.files).sort());
    for (const f of Object.values(p.files)) expect(existsSync(abs(f))).toBe(false);
    expect(existsSync(abs(p.dir))).toBe(false);
    expect(existsSync(abs(p.draftVideo))).toBe(true);
  });

  it("keeps a file the post shares with its draft", async () => {
    const owner = await makeUser(pool);
    const p = await publishedWithFiles(owner);
    await pool.query("UPDATE drafts SET poster_path = $2 WHERE id = $1", [
      p.draft.draftId,
      p.files.poster,
    ]);
    await deletePost(pool, owner.viewer, p.postId, root);
    expect(existsSync(abs(p.files.poster))).toBe(true);
    expect(existsSync(abs(p.files.video))).toBe(false);
  });

  it("a refused delete (not the owner) removes nothing", async () => {
    const owner = await makeUser(pool);
    const stranger = await makeUser(pool);
    const p = await publishedWithFiles(owner);
    await expect(deletePost(pool, stranger.viewer, p.postId, root)).rejects.toThrow();
    for (const f of Object.values(p.files)) expect(existsSync(abs(f))).toBe(true);
  });

  it("a delete whose transaction fails rolls back and removes nothing", async () => {
    const owner = await makeUser(pool);
    const p = await publishedWithFiles(owner);
    // A pool whose transaction clients fail at the last statement of the delete.
    const failing = new Proxy(pool, {
      get(target, prop) {
        if (prop !== "connect") {
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        }
        return async () => {
          const c = await target.connect();
          const query = c.query.bind(c) as (...a: unknown[]) => Promise<unknown>;
          return new Proxy(c, {
            get(t, k) {
              if (k !== "query") {
                const v = Reflect.get(t, k);
                return typeof v === "function" ? v.bind(t) : v;
              }
              return (sql: unknown, ...rest: unknown[]) => {
                if (typeof sql === "string" && sql.startsWith("DELETE FROM post_mentions"))
                  return Promise.reject(new Error("simulated failure"));
                return query(sql, ...rest);
              };
            },
          });
        };
      },
    }) as Pool;
    await expect(deletePost(failing, owner.viewer, p.postId, root)).rejects.toThrow(
      "simulated failure",
    );
    for (const f of Object.values(p.files)) expect(existsSync(abs(f))).toBe(true);
    expect((await getPost(pool, owner.viewer, p.postId)).status).toBe("published");
  });
});
