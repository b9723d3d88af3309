import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { docName } from "../collab/docs.ts";
import { addThread, listThreads, reply, userOrigin } from "../collab/schema.ts";
import { testPool, uniq } from "../testing/db.ts";
import { notifyCommentMentions } from "./comment-mentions.server.ts";
import { appendUpdates } from "./documents.server.ts";
import { createProject } from "./projects.server.ts";
import { acceptInvite, createWorkspace, inviteByUsername } from "./workspaces.server.ts";

const pool = testPool();
afterAll(() => pool.end());

async function user(): Promise<{ id: string; username: string }> {
  const username = uniq("m").slice(0, 30);
  const r = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, password_hash, birthdate, is_minor)
     VALUES ($1, $2, 'x', '1990-01-01', false) RETURNING id`,
    [`${username}@example.test`, username],
  );
  return { id: r.rows[0]!.id, username };
}

async function setup() {
  const [owner, editor, viewer, outsider] = [
    await user(),
    await user(),
    await user(),
    await user(),
  ];
  const ws = await createWorkspace(pool, owner.id, "Mentions");
  for (const [u, role] of [
    [editor, "editor"],
    [viewer, "viewer"],
  ] as const) {
    const inv = await inviteByUsername(pool, owner.id, ws.id, u.username, role);
    await acceptInvite(pool, u.id, inv.id);
  }
  const project = await createProject(pool, owner.id, ws.id, "P");
  return { owner, editor, viewer, outsider, projectId: project.id };
}

/** Stores a comment the way the collab server does: as an update of the comments document. */
async function storeComment(
  projectId: string,
  author: { id: string; username: string },
  body: string,
) {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const threadId = addThread(
    doc,
    { kind: "shot", shotId: "s1" },
    { id: author.id, name: author.username },
    body,
    userOrigin(author.id),
  );
  await appendUpdates(pool, [
    { name: docName(projectId, "comments"), update: Y.mergeUpdates(updates) },
  ]);
  return { doc, threadId, messageId: listThreads(doc)[0]!.messages[0]!.id };
}

async function notificationsOf(userId: string) {
  const r = await pool.query<{ kind: string; payload: Record<string, string> }>(
    "SELECT kind, payload FROM notifications WHERE user_id = $1",
    [userId],
  );
  return r.rows;
}

describe("project comment @mentions", () => {
  it("notify mentioned members once, and ignore non-members and the author", async () => {
    const t = await setup();
    const { messageId, threadId } = await storeComment(
      t.projectId,
      t.owner,
      `@${t.editor.username} and @${t.viewer.username}, see this. cc @${t.outsider.username} @${t.owner.username}`,
    );
    const first = await notifyCommentMentions(pool, t.owner.id, t.projectId, messageId);
    expect(first.notified.sort()).toEqual([t.editor.username, t.viewer.username].sort());
    const again = await notifyCommentMentions(pool, t.owner.id, t.projectId, messageId);
    expect(again.notified).toEqual([]);
    const got = await notificationsOf(t.editor.id);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      kind: "project.mention",
      payload: { projectId: t.projectId, threadId, messageId, actorId: t.owner.id },
    });
    expect(await notificationsOf(t.outsider.id)).toHaveLength(0);
    expect(await notificationsOf(t.owner.id)).toHaveLength(0);
  });

  it("reads the stored comment: an unknown message is 'not stored yet', someone else's is refused", async () => {
    const t = await setup();
    const { messageId } = await storeComment(t.projectId, t.owner, `hi @${t.editor.username}`);
    await expect(
      notifyCommentMentions(pool, t.owner.id, t.projectId, "00000000-0000-4000-8000-000000000000"),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      notifyCommentMentions(pool, t.editor.id, t.projectId, messageId),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await notificationsOf(t.editor.id)).toHaveLength(0);
  });

  it("refuses viewers and outsiders, writing nothing", async () => {
    const t = await setup();
    const { messageId } = await storeComment(t.projectId, t.owner, `hi @${t.editor.username}`);
    await expect(
      notifyCommentMentions(pool, t.viewer.id, t.projectId, messageId),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(
      notifyCommentMentions(pool, t.outsider.id, t.projectId, messageId),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await notificationsOf(t.editor.id)).toHaveLength(0);
  });

  it("works for replies too", async () => {
    const t = await setup();
    const { doc, threadId } = await storeComment(t.projectId, t.owner, "first");
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    const replyId = reply(
      doc,
      threadId,
      { id: t.editor.id, name: t.editor.username },
      `@${t.owner.username} done`,
      userOrigin(t.editor.id),
    );
    await appendUpdates(pool, [
      { name: docName(t.projectId, "comments"), update: Y.mergeUpdates(updates) },
    ]);
    expect((await notifyCommentMentions(pool, t.editor.id, t.projectId, replyId)).notified).toEqual(
      [t.owner.username],
    );
  });
});
