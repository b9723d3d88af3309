import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { follow, unfollow } from "../social/interactions.server.ts";
import { insertPost } from "../social/posts.server.ts";
import { makeDraft, makeUser, type TestUser } from "../social/test-fixtures.ts";
import { testPool, uniq } from "../testing/db.ts";
import {
  createCameo,
  decideRequest,
  deleteCameo,
  requestToCast,
  revoke,
  updateSettings,
} from "./cameos.server.ts";
import { requireMayCast, resolveCast } from "./consent.server.ts";
import { CameoError } from "./errors.ts";
import { castCameos } from "./kits.server.ts";
import { deleteDraftOfMe } from "./removal.server.ts";
import { draftsOfMe, requirePublishConsent, reviewDraft } from "./reviews.server.ts";

/**
 * Cameo consent against the real database: every refusal (casting, render start, publish) writes
 * nothing; the publish gate runs inside the feed insert's transaction and serializes with a
 * revocation; deleting a cameo leaves no row and no file.
 */

let pool: Pool;
let root: string;
beforeAll(() => {
  pool = testPool(6);
  root = mkdtempSync(path.join(os.tmpdir(), "rh-cameos-"));
});
afterAll(async () => {
  await pool.end();
  rmSync(root, { recursive: true, force: true });
});

async function readyCameo(
  owner: TestUser,
  who: "only_me" | "approved" | "mutuals" | "everyone",
  instructions = "",
) {
  const c = await createCameo(pool, owner.id, { kind: "person" });
  await pool.query("UPDATE cameos SET status = 'ready' WHERE id = $1", [c.id]);
  if (who !== "only_me")
    await updateSettings(pool, owner.id, c.id, { whoMayCast: who, instructions });
  return c;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CameoError) return err.code;
    throw err;
  }
  return "ok";
}

/** A rendered draft by `maker` that casts `cameoId`, its video a real file under root. */
async function castDraft(maker: TestUser, cameoId: string, bytes = "video-v1") {
  const d = await makeDraft(pool, maker);
  const rel = `generations/${d.draftId}/video.mp4`;
  mkdirSync(path.join(root, path.dirname(rel)), { recursive: true });
  writeFileSync(path.join(root, rel), bytes);
  const wf = await pool.query<{ workflow_id: string }>(
    "UPDATE drafts SET video_path = $2 WHERE id = $1 RETURNING workflow_id",
    [d.draftId, rel],
  );
  await pool.query(
    `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
     VALUES ($1, 'clip', $2, $3, 'previz', $4, 'succeeded')`,
    [
      wf.rows[0]!.workflow_id,
      d.projectId,
      maker.id,
      JSON.stringify({ cast: [{ role: "barista", cameoId }] }),
    ],
  );
  return { ...d, videoFile: path.join(root, rel) };
}

/** The feed insert with the cameo gate in its transaction, as the publish workflow runs it. */
function publish(publisher: TestUser, draft: { draftId: string; projectId: string }) {
  return insertPost(
    pool,
    {
      workflowId: `publish:${draft.draftId}`,
      authorId: publisher.id,
      req: {
        draftId: draft.draftId,
        caption: "",
        audience: "all",
        allowRemix: true,
        remixOf: null,
      },
      source: {
        draftId: draft.draftId,
        projectId: draft.projectId,
        prompt: "p",
        videoPath: "v.mp4",
        durationMs: 1000,
        width: 720,
        height: 1280,
        storyboard: null,
      },
      videoPath: "v.mp4",
      posterPath: "p.jpg",
      downloadPath: "d.mp4",
    },
    (c) => requirePublishConsent(c, draft.draftId, publisher.id, root),
  );
}
const postCount = async (draftId: string) =>
  Number(
    (await pool.query("SELECT count(*) FROM posts WHERE draft_id = $1", [draftId])).rows[0].count,
  );

describe("casting and rendering ask the consent rule", () => {
  it("casting without consent is refused with the rule's reason and resolves nothing", async () => {
    const mia = await makeUser(pool);
    const other = await makeUser(pool);
    await readyCameo(mia, "approved");
    const cast = [{ role: "barista", username: mia.username }];
    expect(await refusal(resolveCast(pool, other.id, cast, "a cafe"))).toBe("cameo_needs_approval");
    expect(
      await refusal(
        requestToCast(
          pool,
          other.id,
          (await pool.query("SELECT id FROM cameos WHERE owner_id = $1", [mia.id])).rows[0].id,
        ),
      ),
    ).toBe("ok");
    expect(await refusal(resolveCast(pool, other.id, cast, "a cafe"))).toBe("cameo_pending");
  });

  it("a request, once approved, lets the person cast; the cast carries the cameo id", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "approved");
    await requestToCast(pool, tom.id, c.id);
    const n = await pool.query("SELECT kind FROM notifications WHERE user_id = $1", [mia.id]);
    expect(n.rows.map((r) => r.kind)).toContain("cameo_request");
    await decideRequest(pool, mia.id, c.id, tom.username, "approved");
    const out = await resolveCast(
      pool,
      tom.id,
      [{ role: "barista", username: `@${mia.username}` }],
      "latte art",
    );
    expect(out.cast[0]!.cameoId).toBe(c.id);
    const told = await pool.query("SELECT kind FROM notifications WHERE user_id = $1", [tom.id]);
    expect(told.rows.map((r) => r.kind)).toContain("cameo_request_approved");
  });

  it("a declined request is refused", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "approved");
    await requestToCast(pool, tom.id, c.id);
    await decideRequest(pool, mia.id, c.id, tom.username, "declined");
    expect(await refusal(requireMayCast(pool, tom.id, c.id))).toBe("cameo_declined");
  });

  it("the owner's instructions are read against the prompt", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone", "No political content");
    expect(await refusal(requireMayCast(pool, tom.id, c.id, { prompt: "a campaign speech" }))).toBe(
      "cameo_instructions",
    );
    expect(await refusal(requireMayCast(pool, tom.id, c.id, { prompt: "a quiet cafe" }))).toBe(
      "ok",
    );
  });

  it("more than three cameos in one shot are refused", async () => {
    const tom = await makeUser(pool);
    const cast = [];
    for (let i = 0; i < 4; i++) {
      const u = await makeUser(pool);
      await readyCameo(u, "everyone");
      cast.push({ role: `r${i}`, username: u.username });
    }
    expect(await refusal(resolveCast(pool, tom.id, cast, "a party"))).toBe("cameo_too_many");
    expect(await refusal(resolveCast(pool, tom.id, cast.slice(0, 3), "a party"))).toBe("ok");
  });

  it("a role given to someone without a cameo needs no consent and gets no cameo id", async () => {
    const tom = await makeUser(pool);
    const plain = await makeUser(pool);
    const out = await resolveCast(pool, tom.id, [{ role: "x", username: plain.username }], "p");
    expect(out.cast[0]!.cameoId).toBeUndefined();
  });
});

describe("minors' cameos", () => {
  it("a minor cannot set their cameo to everyone; the setting stays as it was", async () => {
    const kid = await makeUser(pool, { minor: true });
    const c = await readyCameo(kid, "mutuals");
    expect(
      await refusal(
        updateSettings(pool, kid.id, c.id, { whoMayCast: "everyone", instructions: "" }),
      ),
    ).toBe("minor_everyone");
    const r = await pool.query("SELECT who_may_cast FROM cameos WHERE id = $1", [c.id]);
    expect(r.rows[0].who_may_cast).toBe("mutuals");
  });

  it("a birthdate under 18 makes a minor even without the flag, and an adult casts them only as a mutual", async () => {
    const kid = await makeUser(pool);
    const year = new Date().getUTCFullYear() - 12;
    await pool.query("UPDATE users SET birthdate = $2 WHERE id = $1", [kid.id, `${year}-01-01`]);
    const c = await readyCameo(kid, "approved");
    const adult = await makeUser(pool);
    await requestToCast(pool, adult.id, c.id);
    await decideRequest(pool, kid.id, c.id, adult.username, "approved");
    expect(await refusal(requireMayCast(pool, adult.id, c.id))).toBe("cameo_minor_needs_mutual");
    await follow(pool, adult.viewer, kid.id);
    await follow(pool, kid.viewer, adult.id);
    expect(await refusal(requireMayCast(pool, adult.id, c.id))).toBe("ok");
  });
});

describe("the publish gate, inside the feed insert's transaction", () => {
  it("publishing without the owner's approval is refused and no post is written", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await castDraft(tom, c.id);
    expect(await refusal(publish(tom, d))).toBe("cameo_review_needed");
    expect(await postCount(d.draftId)).toBe(0);
    const page = await draftsOfMe(pool, mia.id, root);
    expect(page.find((x) => x.draftId === d.draftId)?.state).toBe("awaiting");
  });

  it("an approval is bound to that exact version: changed media voids it; a decline refuses", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    writeFileSync(d.videoFile, "video-v2");
    expect(await refusal(publish(tom, d))).toBe("cameo_review_stale");
    expect(await postCount(d.draftId)).toBe(0);
    expect((await draftsOfMe(pool, mia.id, root)).find((x) => x.draftId === d.draftId)?.state).toBe(
      "stale",
    );
    await reviewDraft(pool, mia.id, d.draftId, "declined", root);
    expect(await refusal(publish(tom, d))).toBe("cameo_review_declined");
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    expect(await refusal(publish(tom, d))).toBe("ok");
    expect(await postCount(d.draftId)).toBe(1);
    const told = await pool.query("SELECT kind FROM notifications WHERE user_id = $1", [tom.id]);
    expect(told.rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining(["cameo_draft_approved", "cameo_draft_declined"]),
    );
  });

  it("a revocation between the render and the publish transaction blocks the post, approval or not", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    await revoke(pool, mia.id, c.id, tom.username);
    expect(await refusal(publish(tom, d))).toBe("cameo_revoked");
    expect(await postCount(d.draftId)).toBe(0);
  });

  it("a lost mutual follow between render and publish blocks the post", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "mutuals");
    await follow(pool, mia.viewer, tom.id);
    await follow(pool, tom.viewer, mia.id);
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    await unfollow(pool, mia.viewer, tom.id);
    expect(await refusal(publish(tom, d))).toBe("cameo_needs_mutual");
    expect(await postCount(d.draftId)).toBe(0);
  });

  it("a revocation racing the publish transaction waits for its locks (it cannot slip in between check and insert)", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    const tx = await pool.connect();
    try {
      await tx.query("BEGIN");
      await requirePublishConsent(tx, d.draftId, tom.id, root);
      const pid = (await tx.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const revoking = revoke(pool, mia.id, c.id, tom.username);
      // The revocation's backend is blocked by this transaction's share lock on the cameo.
      for (;;) {
        const w = await pool.query(
          "SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
          [pid],
        );
        if (w.rowCount) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await tx.query("COMMIT");
      await revoking;
    } finally {
      tx.release();
    }
    // After the revocation committed, the same gate refuses.
    expect(await refusal(publish(tom, d))).toBe("cameo_revoked");
  });

  it("the cameo's owner publishing their own draft needs no review", async () => {
    const mia = await makeUser(pool);
    const c = await readyCameo(mia, "only_me");
    const d = await castDraft(mia, c.id);
    expect(await refusal(publish(mia, d))).toBe("ok");
  });
});

describe("revocation and deletion", () => {
  it("revoking cancels the person's queued and running renders that cast the cameo, and only those", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await makeDraft(pool, tom);
    const job = async (status: string, cameoId: string | null) => {
      const id = uniq("wf-");
      await pool.query(
        `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
         VALUES ($1, 'clip', $2, $3, 'previz', $4, $5)`,
        [
          id,
          d.projectId,
          tom.id,
          JSON.stringify({ cast: cameoId ? [{ role: "r", cameoId }] : [] }),
          status,
        ],
      );
      return id;
    };
    const queued = await job("queued", c.id);
    const running = await job("running", c.id);
    const done = await job("succeeded", c.id);
    const unrelated = await job("queued", null);
    const out = await revoke(pool, mia.id, c.id, tom.username);
    expect(out.cancelled.sort()).toEqual([queued, running].sort());
    const st = await pool.query<{ workflow_id: string; status: string }>(
      "SELECT workflow_id, status FROM generation_jobs WHERE workflow_id = ANY($1)",
      [[queued, running, done, unrelated]],
    );
    const by = Object.fromEntries(st.rows.map((r) => [r.workflow_id, r.status]));
    expect(by).toEqual({
      [queued]: "cancelled",
      [running]: "cancelled",
      [done]: "succeeded",
      [unrelated]: "queued",
    });
    expect(await refusal(requireMayCast(pool, tom.id, c.id))).toBe("cameo_revoked");
  });

  it("someone else cannot revoke, change or delete my cameo, and nothing changes", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    expect(await refusal(revoke(pool, tom.id, c.id, mia.username))).toBe("cameo_not_found");
    expect(
      await refusal(
        updateSettings(pool, tom.id, c.id, { whoMayCast: "only_me", instructions: "" }),
      ),
    ).toBe("cameo_not_found");
    expect(await refusal(deleteCameo(pool, tom.id, c.id, root))).toBe("cameo_not_found");
    const r = await pool.query("SELECT who_may_cast FROM cameos WHERE id = $1", [c.id]);
    expect(r.rows[0].who_may_cast).toBe("everyone");
  });

  it("deleting a cameo leaves no file and no row, and drafts that cast it can no longer be published", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "approved");
    await requestToCast(pool, tom.id, c.id);
    await decideRequest(pool, mia.id, c.id, tom.username, "approved");
    await pool.query("UPDATE cameos SET embedding = $2, voice = $3 WHERE id = $1", [
      c.id,
      [0.1, 0.2, 0.3],
      JSON.stringify({ pitchHz: 180 }),
    ]);
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    const dir = path.join(root, c.dir);
    for (const f of [
      "recording.webm",
      "kit/face.png",
      "kit/mouth-open.png",
      "voice.json",
      "cache/previz-face.png",
    ]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), "x");
    }
    expect(readdirSync(dir, { recursive: true }).length).toBeGreaterThan(0);
    await deleteCameo(pool, mia.id, c.id, root);
    expect(existsSync(dir)).toBe(false);
    const rows = await pool.query(
      `SELECT 'cameos' AS t, count(*)::int AS n FROM cameos WHERE id = $1
       UNION ALL SELECT 'cameo_grants', count(*)::int FROM cameo_grants WHERE cameo_id = $1
       UNION ALL SELECT 'cameo_draft_reviews', count(*)::int FROM cameo_draft_reviews WHERE cameo_id = $1`,
      [c.id],
    );
    expect(rows.rows).toEqual([
      { t: "cameos", n: 0 },
      { t: "cameo_grants", n: 0 },
      { t: "cameo_draft_reviews", n: 0 },
    ]);
    expect(await refusal(publish(tom, d))).toBe("cameo_deleted");
    expect(await postCount(d.draftId)).toBe(0);
    // Nowhere under the data folder is there a file of it, and a render finds no kit to draw.
    expect(readdirSync(root, { recursive: true }).filter((f) => String(f).includes(c.id))).toEqual(
      [],
    );
    expect(await castCameos(pool, { cast: [{ role: "barista", cameoId: c.id }] }, root)).toEqual(
      [],
    );
  });
});

describe("a render reads the cast cameos' kits", () => {
  it("gives the role, the kit's files inside the cameo's folder and the voice; an unready cameo is absent", async () => {
    const mia = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const kit = {
      face: "kit/face.png",
      mouthClosed: "kit/mouth-closed.png",
      mouthOpen: "kit/mouth-open.png",
      poses: { left: "kit/pose-left.png" },
      colors: { skin: "#c08a70", hair: "#202020" },
    };
    const voice = { pitchHz: 120, variant: "en-us+m3", pitch: 52 };
    await pool.query("UPDATE cameos SET kit = $2, voice = $3 WHERE id = $1", [
      c.id,
      JSON.stringify(kit),
      JSON.stringify(voice),
    ]);
    const cast = { cast: [{ role: "The barista", cameoId: c.id }, { role: "A cook" }] };
    const [got, ...rest] = await castCameos(pool, cast, root);
    expect(rest).toEqual([]);
    expect(got).toMatchObject({ cameoId: c.id, name: mia.username, role: "The barista", voice });
    expect(got!.files.face).toBe(path.join(root, c.dir, "kit/face.png"));
    expect(got!.files.poses).toEqual({ left: path.join(root, c.dir, "kit/pose-left.png") });
    // A manifest pointing outside the cameo's folder is refused, not followed.
    await pool.query("UPDATE cameos SET kit = $2 WHERE id = $1", [
      c.id,
      JSON.stringify({ ...kit, face: "../../etc/passwd" }),
    ]);
    await expect(castCameos(pool, cast, root)).rejects.toThrow(/outside its folder/);
    await pool.query("UPDATE cameos SET status = 'processing', kit = $2 WHERE id = $1", [
      c.id,
      JSON.stringify(kit),
    ]);
    expect(await castCameos(pool, cast, root)).toEqual([]);
  });
});

describe("the person cast deletes a draft or post with them in it", () => {
  it("deletes the draft, its post and their files; tells the maker", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    const d = await castDraft(tom, c.id);
    await reviewDraft(pool, mia.id, d.draftId, "approved", root);
    expect(await refusal(publish(tom, d))).toBe("ok");
    const post = await pool.query<{ id: string }>("SELECT id FROM posts WHERE draft_id = $1", [
      d.draftId,
    ]);
    const out = await deleteDraftOfMe(pool, mia.id, d.draftId, root);
    expect(out.posts).toEqual([post.rows[0]!.id]);
    expect(existsSync(d.videoFile)).toBe(false);
    const left = await pool.query(
      `SELECT (SELECT count(*)::int FROM drafts WHERE id = $1) AS drafts,
              (SELECT count(*)::int FROM cameo_draft_reviews WHERE draft_id = $1) AS reviews,
              (SELECT status FROM posts WHERE id = $2) AS post`,
      [d.draftId, post.rows[0]!.id],
    );
    expect(left.rows[0]).toEqual({ drafts: 0, reviews: 0, post: "deleted" });
    expect((await draftsOfMe(pool, mia.id, root)).some((x) => x.draftId === d.draftId)).toBe(false);
    const told = await pool.query("SELECT kind, payload FROM notifications WHERE user_id = $1", [
      tom.id,
    ]);
    expect(told.rows).toContainEqual({
      kind: "cameo_draft_deleted",
      payload: { actorId: mia.id, cameo: c.name, posts: 1 },
    });
  });

  it("refuses someone who is not in the draft (even its viewer), and touches nothing", async () => {
    const mia = await makeUser(pool);
    const tom = await makeUser(pool);
    const eve = await makeUser(pool);
    const c = await readyCameo(mia, "everyone");
    // Eve has a cameo of her own, just not in this draft.
    await readyCameo(eve, "everyone");
    const d = await castDraft(tom, c.id);
    for (const who of [eve, tom]) {
      expect(await refusal(deleteDraftOfMe(pool, who.id, d.draftId, root))).toBe("draft_not_found");
    }
    expect(
      await refusal(deleteDraftOfMe(pool, mia.id, "00000000-0000-4000-8000-000000000000", root)),
    ).toBe("draft_not_found");
    expect(existsSync(d.videoFile)).toBe(true);
    const n = await pool.query("SELECT count(*)::int AS n FROM drafts WHERE id = $1", [d.draftId]);
    expect(n.rows[0].n).toBe(1);
  });
});
