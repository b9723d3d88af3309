import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Pool, transaction } from "../db/pool.server.ts";
import { checkPublish } from "../social/posts.server.ts";
import { makeDraft, makeUser, type TestUser } from "../social/test-fixtures.ts";
import { testPool, uniq } from "../testing/db.ts";
import { setStatusAsMember, statusHistory } from "./approvals.server.ts";
import { getReviewSettings, setReviewSettings } from "./publish-rules.server.ts";
import { getStackForMember, listStacks, makeCurrent, stackDraft } from "./stacks.server.ts";

/** Version stacks, approvals and the publishing rules against the real test database. */
let pool: Pool;
beforeAll(() => {
  pool = testPool(4);
});
afterAll(async () => {
  await pool.end();
});

type Project = { projectId: string; workspaceId: string; owner: TestUser; first: string };

/** A workspace + project with its first (stacked) draft. */
async function project(): Promise<Project> {
  const owner = await makeUser(pool);
  const d = await makeDraft(pool, owner);
  await transaction(pool, (c) => stackDraft(c, d.draftId));
  return { projectId: d.projectId, workspaceId: d.workspaceId, owner, first: d.draftId };
}

async function member(p: Project, role: string): Promise<TestUser> {
  const u = await makeUser(pool);
  await pool.query(
    "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
    [p.workspaceId, u.id, role],
  );
  return u;
}

/** Another render in the same project, stored and stacked in one transaction like the store step. */
async function render(
  p: Project,
  by: TestUser,
  o: { kind?: "clip" | "sequence"; shotId?: string; metadata?: unknown; prompt?: string } = {},
): Promise<string> {
  return transaction(pool, async (c) => {
    const m = (
      await c.query<{ id: string }>(
        "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
        [by.id],
      )
    ).rows[0]!.id;
    const d = await c.query<{ id: string }>(
      `INSERT INTO drafts (workflow_id, project_id, created_by, kind, shot_id, backend, prompt, video_media_id,
         poster_media_id, sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms,
         width, height, metadata)
       VALUES ($1, $2, $3, $4, $5, 'previz', $6, $7, $7, $7, 'v.mp4', 'p.jpg', 's.jpg', '{}', '{}', 4000, 720, 1280, $8)
       RETURNING id`,
      [
        uniq("wf"),
        p.projectId,
        by.id,
        o.kind ?? "clip",
        o.shotId ?? null,
        o.prompt ?? "a prompt",
        m,
        JSON.stringify(o.metadata ?? {}),
      ],
    );
    await stackDraft(c, d.rows[0]!.id);
    return d.rows[0]!.id;
  });
}

describe("version stacks", () => {
  it("every render of the same item stacks as v1, v2, … with its maker and prompt; the newest is current", async () => {
    const p = await project();
    const editor = await member(p, "editor");
    const v2 = await render(p, editor, { prompt: "the fox, closer" });
    const v3 = await render(p, p.owner, { prompt: "the fox, at dusk" });
    const { stack } = await getStackForMember(pool, p.owner.id, v2);
    expect(stack.versions.map((v) => [v.label, v.createdBy.id, v.prompt])).toEqual([
      ["v1", p.owner.id, "a red fox runs through snow at dawn"],
      ["v2", editor.id, "the fox, closer"],
      ["v3", p.owner.id, "the fox, at dusk"],
    ]);
    expect(stack.currentDraftId).toBe(v3);
    expect(stack.versions.every((v) => v.status === "needs_review")).toBe(true);
  });

  it("shots, the sequence and the prompt clip are separate stacks; an edit stacks on its first source", async () => {
    const p = await project();
    const s1a = await render(p, p.owner, { shotId: "s1" });
    const s2 = await render(p, p.owner, { shotId: "s2" });
    const s1b = await render(p, p.owner, { shotId: "s1" });
    const seq = await render(p, p.owner, { kind: "sequence" });
    const edit = await render(p, p.owner, {
      kind: "sequence",
      metadata: { edit: { editId: "e1", sourceDraftIds: [s1b, s2] } },
    });
    const stacks = await listStacks(pool, p.owner.id, p.projectId);
    const byKey = Object.fromEntries(
      stacks.map((s) => [s.itemKey, s.versions.map((v) => v.draftId)]),
    );
    expect(byKey).toEqual({
      prompt: [p.first],
      "shot:s1": [s1a, s1b, edit],
      "shot:s2": [s2],
      sequence: [seq],
    });
  });

  it("stacking the same draft twice (a retried store step) adds nothing", async () => {
    const p = await project();
    const again = await transaction(pool, (c) => stackDraft(c, p.first));
    expect(again.number).toBe(1);
    const { stack } = await getStackForMember(pool, p.owner.id, p.first);
    expect(stack.versions).toHaveLength(1);
  });

  it("any version can be made current by an editor and none is lost; a viewer is refused, an outsider sees nothing", async () => {
    const p = await project();
    const v2 = await render(p, p.owner);
    const editor = await member(p, "editor");
    const viewer = await member(p, "viewer");
    const stranger = await makeUser(pool);
    await makeCurrent(pool, editor.id, p.first);
    const { stack } = await getStackForMember(pool, viewer.id, v2);
    expect(stack.currentDraftId).toBe(p.first);
    expect(stack.versions.map((v) => v.draftId)).toEqual([p.first, v2]);
    await expect(makeCurrent(pool, viewer.id, v2)).rejects.toMatchObject({ code: "forbidden" });
    await expect(getStackForMember(pool, stranger.id, v2)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getStackForMember(pool, p.owner.id, "not-a-uuid")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("a new version notifies the workspace's editors and owners that it awaits review, not its maker", async () => {
    const p = await project();
    const editor = await member(p, "editor");
    const commenter = await member(p, "commenter");
    const v2 = await render(p, editor);
    const kinds = async (u: TestUser) =>
      (
        await pool.query("SELECT kind, payload FROM notifications WHERE user_id = $1", [u.id])
      ).rows.filter((n) => n.kind === "review.version");
    expect((await kinds(p.owner)).map((n) => n.payload.draftId)).toEqual([v2]);
    expect(await kinds(editor)).toEqual([]);
    expect(await kinds(commenter)).toEqual([]);
  });
});

describe("approval status", () => {
  it("an editor moves a version through the statuses; who and when are kept, and the maker is told", async () => {
    const p = await project();
    const editor = await member(p, "editor");
    await setStatusAsMember(pool, editor.id, p.first, "in_progress");
    await setStatusAsMember(pool, editor.id, p.first, "changes_requested");
    await setStatusAsMember(pool, p.owner.id, p.first, "approved");
    const { stack } = await getStackForMember(pool, editor.id, p.first);
    const v = stack.versions[0]!;
    expect(v.status).toBe("approved");
    expect(v.statusBy).toEqual({ id: p.owner.id, name: p.owner.username, guest: false });
    expect(v.statusAt).toBeInstanceOf(Date);
    expect((await statusHistory(pool, p.first)).map((e) => [e.status, e.by.id])).toEqual([
      ["in_progress", editor.id],
      ["changes_requested", editor.id],
      ["approved", p.owner.id],
    ]);
    const told = await pool.query(
      "SELECT payload FROM notifications WHERE user_id = $1 AND kind = 'review.status'",
      [p.owner.id],
    );
    // The owner made v1: told of the editor's two changes, not of their own.
    expect(told.rows.map((r) => r.payload.status).sort()).toEqual([
      "changes_requested",
      "in_progress",
    ]);
  });

  it("a commenter or viewer cannot change status, an outsider sees nothing, a bad status is refused; nothing changes", async () => {
    const p = await project();
    const commenter = await member(p, "commenter");
    const viewer = await member(p, "viewer");
    const stranger = await makeUser(pool);
    await expect(setStatusAsMember(pool, commenter.id, p.first, "approved")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setStatusAsMember(pool, viewer.id, p.first, "approved")).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setStatusAsMember(pool, stranger.id, p.first, "approved")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setStatusAsMember(pool, p.owner.id, p.first, "done")).rejects.toMatchObject({
      code: "invalid",
    });
    const { stack } = await getStackForMember(pool, p.owner.id, p.first);
    expect(stack.versions[0]!.status).toBe("needs_review");
    expect(await statusHistory(pool, p.first)).toEqual([]);
  });
});

describe("publishing rules", () => {
  it("with approval required, a version that is not approved is refused with its status; approved, it passes", async () => {
    const p = await project();
    expect(await getReviewSettings(pool, p.workspaceId)).toEqual({
      requireApproval: false,
      publishRule: "editors",
    });
    await checkPublish(pool, p.owner.id, { draftId: p.first });
    await setReviewSettings(pool, p.owner.id, p.workspaceId, {
      requireApproval: true,
      publishRule: "editors",
    });
    await expect(checkPublish(pool, p.owner.id, { draftId: p.first })).rejects.toMatchObject({
      code: "forbidden",
      message: "This workspace publishes approved versions only: v1 is needs review.",
    });
    await setStatusAsMember(pool, p.owner.id, p.first, "changes_requested");
    await expect(checkPublish(pool, p.owner.id, { draftId: p.first })).rejects.toThrow(
      /v1 is changes requested/,
    );
    await setStatusAsMember(pool, p.owner.id, p.first, "approved");
    const ok = await checkPublish(pool, p.owner.id, { draftId: p.first });
    expect(ok.source.draftId).toBe(p.first);
  });

  it("who may publish a teammate's draft follows the workspace rule", async () => {
    const p = await project();
    const editor = await member(p, "editor");
    const own = await render(p, editor);
    // editors (default): the editor may publish the owner's draft.
    await checkPublish(pool, editor.id, { draftId: p.first });
    await setReviewSettings(pool, p.owner.id, p.workspaceId, {
      requireApproval: false,
      publishRule: "owners",
    });
    await expect(checkPublish(pool, editor.id, { draftId: p.first })).rejects.toThrow(
      /only owners may publish a teammate's draft/,
    );
    await checkPublish(pool, editor.id, { draftId: own });
    await checkPublish(pool, p.owner.id, { draftId: own });
    await setReviewSettings(pool, p.owner.id, p.workspaceId, {
      requireApproval: false,
      publishRule: "creator",
    });
    await expect(checkPublish(pool, p.owner.id, { draftId: own })).rejects.toThrow(
      /only the person who made a draft/,
    );
    await checkPublish(pool, editor.id, { draftId: own });
  });

  it("only owners change the rules, with valid values", async () => {
    const p = await project();
    const editor = await member(p, "editor");
    const stranger = await makeUser(pool);
    const s = { requireApproval: true, publishRule: "owners" };
    await expect(setReviewSettings(pool, editor.id, p.workspaceId, s)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setReviewSettings(pool, stranger.id, p.workspaceId, s)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      setReviewSettings(pool, p.owner.id, p.workspaceId, { ...s, publishRule: "anyone" }),
    ).rejects.toMatchObject({ code: "invalid" });
    expect((await getReviewSettings(pool, p.workspaceId)).requireApproval).toBe(false);
  });
});
