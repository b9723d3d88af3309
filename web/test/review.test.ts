import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { transaction } from "@reelhouse/shared/db/pool.server";
import { createReviewLink, revokeReviewLink } from "@reelhouse/shared/review/links.server";
import { stackDraft } from "@reelhouse/shared/review/stacks.server";
import { asTestUser, makeDraft } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool } from "@reelhouse/shared/testing/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardOverHttp } from "./fixtures.ts";
import { Client, startTestApp, type TestApp, text } from "./harness.ts";

/**
 * Issue 14's access rules over real HTTP (the built app, real Postgres; no worker runs here, so an
 * accepted upload stays queued): a commenter cannot change the status (the route refuses and
 * nothing changes); uploading a new version is refused to viewers, commenters and outsiders before
 * the body is read, and a text file or a playlist is refused by content, writing nothing; a guest
 * gets nothing with a wrong passphrase, a revoked or expired link, or a forged version id; and a
 * guest never reaches what holds team-only notes (the member page, its collab token, its export).
 * The collab server's side (the team document refused to guests) is collab-server/src/review.test.ts.
 */

process.env.DATABASE_URL = testDatabaseUrl();
const dataDir = mkdtempSync(path.join(os.tmpdir(), "rh-review-http-"));
process.env.DATA_DIR = dataDir;

const pool = testPool();
let app: TestApp;
const people: Record<string, { client: Client; id: string }> = {};
let draftId: string;
let otherDraftId: string;
let workspaceId: string;

async function person(name: string) {
  const client = new Client(app.url);
  const { username } = await onboardOverHttp(client, pool);
  const r = await pool.query<{ id: string }>("SELECT id FROM users WHERE username = $1", [
    username,
  ]);
  people[name] = { client, id: r.rows[0]!.id };
  return { client, id: r.rows[0]!.id, username };
}

const json = { accept: "application/json" };

async function versionState(id: string) {
  const r = await pool.query<{ status: string; events: number }>(
    `SELECT v.status, (SELECT count(*)::int FROM review_status_events e WHERE e.draft_id = v.draft_id) AS events
       FROM review_versions v WHERE v.draft_id = $1`,
    [id],
  );
  return r.rows[0];
}

/** Everything the upload route could have written: job rows, and files under DATA_DIR. */
async function uploadTraces() {
  const jobs = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM generation_jobs WHERE kind = 'upload' AND request->>'stackDraftId' = $1",
    [draftId],
  );
  const files = (dir: string) =>
    existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
  return {
    jobs: jobs.rows[0]!.n,
    generations: files(path.join(dataDir, "generations")),
    incoming: files(path.join(dataDir, "uploads", ".incoming")),
  };
}

function uploadAs(c: Client, data: Buffer, filename = "cut.mp4") {
  return c.postMultipart(
    `/review/${draftId}/upload`,
    { requestId: `req_${Math.random().toString(36).slice(2, 12)}`, fileName: filename },
    { field: "video", filename, contentType: "video/mp4", data },
  );
}

beforeAll(async () => {
  app = await startTestApp();
  const owner = await person("owner");
  await person("editor");
  await person("commenter");
  await person("viewer");
  await person("outsider");
  const d = await makeDraft(pool, asTestUser(owner.id, owner.username));
  draftId = d.draftId;
  workspaceId = d.workspaceId;
  await transaction(pool, (c) => stackDraft(c, draftId));
  for (const role of ["editor", "commenter", "viewer"])
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [workspaceId, people[role]!.id, role],
    );
  // Another team's version: the forged id.
  const outsider = people.outsider!;
  const o = await makeDraft(pool, asTestUser(outsider.id, "outsider"));
  otherDraftId = o.draftId;
  await pool.query("UPDATE drafts SET prompt = 'SECRET other team prompt' WHERE id = $1", [
    otherDraftId,
  ]);
  await transaction(pool, (c) => stackDraft(c, otherDraftId));
  for (const p of Object.values(people)) await p.client.get(`/review/${draftId}`);
}, 240_000);

afterAll(async () => {
  await app?.close();
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("review access over HTTP", () => {
  it("a commenter cannot change the status: 403 and nothing changes; an editor can", async () => {
    const c = people.commenter!.client;
    const page = await c.get(`/review/${draftId}`);
    expect(page.status).toBe(200);
    expect(text(page.body)).toContain("Owners and editors set the status.");
    const res = await c.post(`/review/${draftId}`, { intent: "status", status: "approved" });
    expect(res.status).toBe(403);
    expect(await versionState(draftId)).toEqual({ status: "needs_review", events: 0 });
    const viewer = await people.viewer!.client.post(`/review/${draftId}`, {
      intent: "status",
      status: "approved",
    });
    expect(viewer.status).toBe(403);
    expect(await versionState(draftId)).toEqual({ status: "needs_review", events: 0 });
    const editor = await people.editor!.client.post(`/review/${draftId}`, {
      intent: "status",
      status: "in_progress",
    });
    expect(editor.status).toBe(200);
    expect(await versionState(draftId)).toEqual({ status: "in_progress", events: 1 });
  });

  it("uploading a new version: viewers and commenters 403, outsiders 404, a text file and a playlist 400 — nothing written", async () => {
    const before = await uploadTraces();
    const mp4ish = Buffer.from("not a video at all, only notes\n".repeat(100));
    for (const [who, status, code] of [
      ["commenter", 403, "forbidden"],
      ["viewer", 403, "forbidden"],
      ["outsider", 404, "not_found"],
    ] as const) {
      const res = await uploadAs(people[who]!.client, mp4ish);
      expect(res.status, who).toBe(status);
      expect(JSON.parse(res.body)).toMatchObject({ ok: false, code });
    }
    const fake = await uploadAs(people.editor!.client, mp4ish, "notes.mp4");
    expect(fake.status).toBe(400);
    expect(JSON.parse(fake.body)).toMatchObject({ code: "upload_not_video" });
    const playlist = await uploadAs(
      people.editor!.client,
      Buffer.from("#EXTM3U\n#EXTINF:4,\nhttp://169.254.169.254/latest\n"),
      "list.mp4",
    );
    expect(playlist.status).toBe(400);
    expect(JSON.parse(playlist.body)).toMatchObject({ code: "upload_playlist" });
    const none = await people.editor!.client.postMultipart(`/review/${draftId}/upload`, {
      requestId: "req_nofile01",
    });
    expect(none.status).toBe(400);
    expect(JSON.parse(none.body)).toMatchObject({ code: "upload_missing" });
    expect(await uploadTraces()).toEqual(before);
    // Progress of someone else's upload: not found.
    const peek = await people.outsider!.client.request(
      "GET",
      `/review/${draftId}/upload?job=upload:${draftId}:req_nofile01`,
      { headers: json },
    );
    expect(peek.status).toBe(404);
  });

  it("a guest gets nothing with a wrong passphrase, a forged version id, or once the link is revoked or expired", async () => {
    const ownerId = people.owner!.id;
    const { token, link } = await createReviewLink(pool, ownerId, {
      draftId,
      rights: "comment",
      passphrase: "open sesame",
    });
    const guest = new Client(app.url);
    const gate = await guest.get(`/r/${token}`);
    expect(gate.status).toBe(200);
    expect(text(gate.body)).not.toContain("a red fox");
    const wrong = await guest.post(`/r/${token}`, {
      intent: "open",
      name: "Carla",
      passphrase: "wrong guess",
    });
    expect(wrong.status).toBe(404);
    expect([...guest.cookies.keys()].filter((k) => k.startsWith("rh_review_"))).toEqual([]);
    const files = await guest.get(`/r/${token}/v/${draftId}/video.mp4`);
    expect(files.status).toBe(404);
    const open = await guest.post(`/r/${token}`, {
      intent: "open",
      name: "Carla",
      passphrase: "open sesame",
    });
    expect(open.status).toBe(302);
    const page = await guest.get(`/r/${token}`);
    expect(page.status).toBe(200);
    expect(text(page.body)).toContain("a red fox runs through snow at dawn");

    // A forged version id: another team's version through this link gets nothing.
    const forged = await guest.get(`/r/${token}?v=${otherDraftId}`);
    expect(forged.body).not.toContain("SECRET other team prompt");
    expect(forged.body).not.toContain(otherDraftId);
    for (const file of ["video.mp4", "poster.jpg", "sprite.jpg"])
      expect((await guest.get(`/r/${token}/v/${otherDraftId}/${file}`)).status).toBe(404);
    expect((await guest.get(`/r/${token}/v/not-a-uuid/video.mp4`)).status).toBe(404);
    // …nor can the guest set the status through a comment-only link.
    const approve = await guest.post(`/r/${token}`, {
      intent: "status",
      draftId,
      status: "approved",
    });
    expect(approve.status).toBe(403);
    expect((await versionState(draftId))!.status).not.toBe("approved");

    await revokeReviewLink(pool, ownerId, link.id);
    expect((await guest.get(`/r/${token}`)).status).toBe(404);
    expect((await guest.get(`/r/${token}/collab-token`)).status).toBe(404);
    expect((await guest.get(`/r/${token}/v/${draftId}/poster.jpg`)).status).toBe(404);

    const expiring = await createReviewLink(pool, ownerId, { draftId, rights: "view" });
    const late = new Client(app.url);
    await late.get(`/r/${expiring.token}`);
    expect((await late.post(`/r/${expiring.token}`, { intent: "open", name: "Lee" })).status).toBe(
      302,
    );
    expect((await late.get(`/r/${expiring.token}`)).status).toBe(200);
    await pool.query(
      "UPDATE review_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [expiring.link.id],
    );
    expect((await late.get(`/r/${expiring.token}`)).status).toBe(404);
    expect((await late.get(`/r/${expiring.token}/v/${draftId}/video.mp4`)).status).toBe(404);
    const unknown = await late.get(`/r/${"x".repeat(43)}`);
    expect(unknown.status).toBe(404);
  });

  it("a guest never reaches what holds team-only notes: the member page, its collab token, its export", async () => {
    const { token } = await createReviewLink(pool, people.owner!.id, {
      draftId,
      rights: "comment",
    });
    const guest = new Client(app.url);
    await guest.get(`/r/${token}`);
    expect((await guest.post(`/r/${token}`, { intent: "open", name: "Gus" })).status).toBe(302);
    const collab = await guest.request("GET", `/r/${token}/collab-token`, { headers: json });
    expect(collab.status).toBe(200);
    // The guest's collab identity is the link's guest, which the collab server admits to
    // review.<id>.shared only (collab-server/src/review.test.ts [R1]).
    const payload = JSON.parse(
      Buffer.from((JSON.parse(collab.body).token as string).split(".")[0]!, "base64url").toString(),
    );
    expect(payload.sub).toMatch(/^rguest:/);
    for (const p of [
      `/review/${draftId}`,
      `/review/${draftId}/collab-token`,
      `/review/${draftId}/export/csv`,
      `/review/${draftId}/export/edl`,
    ]) {
      const res = await guest.get(p);
      expect(res.status, p).not.toBe(200);
    }
  });
});
