import {
  addNote,
  listNotes,
  notesMap,
  replyToNote,
  reviewDocName,
  setNoteResolved,
} from "@reelhouse/shared/collab/review-doc";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import { transaction } from "@reelhouse/shared/db/pool.server";
import {
  createReviewLink,
  guestSubject,
  openReviewLink,
  revokeReviewLink,
} from "@reelhouse/shared/review/links.server";
import { stackDraft } from "@reelhouse/shared/review/stacks.server";
import { testPool, uniq } from "@reelhouse/shared/testing/db";
import { loadYDoc } from "@reelhouse/shared/workspaces/documents.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type CollabServer, createCollabServer } from "./server.ts";
import {
  acknowledged,
  type Client,
  connect,
  makeTeam,
  SECRET,
  sleep,
  type Team,
  tokenFor,
  waitFor,
} from "./testing.ts";

/**
 * The review documents of a version over real WebSockets (docs/collab-spec.md [R1]-[R3]):
 * guests through review links, team-only notes, the guard, revocation, persistence.
 */
const pool = testPool(8);
let srv: CollabServer;
const clients: Client[] = [];

function open(name: string, token: string, doc?: Y.Doc): Client {
  const c = connect(srv.url, name, token, doc);
  clients.push(c);
  return c;
}

const start = () =>
  createCollabServer({
    pool,
    secret: SECRET,
    port: 0,
    debounceMs: 100,
    maxDebounceMs: 500,
    pollMs: 60_000,
    log: () => {},
  });

beforeAll(async () => {
  srv = await start();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
  await pool.end();
});

async function version(t: Team): Promise<string> {
  return transaction(pool, async (c) => {
    const m = (
      await c.query<{ id: string }>(
        "INSERT INTO media (owner_id, kind, content_type, bytes) VALUES ($1, 'video', 'video/mp4', 1) RETURNING id",
        [t.owner.id],
      )
    ).rows[0]!.id;
    const d = await c.query<{ id: string }>(
      `INSERT INTO drafts (workflow_id, project_id, created_by, kind, backend, prompt, video_media_id,
         poster_media_id, sprite_media_id, video_path, poster_path, sprite_path, sprite, probe, duration_ms, width, height)
       VALUES ($1, $2, $3, 'clip', 'previz', 'a fox', $4, $4, $4, 'v.mp4', 'p.jpg', 's.jpg', '{}', '{}', 4000, 720, 1280)
       RETURNING id`,
      [uniq("wf"), t.projectId, t.owner.id, m],
    );
    await stackDraft(c, d.rows[0]!.id);
    return d.rows[0]!.id;
  });
}

/** A guest on a fresh link to `draftId`: their collab token and identity. */
async function guest(
  t: Team,
  draftId: string,
  opts: { rights: "view" | "comment"; stack?: boolean } = { rights: "comment" },
) {
  const { link, token } = await createReviewLink(pool, t.owner.id, { draftId, ...opts });
  const { guest: g } = await openReviewLink(pool, token, { name: "Client Carla" });
  const sub = guestSubject(g);
  // The name in the token is ignored for guests: the server uses the one stored for the guest.
  return { link, sub, token: signCollabToken(SECRET, { sub, name: "Anyone Else" }) };
}

const arrow = {
  tool: "arrow" as const,
  color: "#ff3b30",
  width: 0.006,
  points: [
    [0.2, 0.3],
    [0.6, 0.5],
  ] as [number, number][],
};

describe("review documents", () => {
  let t: Team;
  beforeAll(async () => {
    t = await makeTeam(pool);
  });

  it("[R2] a guest's arrow at a frame and range comment reach the owner live, marked as a guest's", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const owner = open(reviewDocName(v, "shared"), tokenFor(t.owner.id));
    const visitor = open(reviewDocName(v, "shared"), g.token);
    await Promise.all([owner.ready, visitor.ready]);
    const author = { id: g.sub, name: "Client Carla", guest: true };
    addNote(visitor.doc, {
      anchor: { frame: 42 },
      shapes: [arrow],
      author,
      body: "Move the fox here",
    });
    addNote(visitor.doc, {
      anchor: { frame: 60, endFrame: 90 },
      author,
      body: "Too slow from here to here",
    });
    await acknowledged(visitor);
    await waitFor(() => listNotes(owner.doc).length === 2, 5000, "owner sees guest notes");
    const [a, b] = listNotes(owner.doc);
    expect(a!.anchor).toEqual({ frame: 42 });
    expect(a!.shapes).toEqual([arrow]);
    expect(a!.messages[0]!.author).toEqual(author);
    expect(b!.anchor).toEqual({ frame: 60, endFrame: 90 });
    // The owner replies; the guest resolves the thread — both are allowed.
    replyToNote(
      owner.doc,
      a!.id,
      { id: t.owner.id, name: t.owner.id.slice(0, 8), guest: false },
      `On it @${t.editor.username}`,
    );
    await waitFor(
      () => listNotes(visitor.doc)[0]?.messages.length === 2,
      5000,
      "reply reaches guest",
    );
    expect(listNotes(visitor.doc)[0]!.messages[1]!.mentions).toEqual([
      t.editor.username.toLowerCase(),
    ]);
    setNoteResolved(visitor.doc, a!.id, true, g.sub);
    await waitFor(() => listNotes(owner.doc)[0]?.resolved === true, 5000, "resolve reaches owner");
  });

  it("[R1] team-only notes never reach a guest: the team document is refused to them, members see it", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const editor = open(reviewDocName(v, "team"), tokenFor(t.editor.id));
    await editor.ready;
    addNote(editor.doc, {
      anchor: { frame: 1 },
      author: { id: t.editor.id, name: t.editor.id.slice(0, 8), guest: false },
      body: "internal: the client will hate this",
    });
    await acknowledged(editor);
    const spy = open(reviewDocName(v, "team"), g.token);
    await expect(spy.ready).rejects.toThrow(/4403/);
    expect(notesMap(spy.doc).size).toBe(0);
    const viewer = open(reviewDocName(v, "team"), tokenFor(t.viewer.id));
    await viewer.ready;
    expect(listNotes(viewer.doc).map((n) => n.messages[0]!.body)).toEqual([
      "internal: the client will hate this",
    ]);
  });

  it("[R1] a forged version id gets nothing: another version of the team, an unknown id, an outsider", async () => {
    const v = await version(t);
    const other = await version(t);
    const g = await guest(t, v);
    for (const c of [
      open(reviewDocName(other, "shared"), g.token),
      open(reviewDocName(crypto.randomUUID(), "shared"), g.token),
      open(reviewDocName(v, "shared"), tokenFor(t.outsider.id)),
      open(`review.${v}.secret`, tokenFor(t.owner.id)),
    ])
      await expect(c.ready).rejects.toThrow(/4403/);
    // A stack link opens every version of the stack, the ones added later included.
    const s = await guest(t, v, { rights: "view", stack: true });
    const later = await version(t);
    const c = open(reviewDocName(later, "shared"), s.token);
    await c.ready;
  });

  it("[R3] the guard refuses notes written as someone else, bad shapes and deletions by commenters; nothing is applied", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const owner = open(reviewDocName(v, "shared"), tokenFor(t.owner.id));
    await owner.ready;
    addNote(owner.doc, {
      anchor: { frame: 5 },
      author: { id: t.owner.id, name: t.owner.id.slice(0, 8), guest: false },
      body: "first",
    });
    await acknowledged(owner);
    const attempts: ((d: Y.Doc) => void)[] = [
      (d) =>
        addNote(d, {
          anchor: { frame: 1 },
          author: { id: t.owner.id, name: "Owner", guest: false },
          body: "forged",
        }),
      (d) =>
        addNote(d, {
          anchor: { frame: 1 },
          author: { id: g.sub, name: "Client Carla", guest: false },
          body: "not a guest?",
        }),
      (d) => {
        const n = new Y.Map<unknown>();
        n.set("anchor", { frame: 1 });
        n.set("shapes", [
          {
            ...arrow,
            points: [
              [0, 0],
              [1.5, 2],
            ],
          },
        ]);
        n.set("resolved", false);
        n.set("createdAt", 1);
        const m = new Y.Array();
        m.push([
          {
            id: "m",
            author: { id: g.sub, name: "Client Carla", guest: true },
            body: "x",
            mentions: [],
            createdAt: 1,
          },
        ]);
        n.set("messages", m);
        notesMap(d).set("bad", n);
      },
      (d) => notesMap(d).delete(listNotes(d)[0]!.id),
      (d) => d.getMap("other").set("x", 1),
    ];
    for (const attempt of attempts) {
      const c = open(reviewDocName(v, "shared"), g.token);
      await c.ready;
      attempt(c.doc);
      await waitFor(() => c.closes.some((r) => r.startsWith("4403")), 5000, "guard refusal");
      c.destroy();
    }
    await sleep(200);
    const stored = await loadYDoc(pool, reviewDocName(v, "shared"));
    expect(listNotes(stored).map((n) => n.messages[0]!.body)).toEqual(["first"]);
    expect(listNotes(owner.doc).map((n) => n.messages[0]!.body)).toEqual(["first"]);
    // An editor moderates: deleting a note is theirs to do.
    const editor = open(reviewDocName(v, "shared"), tokenFor(t.editor.id));
    await editor.ready;
    notesMap(editor.doc).delete(listNotes(editor.doc)[0]!.id);
    await acknowledged(editor);
    await waitFor(() => listNotes(owner.doc).length === 0, 5000, "moderated delete");
  });

  it("[R1] a view-only guest and a viewer read but cannot write", async () => {
    const v = await version(t);
    const g = await guest(t, v, { rights: "view" });
    const owner = open(reviewDocName(v, "shared"), tokenFor(t.owner.id));
    const c = open(reviewDocName(v, "shared"), g.token);
    const viewer = open(reviewDocName(v, "shared"), tokenFor(t.viewer.id));
    await Promise.all([owner.ready, c.ready, viewer.ready]);
    addNote(c.doc, {
      anchor: { frame: 2 },
      author: { id: g.sub, name: "Client Carla", guest: true },
      body: "hi",
    });
    addNote(viewer.doc, {
      anchor: { frame: 2 },
      author: { id: t.viewer.id, name: "v", guest: false },
      body: "hi",
    });
    await sleep(500);
    expect(listNotes(owner.doc)).toEqual([]);
    expect(listNotes(await loadYDoc(pool, reviewDocName(v, "shared")))).toEqual([]);
  });

  it("[R1] revoking a link closes its guests' open sessions (4410) and a reconnect is refused", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const c = open(reviewDocName(v, "shared"), g.token);
    await c.ready;
    await revokeReviewLink(pool, t.owner.id, g.link.id);
    await waitFor(() => c.closes.some((r) => r.startsWith("4410")), 5000, "revocation close");
    c.destroy();
    const again = open(reviewDocName(v, "shared"), g.token);
    await expect(again.ready).rejects.toThrow(/4410/);
  });

  it("[R1] a link that expires closes its guests' sessions too, and a guest whose record is gone is refused", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const c = open(reviewDocName(v, "shared"), g.token);
    await c.ready;
    await pool.query(
      "UPDATE review_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [g.link.id],
    );
    await waitFor(() => c.closes.some((r) => r.startsWith("4410")), 5000, "expiry close");
    c.destroy();
    const h = await guest(t, v);
    await pool.query("DELETE FROM review_guests WHERE link_id = $1", [h.link.id]);
    const orphan = open(reviewDocName(v, "shared"), h.token);
    await expect(orphan.ready).rejects.toThrow(/4401/);
  });

  it("[R4] drawings survive a server restart: same frame, same normalized shape", async () => {
    const v = await version(t);
    const g = await guest(t, v);
    const c = open(reviewDocName(v, "shared"), g.token);
    await c.ready;
    addNote(c.doc, {
      anchor: { frame: 17 },
      shapes: [
        arrow,
        {
          tool: "pen",
          color: "#0a84ff",
          width: 0.004,
          points: [
            [0.1, 0.1],
            [0.12, 0.15],
            [0.2, 0.18],
          ],
        },
      ],
      author: { id: g.sub, name: "Client Carla", guest: true },
      body: "here",
    });
    await acknowledged(c);
    c.destroy();
    await srv.close();
    srv = await start();
    const owner = open(reviewDocName(v, "shared"), tokenFor(t.owner.id));
    await owner.ready;
    const [n] = listNotes(owner.doc);
    expect(n!.anchor).toEqual({ frame: 17 });
    expect(n!.shapes.map((s) => s.tool)).toEqual(["arrow", "pen"]);
    expect(n!.shapes[0]!.points).toEqual([
      [0.2, 0.3],
      [0.6, 0.5],
    ]);
  });
});
