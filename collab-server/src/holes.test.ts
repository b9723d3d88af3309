import { docName } from "@reelhouse/shared/collab/docs";
import {
  addThread,
  listThreads,
  reply,
  threadsMap,
  userOrigin,
} from "@reelhouse/shared/collab/schema";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import { testPool } from "@reelhouse/shared/testing/db";
import { loadYDoc } from "@reelhouse/shared/workspaces/documents.server";
import { createShareLink } from "@reelhouse/shared/workspaces/share-links.server";
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
  waitFor,
} from "./testing.ts";

/**
 * Issue 16 B4–B6 over real Hocuspocus providers and WebSockets: comment authorship bound to the
 * token ([C41]), only the schema's shapes in the comments document for every role ([C40]), and
 * presence bound to the token ([C42]).
 */

const pool = testPool(10);
let srv: CollabServer;
let t: Team;
const clients: Client[] = [];

const NAMES = { owner: "Olive Owner", editor: "Eddie Editor", commenter: "Cora Commenter" };
const as = (role: keyof typeof NAMES | "viewer") =>
  signCollabToken(SECRET, { sub: t[role].id, name: role === "viewer" ? "Vic" : NAMES[role] });

function open(name: string, token: string, doc?: Y.Doc): Client {
  const c = connect(srv.url, name, token, doc);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  srv = await createCollabServer({
    pool,
    secret: SECRET,
    port: 0,
    debounceMs: 100,
    maxDebounceMs: 500,
    pollMs: 60_000,
    log: () => {},
  });
  t = await makeTeam(pool);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
  await pool.end();
});

/** Opens a connection, makes one change, and waits for the server to refuse it with `reason`. */
async function refused(
  doc: string,
  token: string,
  attempt: (d: Y.Doc) => void,
  reason: RegExp,
  what = String(reason),
) {
  const c = open(doc, token);
  await c.ready;
  const before = srv.commentsGuard.refused;
  attempt(c.doc);
  await waitFor(() => c.closes.some((r) => reason.test(r)), 10_000, what);
  expect(srv.commentsGuard.refused, what).toBe(before + 1);
  c.destroy();
}

describe("B4 [C41] a comment's author is the token's identity", () => {
  it("a commenter writing under someone else's name is refused; their own name is accepted", async () => {
    const cm = docName(t.projectId, "comments");
    const shot = { kind: "shot" as const, shotId: "s1" };
    await refused(
      cm,
      as("commenter"),
      (d) =>
        addThread(
          d,
          shot,
          { id: t.commenter.id, name: t.owner.username },
          "I approve",
          userOrigin(t.commenter.id),
        ),
      /^4403 comment change not allowed: author name is not the one you signed in with/,
    );
    // A reply under the owner's id is refused too (the id was already checked; still is).
    const owner = open(cm, as("owner"));
    await owner.ready;
    const t1 = addThread(
      owner.doc,
      shot,
      { id: t.owner.id, name: NAMES.owner },
      "first",
      userOrigin(t.owner.id),
    );
    await acknowledged(owner);
    await refused(
      cm,
      as("commenter"),
      (d) => reply(d, t1, { id: t.owner.id, name: NAMES.owner }, "forged", userOrigin("x")),
      /^4403 comment change not allowed: message written as someone else/,
    );
    // Owners and editors are held to it as well: moderation is not impersonation.
    await refused(
      cm,
      as("editor"),
      (d) => reply(d, t1, { id: t.editor.id, name: NAMES.owner }, "me", userOrigin(t.editor.id)),
      /author name is not the one you signed in with/,
    );
    const ok = open(cm, as("commenter"));
    await ok.ready;
    reply(
      ok.doc,
      t1,
      { id: t.commenter.id, name: NAMES.commenter },
      "agreed",
      userOrigin(t.commenter.id),
    );
    await acknowledged(ok);
    await sleep(300);
    const stored = listThreads(await loadYDoc(pool, cm));
    for (const threads of [listThreads(owner.doc), stored]) {
      expect(
        threads.map((th) => th.messages.map((m) => [m.author.id, m.author.name, m.body])),
      ).toEqual([
        [
          [t.owner.id, NAMES.owner, "first"],
          [t.commenter.id, NAMES.commenter, "agreed"],
        ],
      ]);
    }
  });

  it("a share-link guest may not take another name either", async () => {
    const { link } = await createShareLink(pool, t.owner.id, t.projectId, { rights: "comment" });
    const sub = `guest:${link.id}:abc`;
    const guest = signCollabToken(SECRET, { sub, name: "Client", shareLinkId: link.id });
    await refused(
      docName(t.projectId, "comments"),
      guest,
      (d) =>
        addThread(d, { kind: "shot", shotId: "s9" }, { id: sub, name: NAMES.owner }, "ok", {
          kind: "user",
          userId: sub,
        }),
      /author name is not the one you signed in with/,
    );
  });
});

describe("B5 [C40] only the schema's shapes, for every role", () => {
  let cm: string;
  let t1: string;
  beforeAll(async () => {
    const team = await makeTeam(pool);
    t = team;
    cm = docName(team.projectId, "comments");
    const owner = open(cm, as("owner"));
    await owner.ready;
    t1 = addThread(
      owner.doc,
      { kind: "shot", shotId: "s1" },
      { id: team.owner.id, name: NAMES.owner },
      "first",
      userOrigin(team.owner.id),
    );
    await acknowledged(owner);
  });

  it("arbitrary root maps are refused for commenters, guests, editors and owners", async () => {
    const { link } = await createShareLink(pool, t.owner.id, t.projectId, { rights: "comment" });
    const guest = signCollabToken(SECRET, {
      sub: `guest:${link.id}:xyz`,
      name: "Guest",
      shareLinkId: link.id,
    });
    for (const token of [as("commenter"), guest, as("editor"), as("owner")]) {
      await refused(
        cm,
        token,
        (d) => d.getMap("x").set("payload", "stored?"),
        /^4403 comment change not allowed: unknown root type "x"/,
      );
      await refused(cm, token, (d) => d.getArray("log").push(["junk"]), /unknown root type "log"/);
    }
  });

  it("extra keys on a thread, or a thread that is not one, are refused", async () => {
    const attempts: [string, string, (d: Y.Doc) => void, RegExp][] = [
      [
        "commenter: extra key on someone else's thread",
        as("commenter"),
        (d) => threadsMap(d).get(t1)!.set("evil", "x"),
        /unknown thread key "evil"/,
      ],
      [
        "editor: extra key on a thread",
        as("editor"),
        (d) => threadsMap(d).get(t1)!.set("hidden", { a: 1 }),
        /unknown thread key "hidden"/,
      ],
      [
        "commenter: a thread that is a string",
        as("commenter"),
        (d) => threadsMap(d).set("t-bad", "not a thread" as unknown as Y.Map<unknown>),
        /a thread is not a map/,
      ],
      [
        "commenter: a message with extra keys",
        as("commenter"),
        (d) => {
          const msgs = threadsMap(d).get(t1)!.get("messages") as Y.Array<unknown>;
          msgs.push([
            {
              id: "m-x",
              author: { id: t.commenter.id, name: NAMES.commenter },
              body: "hi",
              mentions: [],
              createdAt: Date.now(),
              html: "<script>",
            },
          ]);
        },
        /malformed message/,
      ],
      [
        "commenter: an anchor with extra keys",
        as("commenter"),
        (d) => {
          const th = new Y.Map<unknown>();
          th.set("anchor", { kind: "shot", shotId: "s2", extra: 1 });
          th.set("resolved", false);
          th.set("createdAt", 1);
          th.set("messages", new Y.Array());
          threadsMap(d).set("t-anchor", th);
        },
        /malformed anchor/,
      ],
    ];
    for (const [what, token, attempt, reason] of attempts) {
      const full = new RegExp(`^4403 comment change not allowed: ${reason.source}`);
      await refused(cm, token, attempt, full, what);
    }
    await sleep(300);
    const stored = await loadYDoc(pool, cm);
    expect([...stored.share.keys()].filter((k) => k !== "threads")).toEqual([]);
    expect([...threadsMap(stored).keys()]).toEqual([t1]);
    expect([...threadsMap(stored).get(t1)!.keys()].sort()).toEqual([
      "anchor",
      "createdAt",
      "messages",
      "resolved",
    ]);
  });

  it("moderation still works: an editor deletes a thread", async () => {
    const editor = open(cm, as("editor"));
    await editor.ready;
    const mine = addThread(
      editor.doc,
      { kind: "shot", shotId: "s3" },
      { id: t.editor.id, name: NAMES.editor },
      "temp",
      userOrigin(t.editor.id),
    );
    await acknowledged(editor);
    threadsMap(editor.doc).delete(mine);
    threadsMap(editor.doc).delete(t1);
    await acknowledged(editor);
    await sleep(300);
    expect(editor.closes).toEqual([]);
    expect(listThreads(await loadYDoc(pool, cm))).toEqual([]);
  });
});

describe("B6 [C42] presence is bound to the token", () => {
  const statesOf = (c: Client) =>
    [...c.provider.awareness!.getStates().entries()].map(([id, s]) => ({
      id,
      user: s.user as { id: string; name: string } | undefined,
    }));

  it("a viewer claiming the owner's identity is refused and never shown as the owner", async () => {
    const team = await makeTeam(pool);
    t = team;
    const pr = docName(team.projectId, "prompt");
    const owner = open(pr, as("owner"));
    const editor = open(pr, as("editor"));
    await Promise.all([owner.ready, editor.ready]);
    owner.provider.setAwarenessField("user", { id: team.owner.id, name: NAMES.owner });

    const viewer = open(pr, as("viewer"));
    await viewer.ready;
    const before = srv.presence.refused;
    viewer.provider.setAwarenessField("user", {
      id: team.owner.id,
      name: NAMES.owner,
      color: "#f00",
    });
    await waitFor(
      () => viewer.closes.some((r) => r.startsWith("4403 presence not allowed")),
      10_000,
      "presence refusal",
    );
    expect(srv.presence.refused).toBeGreaterThan(before);
    await sleep(300);
    // The editor sees exactly one "owner": the owner's own client.
    const owners = statesOf(editor).filter((s) => s.user?.id === team.owner.id);
    expect(owners.map((s) => s.id)).toEqual([owner.doc.clientID]);
    expect(statesOf(editor).some((s) => s.id === viewer.doc.clientID)).toBe(false);
  });

  it("a viewer's own presence (its token's id and name) is published to others", async () => {
    const pr = docName(t.projectId, "prompt");
    const editor = open(pr, as("editor"));
    const viewer = open(pr, as("viewer"));
    await Promise.all([editor.ready, viewer.ready]);
    viewer.provider.setAwarenessField("user", { id: t.viewer.id, name: "Vic", color: "#0af" });
    await waitFor(
      () => statesOf(editor).some((s) => s.id === viewer.doc.clientID && s.user?.name === "Vic"),
      10_000,
      "viewer presence",
    );
    expect(viewer.closes).toEqual([]);
  });

  it("a connection may not overwrite another connection's client id", async () => {
    const pr = docName(t.projectId, "prompt");
    const owner = open(pr, as("owner"));
    const editor = open(pr, as("editor"));
    await Promise.all([owner.ready, editor.ready]);
    owner.provider.setAwarenessField("user", { id: t.owner.id, name: NAMES.owner });
    await waitFor(
      () => statesOf(editor).some((s) => s.id === owner.doc.clientID),
      10_000,
      "owner presence",
    );
    // The attacker's document borrows the owner's client id and outpaces its clock.
    const borrowed = new Y.Doc();
    borrowed.clientID = owner.doc.clientID;
    const viewer = open(pr, as("viewer"), borrowed);
    await viewer.ready;
    for (let i = 0; i < 6; i++)
      viewer.provider.setAwarenessField("user", { id: t.viewer.id, name: "Vic", n: i });
    await waitFor(
      () => viewer.closes.some((r) => r.startsWith("4403 presence not allowed")),
      10_000,
      "takeover refusal",
    );
    await sleep(300);
    const shown = statesOf(editor).find((s) => s.id === owner.doc.clientID);
    expect(shown?.user).toMatchObject({ id: t.owner.id, name: NAMES.owner });
  });
});
