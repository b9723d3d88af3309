import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docName } from "../collab/docs.ts";
import { listShots } from "../collab/schema.ts";
import type { Pool } from "../db/pool.server.ts";
import { testPool, uniq } from "../testing/db.ts";
import { loadYDoc } from "../workspaces/documents.server.ts";
import { trending } from "./feed.server.ts";
import { getPost, remixSeed } from "./posts.server.ts";
import { startRemix } from "./remix.server.ts";
import { makeDraft, makePost, makeUser } from "./test-fixtures.ts";

/** What publishing carries over from the draft's render: its style (trending) and storyboard (remix). */
let pool: Pool;
beforeAll(() => {
  pool = testPool(4);
});
afterAll(async () => {
  await pool.end();
});

const previzMeta = (style: string) => JSON.stringify({ backend: "previz", spec: { style } });

describe("publish: the post's style comes from the draft's render metadata", () => {
  it("a published previz draft's post carries its spec's style, and trending lists it", async () => {
    const owner = await makeUser(pool);
    const draft = await makeDraft(pool, owner);
    const style = uniq("noir").toLowerCase().slice(0, 40);
    await pool.query("UPDATE drafts SET metadata = $2 WHERE id = $1", [
      draft.draftId,
      previzMeta(style),
    ]);
    const postId = await makePost(pool, owner, { draft });
    expect((await getPost(pool, owner.viewer, postId)).style).toBe(style);
    const t = await trending(pool, null, 7, 1000);
    expect(t.styles.map((s) => s.key)).toContain(style);
  });

  it("a storyboard sequence's post takes the most common style of its shots' drafts", async () => {
    const owner = await makeUser(pool);
    const a = await makeDraft(pool, owner);
    const b = await makeDraft(pool, owner);
    const c = await makeDraft(pool, owner);
    const seq = await makeDraft(pool, owner);
    const [s1, s2] = [uniq("vintage").toLowerCase(), uniq("neon").toLowerCase()];
    await pool.query("UPDATE drafts SET metadata = $2 WHERE id = $1", [a.draftId, previzMeta(s1)]);
    await pool.query("UPDATE drafts SET metadata = $2 WHERE id = $1", [b.draftId, previzMeta(s2)]);
    await pool.query("UPDATE drafts SET metadata = $2 WHERE id = $1", [c.draftId, previzMeta(s2)]);
    await pool.query("UPDATE drafts SET kind = 'sequence', metadata = $2 WHERE id = $1", [
      seq.draftId,
      JSON.stringify({
        shots: [a, b, c].map((d, i) => ({ shotId: `shot-${i}`, draftId: d.draftId })),
      }),
    ]);
    const postId = await makePost(pool, owner, { draft: seq });
    expect((await getPost(pool, owner.viewer, postId)).style).toBe(s2);
  });

  it("a draft whose backend recorded no style publishes without one", async () => {
    const owner = await makeUser(pool);
    const draft = await makeDraft(pool, owner);
    const postId = await makePost(pool, owner, { draft });
    expect((await getPost(pool, owner.viewer, postId)).style).toBeNull();
  });
});

describe("publish: a storyboard sequence's post keeps its storyboard, and a remix starts from it", () => {
  it("stores the sequence's shots from its job's input and prefills the remix project's storyboard", async () => {
    const owner = await makeUser(pool);
    const remixer = await makeUser(pool);
    const seq = await makeDraft(pool, owner);
    const wf = await pool.query<{ workflow_id: string }>(
      "UPDATE drafts SET kind = 'sequence', prompt = 'Sequence of 2 shots' WHERE id = $1 RETURNING workflow_id",
      [seq.draftId],
    );
    const shots = [
      {
        shotId: "s1",
        request: { prompt: { text: "a lighthouse at dusk", sections: {} }, durationSeconds: 6 },
        transition: { kind: "cut", durationSeconds: 0 },
      },
      {
        shotId: "s2",
        request: {
          prompt: { text: "waves crash on the rocks", sections: { camera: "slow push in" } },
          durationSeconds: 8,
        },
        transition: { kind: "dissolve", durationSeconds: 0.5 },
      },
    ];
    await pool.query(
      `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
       VALUES ($1, 'sequence', $2, $3, 'previz', $4, 'succeeded')`,
      [wf.rows[0]!.workflow_id, seq.projectId, owner.id, JSON.stringify({ shots })],
    );
    const postId = await makePost(pool, owner, { draft: seq });
    const seed = await remixSeed(pool, remixer.viewer, postId);
    expect(seed.storyboard).toEqual([
      {
        prompt: "a lighthouse at dusk",
        camera: "",
        durationSeconds: 6,
        transition: "cut",
        notes: "",
      },
      {
        prompt: "waves crash on the rocks",
        camera: "slow push in",
        durationSeconds: 8,
        transition: "dissolve",
        notes: "",
      },
    ]);

    const { projectId } = await startRemix(pool, remixer.viewer, postId);
    const board = listShots(await loadYDoc(pool, docName(projectId, "storyboard")));
    expect(
      board.map((s) => ({
        prompt: s.prompt,
        camera: s.camera,
        durationSeconds: s.durationSeconds,
        transition: s.transition,
      })),
    ).toEqual([
      { prompt: "a lighthouse at dusk", camera: "", durationSeconds: 6, transition: "cut" },
      {
        prompt: "waves crash on the rocks",
        camera: "slow push in",
        durationSeconds: 8,
        transition: "dissolve",
      },
    ]);
  });

  it("a single clip's post has no storyboard", async () => {
    const owner = await makeUser(pool);
    const draft = await makeDraft(pool, owner);
    const postId = await makePost(pool, owner, { draft });
    expect((await remixSeed(pool, owner.viewer, postId)).storyboard).toBeNull();
  });
});
