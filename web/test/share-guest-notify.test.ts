import { randomBytes } from "node:crypto";
import { docName } from "@reelhouse/shared/collab/docs";
import { addThread, listThreads } from "@reelhouse/shared/collab/schema";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import { makeDraft, makeUser } from "@reelhouse/shared/social/test-fixtures";
import { testDatabaseUrl, testPool } from "@reelhouse/shared/testing/db";
import { appendUpdates } from "@reelhouse/shared/workspaces/documents.server";
import { createShareLink, revokeShareLink } from "@reelhouse/shared/workspaces/share-links.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { Client, startTestApp, type TestApp } from "./harness.ts";

/**
 * Issue 17 item 6, last part, over real HTTP: a guest's comment on a project share link
 * (`/s/:token`) notifies the project's members (`POST /s/:token/notify`). The comment is read from
 * the stored comments document and must be the guest's own (the subject of the collab token the
 * app signed for them); a view-only, revoked or foreign link, someone else's comment and a
 * comment not stored yet notify nobody.
 */
process.env.DATABASE_URL = testDatabaseUrl();
const SECRET = randomBytes(32).toString("base64url");
const pool = testPool();
let app: TestApp;
let projectId: string;
let members: string[];
let ownerId: string;
let outsiderId: string;

/** What the page holds: the collab token the app signed for this guest (s.$token.tsx loader). */
const guestToken = (linkId: string, name: string) =>
  signCollabToken(SECRET, {
    sub: `guest:${linkId}:${randomBytes(6).toString("base64url")}`,
    name,
    shareLinkId: linkId,
  });
const subOf = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).sub as string;

/** Stores a comment in the project's comments document, as the collab server would. */
async function storeComment(authorId: string, name: string, body: string): Promise<string> {
  const doc = new Y.Doc();
  addThread(doc, { kind: "shot", shotId: "s1" }, { id: authorId, name }, body, {
    kind: "user",
    userId: authorId,
  });
  await appendUpdates(pool, [
    { name: docName(projectId, "comments"), update: Y.encodeStateAsUpdate(doc) },
  ]);
  return listThreads(doc)[0]!.messages[0]!.id;
}

async function guestPost(token: string, body: unknown) {
  const c = new Client(app.url);
  // The guest page holds its CSRF token in the root loader's data; /signin shows the same token
  // in a form field, where the test client picks it up.
  await c.get(`/s/${token}?name=Gina`);
  await c.get("/signin");
  expect(c.csrf).not.toBe("");
  const res = await c.request("POST", `/s/${token}/notify`, {
    body: JSON.stringify(body),
    headers: {
      "content-type": "application/json",
      "x-csrf-token": c.csrf,
      origin: c.base,
      "sec-fetch-site": "same-origin",
    },
  });
  return res;
}

const notes = async (messageId: string) =>
  (
    await pool.query<{ user_id: string; payload: Record<string, unknown> }>(
      "SELECT user_id, payload FROM notifications WHERE kind = 'project.guest_comment' AND payload->>'messageId' = $1",
      [messageId],
    )
  ).rows;

beforeAll(async () => {
  app = await startTestApp({ authSecret: SECRET });
  const owner = await makeUser(pool);
  const d = await makeDraft(pool, owner);
  projectId = d.projectId;
  members = [owner.id];
  ownerId = owner.id;
  for (const role of ["editor", "commenter", "viewer"]) {
    const u = await makeUser(pool);
    await pool.query(
      "INSERT INTO workspace_members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
      [d.workspaceId, u.id, role],
    );
    members.push(u.id);
  }
  outsiderId = (await makeUser(pool)).id;
  members.sort();
}, 240_000);

afterAll(async () => {
  await app?.close();
  await pool.end();
});

describe("a guest's comment on a share link", () => {
  it("notifies every member of the project once, with the guest's name and the comment", async () => {
    const creator = ownerId;
    const { link, token } = await createShareLink(pool, creator, projectId, { rights: "comment" });
    const gt = guestToken(link.id, "Gina");
    const messageId = await storeComment(subOf(gt), "Gina", "Love shot 1, can the fox be redder?");
    const res = await guestPost(token, { messageId, token: gt });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, notified: members.length });
    const rows = await notes(messageId);
    expect(rows.map((r) => r.user_id).sort()).toEqual(members);
    expect(rows.map((r) => r.user_id)).not.toContain(outsiderId);
    expect(rows[0]!.payload).toMatchObject({
      projectId,
      messageId,
      guestName: "Gina",
      shotId: "s1",
      excerpt: "Love shot 1, can the fox be redder?",
    });
    // Sent again (a retry): nobody is told twice.
    const again = await guestPost(token, { messageId, token: gt });
    expect(JSON.parse(again.body)).toEqual({ ok: true, notified: 0 });
    expect(await notes(messageId)).toHaveLength(members.length);
  });

  it("notifies nobody for a comment not stored yet (409), someone else's comment, a foreign or forged token, a view-only or revoked link", async () => {
    const creator = ownerId;
    const { link, token } = await createShareLink(pool, creator, projectId, { rights: "comment" });
    const gt = guestToken(link.id, "Gina");
    const unstored = "00000000-0000-4000-8000-000000000000";
    expect((await guestPost(token, { messageId: unstored, token: gt })).status).toBe(409);

    const other = guestToken(link.id, "Otto");
    const ottos = await storeComment(subOf(other), "Otto", "Otto wrote this");
    expect((await guestPost(token, { messageId: ottos, token: gt })).status).toBe(403);
    // A token signed with another secret, or for another link.
    const forged = `${gt.split(".")[0]}.${"A".repeat(43)}`;
    expect((await guestPost(token, { messageId: ottos, token: forged })).status).toBe(403);
    const second = await createShareLink(pool, creator, projectId, { rights: "comment" });
    const foreign = guestToken(second.link.id, "Otto");
    expect((await guestPost(token, { messageId: ottos, token: foreign })).status).toBe(403);
    expect(await notes(ottos)).toEqual([]);

    const viewOnly = await createShareLink(pool, creator, projectId, { rights: "view" });
    const vt = guestToken(viewOnly.link.id, "Vic");
    const vics = await storeComment(subOf(vt), "Vic", "sneaky");
    expect((await guestPost(viewOnly.token, { messageId: vics, token: vt })).status).toBe(403);
    expect(await notes(vics)).toEqual([]);

    const mine = await storeComment(subOf(gt), "Gina", "after the revoke");
    await revokeShareLink(pool, creator, link.id);
    expect((await guestPost(token, { messageId: mine, token: gt })).status).toBe(404);
    expect(await notes(mine)).toEqual([]);
  });
});
