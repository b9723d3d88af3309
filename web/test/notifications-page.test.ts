import { follow, like } from "@reelhouse/shared/social/interactions.server";
import { asTestUser, makePost } from "@reelhouse/shared/social/test-fixtures";
import { testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/** Issue 17: notifications look like notifications (faces, the video's picture, grouped lines). */
const pool = testPool();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  await pool.end();
});

async function member() {
  const client = new Client(app.url);
  const m = await onboardOverHttp(client, pool);
  const id = (await pool.query("SELECT id FROM users WHERE username = $1", [m.username])).rows[0]
    .id;
  return { client, id, user: asTestUser(id, m.username), ...m };
}

describe("the notifications page", () => {
  it("folds three likes of one video into one line with faces and the video's poster; marking it read marks all three", async () => {
    const owner = await member();
    const postId = await makePost(pool, owner.user);
    await pool.query("UPDATE posts SET poster_path = 'posts/x/poster.jpg' WHERE id = $1", [postId]);
    const fans = [await member(), await member(), await member()];
    for (const f of fans) await like(pool, f.user.viewer, postId);
    await follow(pool, fans[0]!.user.viewer, owner.id);

    const page = await owner.client.get("/notifications");
    expect(page.status).toBe(200);
    const body = text(page.body);
    const last = fans[2]!.username;
    expect(body).toContain(`@${last} and 2 others liked your video`);
    expect(body).toContain(`@${fans[0]!.username} started following you`);
    expect(page.body.match(/data-testid="notification"/g)).toHaveLength(2);
    expect(page.body).toContain(`src="/p/${postId}/poster.jpg"`);
    expect(page.body.match(/class="notif-faces"/g)).toHaveLength(2);

    // "Mark read" on the folded line posts all three ids.
    const ids = (
      await pool.query<{ id: string }>(
        "SELECT id FROM notifications WHERE user_id = $1 AND kind = 'like'",
        [owner.id],
      )
    ).rows.map((r) => r.id);
    expect(ids).toHaveLength(3);
    const likeLine = page.body
      .split('data-testid="notification"')
      .find((x) => x.includes("liked your video"))!;
    const form = /<form[^>]*class="notif-mark"[^>]*>([\s\S]*?)<\/form>/.exec(likeLine)![1]!;
    const posted = [...form.matchAll(/name="id" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
    expect(posted.sort()).toEqual([...ids].sort());
    const params = new URLSearchParams();
    params.set("csrf", owner.client.csrf);
    for (const id of posted) params.append("id", id!);
    const marked = await owner.client.request("POST", "/notifications", {
      body: params.toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: app.url,
        "sec-fetch-site": "same-origin",
      },
    });
    expect(marked.status).toBe(200);
    const unread = await pool.query(
      "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND kind = 'like' AND read_at IS NULL",
      [owner.id],
    );
    expect(unread.rows[0].n).toBe(0);
  });

  it("an empty list says what will show up there", async () => {
    const m = await member();
    const page = text((await m.client.get("/notifications")).body);
    expect(page).toContain("No notifications yet.");
    expect(page).toContain("Likes, comments, follows, mentions and finished renders show up here.");
  });
});
