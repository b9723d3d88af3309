import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addNote, notesMap, replyToNote, reviewDocName } from "../collab/review-doc.ts";
import { type Pool, transaction } from "../db/pool.server.ts";
import { makeDraft, makeUser } from "../social/test-fixtures.ts";
import { testPool } from "../testing/db.ts";
import { appendUpdates } from "../workspaces/documents.server.ts";
import { notifyReviewMessage } from "./notify.server.ts";
import { stackDraft } from "./stacks.server.ts";

/** Mention and reply notifications for review comments, read from the stored document. */
let pool: Pool;
beforeAll(() => {
  pool = testPool(4);
});
afterAll(async () => {
  await pool.end();
});

describe("review notifications", () => {
  it("a guest's reply mentioning a member tells that member (mention) and the thread's earlier member author (reply), once", async () => {
    const owner = await makeUser(pool);
    const editor = await makeUser(pool);
    const outsider = await makeUser(pool);
    const d = await makeDraft(pool, owner);
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, 'editor')",
      [d.workspaceId, editor.id],
    );
    await transaction(pool, (c) => stackDraft(c, d.draftId));
    const doc = new Y.Doc();
    const noteId = addNote(doc, {
      anchor: { frame: 10 },
      author: { id: owner.id, name: owner.username, guest: false },
      body: "Is the fox too small?",
    });
    const guest = { id: "rguest:x:y", name: "Client Carla", guest: true };
    const msg = replyToNote(
      doc,
      noteId,
      guest,
      `Yes — @${editor.username} and @${outsider.username} please fix`,
    );
    await appendUpdates(pool, [
      { name: reviewDocName(d.draftId, "shared"), update: Y.encodeStateAsUpdate(doc) },
    ]);
    const call = () =>
      notifyReviewMessage(pool, {
        authorId: guest.id,
        draftId: d.draftId,
        doc: "shared",
        messageId: msg,
      });
    expect(await call()).toEqual({ mentioned: [editor.id], replied: [owner.id] });
    expect(await call()).toEqual({ mentioned: [], replied: [] });
    const kinds = async (id: string) =>
      (await pool.query("SELECT kind FROM notifications WHERE user_id = $1", [id])).rows.map(
        (r) => r.kind,
      );
    expect(await kinds(editor.id)).toContain("review.mention");
    expect(await kinds(owner.id)).toContain("review.reply");
    expect(await kinds(outsider.id)).toEqual([]);
    // Someone else cannot trigger notifications for the guest's message; an unknown one is not stored yet.
    await expect(
      notifyReviewMessage(pool, {
        authorId: owner.id,
        draftId: d.draftId,
        doc: "shared",
        messageId: msg,
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      notifyReviewMessage(pool, {
        authorId: owner.id,
        draftId: d.draftId,
        doc: "shared",
        messageId: "nope",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(notesMap(doc).size).toBe(1);
  });
});
