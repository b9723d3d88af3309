import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { testPool, uniq } from "../testing/db.ts";
import { trending } from "./feed.server.ts";
import { getPost } from "./posts.server.ts";
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
