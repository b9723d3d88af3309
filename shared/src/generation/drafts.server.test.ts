import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Pool } from "../db/pool.server.ts";
import { makeDraft, makePost, makeUser, type TestUser } from "../social/test-fixtures.ts";
import { testPool, uniq } from "../testing/db.ts";
import { deleteDraft, renameDraft } from "./drafts.server.ts";

/** Rename and delete a draft (issue 17 item 5): who may, what goes, and every refusal. */
let pool: Pool;
let root: string;
beforeAll(() => {
  pool = testPool(4);
  root = mkdtempSync(path.join(os.tmpdir(), "rh-drafts-"));
});
afterAll(async () => {
  await pool.end();
  rmSync(root, { recursive: true, force: true });
});

/** A draft as the generate workflow leaves it: a job row, three media rows, three files. */
async function renderedDraft(owner: TestUser) {
  const d = await makeDraft(pool, owner);
  const dir = `generations/${d.draftId}`;
  const files = [`${dir}/video.mp4`, `${dir}/poster.jpg`, `${dir}/sprite.jpg`, `${dir}/export.mp4`];
  const media: string[] = [];
  for (const kind of ["video", "poster", "sprite"]) {
    const m = await pool.query<{ id: string }>(
      "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, $2, 'x/y', 1) RETURNING id",
      [owner.id, kind],
    );
    media.push(m.rows[0]!.id);
  }
  const wf = uniq("gen:");
  await pool.query(
    `INSERT INTO generation_jobs (workflow_id, kind, project_id, user_id, backend, request, status)
     VALUES ($1, 'clip', $2, $3, 'previz', '{}', 'succeeded')`,
    [wf, d.projectId, owner.id],
  );
  await pool.query(
    `UPDATE drafts SET workflow_id = $2, video_path = $3, poster_path = $4, sprite_path = $5,
            export_path = $6, video_media_id = $7, poster_media_id = $8, sprite_media_id = $9
      WHERE id = $1`,
    [d.draftId, wf, ...files, ...media],
  );
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), "x");
  }
  return { ...d, files, media, workflowId: wf };
}

async function join(workspaceId: string, user: TestUser, role: "owner" | "editor" | "viewer") {
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
    [workspaceId, user.id, role],
  );
}

async function count(sql: string, args: unknown[]): Promise<number> {
  return (await pool.query(sql, args)).rowCount ?? 0;
}

describe("renameDraft", () => {
  it("renames the maker's draft, trimming the name", async () => {
    const owner = await makeUser(pool);
    const d = await renderedDraft(owner);
    const r = await renameDraft(pool, owner.id, { ...d, title: "  Fox,   final take " });
    expect(r.title).toBe("Fox, final take");
    const row = await pool.query("SELECT title FROM drafts WHERE id = $1", [d.draftId]);
    expect(row.rows[0].title).toBe("Fox, final take");
  });

  it("refuses an empty or too long name, and changes nothing", async () => {
    const owner = await makeUser(pool);
    const d = await renderedDraft(owner);
    await expect(renameDraft(pool, owner.id, { ...d, title: "   " })).rejects.toMatchObject({
      status: 400,
      message: "Give the draft a name.",
    });
    await expect(
      renameDraft(pool, owner.id, { ...d, title: "x".repeat(121) }),
    ).rejects.toMatchObject({ status: 400, field: "title" });
    const row = await pool.query("SELECT title FROM drafts WHERE id = $1", [d.draftId]);
    expect(row.rows[0].title).toBeNull();
  });

  it("refuses another editor (403), a viewer (403) and a stranger (404); an owner may", async () => {
    const maker = await makeUser(pool);
    const d = await renderedDraft(maker);
    const editor = await makeUser(pool);
    const viewer = await makeUser(pool);
    const stranger = await makeUser(pool);
    const coOwner = await makeUser(pool);
    await join(d.workspaceId, editor, "editor");
    await join(d.workspaceId, viewer, "viewer");
    await join(d.workspaceId, coOwner, "owner");
    await expect(renameDraft(pool, editor.id, { ...d, title: "Mine now" })).rejects.toMatchObject({
      status: 403,
      message: "Only the person who made this draft, or a workspace owner, can rename it.",
    });
    await expect(renameDraft(pool, viewer.id, { ...d, title: "Mine now" })).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("Viewers can't rename drafts"),
    });
    await expect(renameDraft(pool, stranger.id, { ...d, title: "Mine now" })).rejects.toMatchObject(
      { status: 404 },
    );
    // A draft id of another project is "no such draft" even to its maker.
    const other = await renderedDraft(maker);
    await expect(
      renameDraft(pool, maker.id, { projectId: d.projectId, draftId: other.draftId, title: "x" }),
    ).rejects.toMatchObject({ status: 404 });
    expect((await renameDraft(pool, coOwner.id, { ...d, title: "Owner's pick" })).title).toBe(
      "Owner's pick",
    );
  });
});

describe("deleteDraft", () => {
  it("removes the draft, its job, its media rows and its files (and their folder)", async () => {
    const owner = await makeUser(pool);
    const d = await renderedDraft(owner);
    const keep = await renderedDraft(owner);
    const out = await deleteDraft(pool, owner.id, d, root);
    expect(out.files.sort()).toEqual([...d.files].sort());
    expect(out.media.sort()).toEqual([...d.media].sort());
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [d.draftId])).toBe(0);
    expect(
      await count("SELECT 1 FROM generation_jobs WHERE workflow_id = $1", [d.workflowId]),
    ).toBe(0);
    expect(await count("SELECT 1 FROM media WHERE id = ANY($1::uuid[])", [d.media])).toBe(0);
    for (const f of d.files) expect(existsSync(path.join(root, f))).toBe(false);
    expect(existsSync(path.join(root, "generations", d.draftId))).toBe(false);
    // Another draft is untouched.
    for (const f of keep.files) expect(existsSync(path.join(root, f))).toBe(true);
    expect(await count("SELECT 1 FROM media WHERE id = ANY($1::uuid[])", [keep.media])).toBe(3);
  });

  it("refuses someone else's draft (403), a viewer (403) and a stranger (404), removing nothing", async () => {
    const maker = await makeUser(pool);
    const d = await renderedDraft(maker);
    const editor = await makeUser(pool);
    const viewer = await makeUser(pool);
    const stranger = await makeUser(pool);
    await join(d.workspaceId, editor, "editor");
    await join(d.workspaceId, viewer, "viewer");
    await expect(deleteDraft(pool, editor.id, d, root)).rejects.toMatchObject({
      status: 403,
      message: "Only the person who made this draft, or a workspace owner, can delete it.",
    });
    await expect(deleteDraft(pool, viewer.id, d, root)).rejects.toMatchObject({ status: 403 });
    await expect(deleteDraft(pool, stranger.id, d, root)).rejects.toMatchObject({ status: 404 });
    await expect(
      deleteDraft(pool, maker.id, { projectId: d.projectId, draftId: "not-a-uuid" }, root),
    ).rejects.toMatchObject({ status: 404 });
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [d.draftId])).toBe(1);
    for (const f of d.files) expect(existsSync(path.join(root, f))).toBe(true);
  });

  it("refuses a published draft (409) until its post is deleted", async () => {
    const owner = await makeUser(pool);
    const d = await renderedDraft(owner);
    const postId = await makePost(pool, owner, {
      draft: d,
      workflowId: `publish:${d.draftId}`,
    });
    await expect(deleteDraft(pool, owner.id, d, root)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("This draft is published. Delete the post first"),
    });
    expect(await count("SELECT 1 FROM media WHERE id = ANY($1::uuid[])", [d.media])).toBe(3);
    for (const f of d.files) expect(existsSync(path.join(root, f))).toBe(true);
    await pool.query("UPDATE posts SET status = 'deleted' WHERE id = $1", [postId]);
    await deleteDraft(pool, owner.id, d, root);
    expect(await count("SELECT 1 FROM drafts WHERE id = $1", [d.draftId])).toBe(0);
  });

  it("refuses a draft being published, on an open guest review link, or in an edit", async () => {
    const owner = await makeUser(pool);
    const a = await renderedDraft(owner);
    await pool.query(
      `INSERT INTO publish_jobs (workflow_id, user_id, draft_id, request, status)
       VALUES ($1, $2, $3, '{}', 'running')`,
      [`publish:${a.draftId}`, owner.id, a.draftId],
    );
    await expect(deleteDraft(pool, owner.id, a, root)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("being published"),
    });

    const b = await renderedDraft(owner);
    const item = await pool.query<{ id: string }>(
      "INSERT INTO review_items (project_id, item_key, kind) VALUES ($1, 'prompt', 'clip') RETURNING id",
      [b.projectId],
    );
    await pool.query("INSERT INTO review_versions (draft_id, item_id, number) VALUES ($1, $2, 1)", [
      b.draftId,
      item.rows[0]!.id,
    ]);
    const link = await pool.query<{ id: string }>(
      `INSERT INTO review_links (project_id, draft_id, rights, token_hash, created_by)
       VALUES ($1, $2, 'comment', $3, $4) RETURNING id`,
      [b.projectId, b.draftId, uniq("h"), owner.id],
    );
    await expect(deleteDraft(pool, owner.id, b, root)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("Revoke the link first"),
    });
    await pool.query("UPDATE review_links SET revoked_at = now() WHERE id = $1", [
      link.rows[0]!.id,
    ]);
    await deleteDraft(pool, owner.id, b, root);
    expect(await count("SELECT 1 FROM review_versions WHERE draft_id = $1", [b.draftId])).toBe(0);

    const c = await renderedDraft(owner);
    await pool.query(
      `INSERT INTO edits (project_id, created_by, title, source_draft_ids, edl)
       VALUES ($1, $2, 'Trailer', ARRAY[$3::uuid], '{}')`,
      [c.projectId, owner.id, c.draftId],
    );
    await expect(deleteDraft(pool, owner.id, c, root)).rejects.toMatchObject({
      status: 409,
      message: "This draft is a clip in the edit “Trailer”. Remove it from the edit first.",
    });
    for (const f of [...a.files, ...c.files]) expect(existsSync(path.join(root, f))).toBe(true);
  });
});
