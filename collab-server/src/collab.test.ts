import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { docName } from "@reelhouse/shared/collab/docs";
import {
  addShot,
  addThread,
  listShots,
  listThreads,
  promptFragment,
  reply,
  setResolved,
  threadsMap,
  userOrigin,
} from "@reelhouse/shared/collab/schema";
import { signCollabToken } from "@reelhouse/shared/collab/token.server";
import { freePort } from "@reelhouse/shared/db/embedded-postgres.server";
import { repoRoot } from "@reelhouse/shared/paths.server";
import { testDatabaseUrl, testPool } from "@reelhouse/shared/testing/db";
import { loadYDoc } from "@reelhouse/shared/workspaces/documents.server";
import { deleteProject } from "@reelhouse/shared/workspaces/projects.server";
import { createShareLink, revokeShareLink } from "@reelhouse/shared/workspaces/share-links.server";
import {
  createSnapshot,
  listSnapshots,
  restoreSnapshot,
} from "@reelhouse/shared/workspaces/snapshots.server";
import { changeRole, removeMember } from "@reelhouse/shared/workspaces/workspaces.server";
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

const pool = testPool(10);
let srv: CollabServer;
const clients: Client[] = [];
const logs: string[] = [];

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
    debounceMs: 200,
    maxDebounceMs: 1000,
    maxMessageBytes: 64 * 1024,
    pollMs: 60_000,
    log: (level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })),
  });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await srv?.close();
  await pool.end();
});

const shotPrompts = (d: Y.Doc) => listShots(d).map((s) => s.prompt);

describe("collab server with real providers", () => {
  let t: Team;
  beforeAll(async () => {
    t = await makeTeam(pool);
  });

  it("[C10] two clients converge on concurrent edits of the storyboard and the prompt", async () => {
    const sb = docName(t.projectId, "storyboard");
    const pr = docName(t.projectId, "prompt");
    const a = open(sb, tokenFor(t.owner.id));
    const b = open(sb, tokenFor(t.editor.id));
    const pa = open(pr, tokenFor(t.owner.id));
    const pb = open(pr, tokenFor(t.editor.id));
    await Promise.all([a.ready, b.ready, pa.ready, pb.ready]);
    // Concurrent: both add shots in the same tick and both type into the prompt.
    addShot(a.doc, { prompt: "from a" }, userOrigin(t.owner.id));
    addShot(b.doc, { prompt: "from b" }, userOrigin(t.editor.id));
    const ta = new Y.XmlText("Subject: a fox. ");
    promptFragment(pa.doc).insert(0, [ta]);
    await waitFor(() => promptFragment(pb.doc).length === 1, 10_000, "prompt to arrive");
    (promptFragment(pa.doc).get(0) as Y.XmlText).insert(0, "[A]");
    (promptFragment(pb.doc).get(0) as Y.XmlText).insert(16, "[B]");
    await waitFor(
      () => shotPrompts(a.doc).length === 2 && shotPrompts(b.doc).length === 2,
      3000,
      "shots",
    );
    await waitFor(
      () =>
        promptFragment(pa.doc).toString() === promptFragment(pb.doc).toString() &&
        promptFragment(pa.doc).toString().includes("[A]") &&
        promptFragment(pa.doc).toString().includes("[B]"),
      3000,
      "prompt convergence",
    );
    expect(shotPrompts(a.doc)).toEqual(shotPrompts(b.doc));
    expect(new Set(shotPrompts(a.doc))).toEqual(new Set(["from a", "from b"]));
  });

  it("[C4] a viewer's update never reaches other clients or the database", async () => {
    const sb = docName(t.projectId, "casting");
    const editor = open(sb, tokenFor(t.editor.id));
    const viewer = open(sb, tokenFor(t.viewer.id));
    await Promise.all([editor.ready, viewer.ready]);
    const before = srv.authorization.refusedWrites;
    viewer.doc.getMap("roles").set("evil", "viewer was here");
    await waitFor(() => srv.authorization.refusedWrites > before, 10_000, "refusal");
    // The editor's later write reaches the viewer (the viewer can read) ...
    editor.doc.getMap("roles").set("ok", "editor");
    await waitFor(
      () => viewer.doc.getMap("roles").get("ok") === "editor",
      3000,
      "editor write at viewer",
    );
    await acknowledged(editor);
    // ... but the viewer's write is neither at the editor nor stored, and stays unacknowledged.
    expect(editor.doc.getMap("roles").has("evil")).toBe(false);
    expect(viewer.provider.unsyncedChanges).toBeGreaterThan(0);
    const stored = await loadYDoc(pool, sb);
    expect(stored.getMap("roles").get("ok")).toBe("editor");
    expect(stored.getMap("roles").has("evil")).toBe(false);
    // A fresh reader sees only the editor's write.
    const fresh = open(sb, tokenFor(t.owner.id));
    await fresh.ready;
    expect(fresh.doc.getMap("roles").toJSON()).toEqual({ ok: "editor" });
    expect(logs.some((l) => l.includes("write refused on read-only connection"))).toBe(true);
  });

  it("[C5] a commenter can comment but cannot edit the prompt", async () => {
    const cm = docName(t.projectId, "comments");
    const pr = docName(t.projectId, "prompt");
    const editorComments = open(cm, tokenFor(t.editor.id));
    const editorPrompt = open(pr, tokenFor(t.editor.id));
    const comC = open(cm, tokenFor(t.commenter.id, undefined, "Com"));
    const comP = open(pr, tokenFor(t.commenter.id));
    await Promise.all([editorComments.ready, editorPrompt.ready, comC.ready, comP.ready]);
    const id = addThread(
      comC.doc,
      { kind: "shot", shotId: "s1" },
      { id: t.commenter.id, name: "Com" },
      "Love it @x_y",
      userOrigin(t.commenter.id),
    );
    await acknowledged(comC);
    await waitFor(
      () => listThreads(editorComments.doc).some((th) => th.id === id),
      3000,
      "comment at editor",
    );
    expect(listThreads(await loadYDoc(pool, cm)).map((th) => th.id)).toContain(id);

    const before = srv.authorization.refusedWrites;
    promptFragment(comP.doc).insert(0, [new Y.XmlText("commenter rewrite")]);
    await waitFor(() => srv.authorization.refusedWrites > before, 10_000, "refusal");
    await sleep(100);
    expect(promptFragment(editorPrompt.doc).toString()).not.toContain("commenter rewrite");
    expect(promptFragment(await loadYDoc(pool, pr)).toString()).not.toContain("commenter rewrite");
  });

  it("[C17] a commenter may add, reply and resolve, but not delete or rewrite others' comments", async () => {
    const team = await makeTeam(pool);
    const cm = docName(team.projectId, "comments");
    const editor = open(cm, tokenFor(team.editor.id, undefined, "Ed"));
    await editor.ready;
    const me = { id: team.editor.id, name: "Ed" };
    const t1 = addThread(
      editor.doc,
      { kind: "shot", shotId: "s1" },
      me,
      "first",
      userOrigin(me.id),
    );
    await acknowledged(editor);

    const guestRef = { id: team.commenter.id, name: "Com" };
    const ok = open(cm, tokenFor(team.commenter.id, undefined, "Com"));
    await ok.ready;
    reply(ok.doc, t1, guestRef, "agreed", userOrigin(guestRef.id));
    setResolved(ok.doc, t1, true, userOrigin(guestRef.id));
    const own = addThread(
      ok.doc,
      { kind: "shot", shotId: "s2" },
      guestRef,
      "mine",
      userOrigin(guestRef.id),
    );
    await acknowledged(ok);
    await waitFor(
      () => listThreads(editor.doc).length === 2 && listThreads(editor.doc)[0]!.resolved,
      10_000,
      "commenter changes",
    );

    const attempts: [string, (d: Y.Doc) => void][] = [
      ["delete a thread", (d) => threadsMap(d).delete(t1)],
      ["write as someone else", (d) => reply(d, t1, me, "forged", userOrigin(me.id))],
      [
        "rewrite a message",
        (d) => {
          const msgs = threadsMap(d).get(t1)!.get("messages") as Y.Array<unknown>;
          d.transact(() => {
            msgs.delete(0, 1);
            msgs.insert(0, [{ ...(msgs.get(0) as object), body: "rewritten" }]);
          });
        },
      ],
    ];
    for (const [what, attempt] of attempts) {
      const c = open(cm, tokenFor(team.commenter.id, undefined, "Com"));
      await c.ready;
      const before = srv.commentsGuard.refused;
      attempt(c.doc);
      await waitFor(
        () => c.closes.some((r) => r.startsWith("4403 comment change not allowed")),
        10_000,
        what,
      );
      expect(srv.commentsGuard.refused, what).toBe(before + 1);
      c.destroy();
    }
    await sleep(200);
    const stored = listThreads(await loadYDoc(pool, cm));
    for (const threads of [listThreads(editor.doc), stored]) {
      expect(threads.map((th) => th.id)).toEqual([t1, own]);
      expect(threads[0]!.messages.map((m) => [m.author.id, m.body])).toEqual([
        [me.id, "first"],
        [guestRef.id, "agreed"],
      ]);
    }
  });

  it("[C3] forged, expired and malformed tokens, other people's projects and unknown documents are refused", async () => {
    const sb = docName(t.projectId, "storyboard");
    const forged = signCollabToken("another-secret-another-secret-0123456789", {
      sub: t.owner.id,
      name: "x",
    });
    const expired = tokenFor(t.owner.id, -5);
    const cases: [string, string, RegExp][] = [
      [sb, forged, /^4401 bad signature/],
      [sb, expired, /^4401 token expired/],
      [sb, "garbage", /^4401 malformed token/],
      [sb, tokenFor(t.outsider.id), /^4403 forbidden/],
      [`project.${t.projectId}.secrets`, tokenFor(t.owner.id), /^4403 unknown document/],
      [docName(crypto.randomUUID(), "prompt"), tokenFor(t.owner.id), /^4403 forbidden/],
    ];
    for (const [name, token, reason] of cases) {
      const c = open(name, token);
      await expect(c.ready, `${name} ${token.slice(0, 10)}`).rejects.toThrow(reason);
      c.destroy();
    }
    // Same answer for "exists but not yours" and "does not exist": existence is not revealed.
    expect(cases[3]![2].source).toBe(cases[5]![2].source);
  });

  it("[C6] a revoked share link disconnects a connected guest and refuses reconnection", async () => {
    const { link } = await createShareLink(pool, t.owner.id, t.projectId, { rights: "comment" });
    const guestToken = signCollabToken(SECRET, {
      sub: `guest:${link.id}:r4nd`,
      name: "Client",
      shareLinkId: link.id,
    });
    const sb = docName(t.projectId, "storyboard");
    const cm = docName(t.projectId, "comments");
    const guestSb = open(sb, guestToken);
    const guestCm = open(cm, guestToken);
    await Promise.all([guestSb.ready, guestCm.ready]);
    // Guests: storyboard read-only, comments writable with comment rights, prompt refused.
    const gp = open(docName(t.projectId, "prompt"), guestToken);
    await expect(gp.ready).rejects.toThrow(/^4403/);
    addThread(
      guestCm.doc,
      { kind: "shot", shotId: "s" },
      { id: `guest:${link.id}:r4nd`, name: "Client" },
      "Nice",
      userOrigin("guest"),
    );
    await acknowledged(guestCm);
    // A guest token for another project's documents is refused.
    const other = await makeTeam(pool);
    const cross = open(docName(other.projectId, "storyboard"), guestToken);
    await expect(cross.ready).rejects.toThrow(/^4403/);

    await revokeShareLink(pool, t.editor.id, link.id);
    await waitFor(
      () => guestSb.closes.length > 0 && guestCm.closes.length > 0,
      3000,
      "guest disconnect",
    );
    expect(guestSb.closes[0]).toMatch(/^4410 /);
    const again = open(sb, guestToken);
    await expect(again.ready).rejects.toThrow(/^4410 share link revoked/);
  });

  it("[C6] an expired share link is refused", async () => {
    const { link } = await createShareLink(pool, t.owner.id, t.projectId, {
      rights: "view",
      ttlSeconds: 60,
    });
    await pool.query(
      "UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1",
      [link.id],
    );
    const token = signCollabToken(SECRET, {
      sub: `guest:${link.id}:x`,
      name: "G",
      shareLinkId: link.id,
    });
    const c = open(docName(t.projectId, "storyboard"), token);
    await expect(c.ready).rejects.toThrow(/^4410/);
  });

  it("[C9] removing a member or changing their role closes their open sessions", async () => {
    const team = await makeTeam(pool);
    const sb = docName(team.projectId, "storyboard");
    const viewer = open(sb, tokenFor(team.viewer.id));
    const commenter = open(sb, tokenFor(team.commenter.id));
    await Promise.all([viewer.ready, commenter.ready]);
    await removeMember(pool, team.owner.id, team.workspaceId, team.viewer.id);
    await waitFor(() => viewer.closes.length > 0, 10_000, "removed member disconnect");
    expect(viewer.closes[0]).toMatch(/^4403 access removed/);
    const again = open(sb, tokenFor(team.viewer.id));
    await expect(again.ready).rejects.toThrow(/^4403/);
    await changeRole(pool, team.owner.id, team.workspaceId, team.commenter.id, "editor");
    await waitFor(() => commenter.closes.length > 0, 10_000, "role change disconnect");
    expect(commenter.closes[0]).toMatch(/^4403 access changed/);
  });

  it("[C9] deleting a project closes its sessions and its documents are not written back", async () => {
    const team = await makeTeam(pool);
    const sb = docName(team.projectId, "storyboard");
    const c = open(sb, tokenFor(team.editor.id));
    await c.ready;
    addShot(c.doc, { prompt: "doomed" }, userOrigin(team.editor.id));
    await acknowledged(c);
    await deleteProject(pool, team.owner.id, team.projectId);
    await waitFor(() => c.closes.length > 0, 10_000, "project deletion disconnect");
    expect(c.closes[0]).toMatch(/^4403 access removed/);
    await sleep(600); // past the compaction debounce
    const rows = await pool.query("SELECT name FROM yjs_documents WHERE name = $1", [sb]);
    expect(rows.rowCount).toBe(0);
  });

  it("[C16] presence from any connection, read-only included, reaches the others", async () => {
    const sb = docName(t.projectId, "storyboard");
    const editor = open(sb, tokenFor(t.editor.id));
    const viewer = open(sb, tokenFor(t.viewer.id));
    await Promise.all([editor.ready, viewer.ready]);
    // Presence carries the token's identity ([C42]): tokenFor names a user by its id's start.
    viewer.provider.setAwarenessField("user", {
      id: t.viewer.id,
      name: t.viewer.id.slice(0, 8),
      color: "#0af",
    });
    viewer.provider.setAwarenessField("shotId", "shot-3");
    await waitFor(
      () =>
        [...editor.provider.awareness!.getStates().values()].some(
          (st) => (st as { shotId?: string }).shotId === "shot-3",
        ),
      10_000,
      "viewer presence at editor",
    );
  });

  it("[C10] offline edits merge on reconnect", async () => {
    const sb = docName(t.projectId, "storyboard");
    const a = open(sb, tokenFor(t.owner.id));
    const b = open(sb, tokenFor(t.editor.id));
    await Promise.all([a.ready, b.ready]);
    a.provider.configuration.websocketProvider.disconnect();
    await waitFor(
      () => a.provider.configuration.websocketProvider.status === "disconnected",
      3000,
      "offline",
    );
    addShot(a.doc, { prompt: "written offline" }, userOrigin(t.owner.id));
    addShot(b.doc, { prompt: "written online" }, userOrigin(t.editor.id));
    await acknowledged(b);
    expect(shotPrompts(b.doc)).not.toContain("written offline");
    await a.provider.configuration.websocketProvider.connect();
    await waitFor(
      () =>
        ["written offline", "written online"].every(
          (p) => shotPrompts(a.doc).includes(p) && shotPrompts(b.doc).includes(p),
        ),
      5000,
      "merge",
    );
    await acknowledged(a);
    const stored = shotPrompts(await loadYDoc(pool, sb));
    expect(stored).toEqual(expect.arrayContaining(["written offline", "written online"]));
  });

  it("[C8] oversized and malformed updates are refused with a logged reason while others keep working", async () => {
    const sb = docName(t.projectId, "casting");
    const bad = open(sb, tokenFor(t.editor.id));
    const good = open(sb, tokenFor(t.owner.id));
    const watcher = open(sb, tokenFor(t.viewer.id));
    await Promise.all([bad.ready, good.ready, watcher.ready]);
    // Oversized: a 100 KB value in one update (limit in this test server: 64 KiB).
    bad.doc.getMap("roles").set("huge", "x".repeat(100_000));
    await waitFor(() => bad.closes.some((r) => r.startsWith("4413")), 10_000, "oversize refusal");
    good.doc.getMap("roles").set("after-oversize", 1);
    await waitFor(
      () => watcher.doc.getMap("roles").get("after-oversize") === 1,
      3000,
      "good write",
    );
    expect(watcher.doc.getMap("roles").has("huge")).toBe(false);
    expect((await loadYDoc(pool, sb)).getMap("roles").has("huge")).toBe(false);

    // Malformed: a sync-update message whose payload is not a Yjs update, sent on an authenticated connection.
    const bad2 = open(sb, tokenFor(t.editor.id));
    await bad2.ready;
    const socket = bad2.provider.configuration.websocketProvider.webSocket as unknown as {
      send(b: Uint8Array): void;
    };
    socket.send(syncUpdateMessage(sb, new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04])));
    await waitFor(() => bad2.closes.some((r) => r.startsWith("4400")), 10_000, "malformed refusal");
    good.doc.getMap("roles").set("after-malformed", 2);
    await waitFor(
      () => watcher.doc.getMap("roles").get("after-malformed") === 2,
      3000,
      "good write 2",
    );
    const refusals = logs.filter((l) => l.includes("message refused")).map((l) => JSON.parse(l));
    expect(refusals.map((r) => r.code)).toEqual(expect.arrayContaining([4413, 4400]));
    expect(refusals.every((r) => typeof r.reason === "string" && r.reason.length > 0)).toBe(true);
  });
});

describe("rate limit", () => {
  it("[C8] a connection flooding messages is cut off with 4429 while another keeps working", async () => {
    const team = await makeTeam(pool);
    const strict = await createCollabServer({
      pool,
      secret: SECRET,
      port: 0,
      messagesPerSecond: 5,
      burst: 20,
      log: (level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })),
    });
    const name = docName(team.projectId, "casting");
    const flood = connect(strict.url, name, tokenFor(team.editor.id));
    const calm = connect(strict.url, name, tokenFor(team.owner.id));
    const watch = connect(strict.url, name, tokenFor(team.viewer.id));
    try {
      await Promise.all([flood.ready, calm.ready, watch.ready]);
      for (let i = 0; i < 60; i++) flood.doc.getMap("roles").set(`k${i}`, i);
      await waitFor(
        () => flood.closes.some((r) => r.startsWith("4429")),
        10_000,
        "rate-limit close",
      );
      calm.doc.getMap("roles").set("calm", true);
      await waitFor(() => watch.doc.getMap("roles").get("calm") === true, 10_000, "calm write");
      expect(logs.some((l) => l.includes('"code":4429'))).toBe(true);
    } finally {
      for (const c of [flood, calm, watch]) c.destroy();
      await strict.close();
    }
  });
});

describe("token lifetime", () => {
  it("[C18] a session renews its token when asked; one that cannot is closed with 4401 at expiry", async () => {
    const team = await makeTeam(pool);
    const quick = await createCollabServer({
      pool,
      secret: SECRET,
      port: 0,
      pollMs: 200,
      log: () => {},
    });
    const name = docName(team.projectId, "casting");
    let issued = 0;
    const { HocuspocusProvider } = await import("@hocuspocus/provider");
    const WebSocket = (await import("ws")).default;
    const doc = new Y.Doc();
    const closes: string[] = [];
    const provider = new HocuspocusProvider({
      url: quick.url,
      name,
      document: doc,
      // What a browser does: ask the web app for a fresh short-lived token each time.
      token: async () => tokenFor(team.editor.id, issued++ === 0 ? 2 : 60),
      WebSocketPolyfill: WebSocket,
      onClose: ({ event }) => {
        if (event.reason) closes.push(event.reason);
      },
    } as ConstructorParameters<typeof HocuspocusProvider>[0]);
    const fixed = connect(quick.url, name, tokenFor(team.owner.id, 2)); // same token resent: expires
    try {
      await fixed.ready;
      await waitFor(() => provider.isSynced, 10_000, "renewing client synced");
      await waitFor(() => fixed.closes.length > 0, 10_000, "expiry close");
      expect(fixed.closes[0]).toBe("4401 token expired");
      expect(issued).toBeGreaterThanOrEqual(2);
      doc.getMap("roles").set("still", "here");
      await waitFor(
        () => provider.unsyncedChanges === 0,
        10_000,
        "ack after expiry of the first token",
      );
      expect(closes).toEqual([]);
      expect((await loadYDoc(pool, name)).getMap("roles").get("still")).toBe("here");
    } finally {
      provider.destroy();
      fixed.destroy();
      await quick.close();
    }
  });
});

describe("version history through the live server", () => {
  it("[C20] [C21] a restore reaches connected clients at once, and undoing it does too", async () => {
    const team = await makeTeam(pool);
    const sb = docName(team.projectId, "storyboard");
    const a = open(sb, tokenFor(team.editor.id));
    const b = open(sb, tokenFor(team.viewer.id));
    await Promise.all([a.ready, b.ready]);
    addShot(a.doc, { prompt: "v1" }, userOrigin(team.editor.id));
    await acknowledged(a);
    const v1 = await createSnapshot(pool, team.editor.id, team.projectId, "v1");
    addShot(a.doc, { prompt: "v2" }, userOrigin(team.editor.id));
    await acknowledged(a);
    await waitFor(() => shotPrompts(b.doc).length === 2, 5000, "v2 at viewer");
    const { undoSnapshot } = await restoreSnapshot(pool, team.owner.id, v1.id);
    await waitFor(
      () => shotPrompts(a.doc).join() === "v1" && shotPrompts(b.doc).join() === "v1",
      5000,
      "restore live",
    );
    await restoreSnapshot(pool, team.owner.id, undoSnapshot.id);
    await waitFor(
      () => shotPrompts(a.doc).join() === "v1,v2" && shotPrompts(b.doc).join() === "v1,v2",
      5000,
      "undo live",
    );
    // After compaction (debounce 200 ms here) the stored document still has the undo's result.
    await sleep(600);
    expect(shotPrompts(await loadYDoc(pool, sb))).toEqual(["v1", "v2"]);
  });

  it("[C22] storing a project's documents takes the daily automatic snapshot once", async () => {
    const team = await makeTeam(pool);
    const c = open(docName(team.projectId, "casting"), tokenFor(team.owner.id));
    await c.ready;
    c.doc.getMap("roles").set("r", 1);
    await acknowledged(c);
    await waitFor(
      async () =>
        (await listSnapshots(pool, team.owner.id, team.projectId)).some((s) => s.kind === "auto"),
      5000,
      "daily snapshot",
    );
    c.doc.getMap("roles").set("r", 2);
    await acknowledged(c);
    await sleep(600);
    const autos = (await listSnapshots(pool, team.owner.id, team.projectId)).filter(
      (s) => s.kind === "auto",
    );
    expect(autos).toHaveLength(1);
  });
});

/** A Hocuspocus sync/update message (lib0 encoding) carrying `payload` as the update. */
function syncUpdateMessage(doc: string, payload: Uint8Array): Uint8Array {
  const out: number[] = [];
  const varUint = (n: number) => {
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
  };
  const name = new TextEncoder().encode(doc);
  varUint(name.length);
  out.push(...name);
  varUint(0); // Sync
  varUint(2); // update
  varUint(payload.length);
  out.push(...payload);
  return new Uint8Array(out);
}

describe("durability of the collab server process", () => {
  let t: Team;
  beforeAll(async () => {
    t = await makeTeam(pool);
  });

  async function startProcess(port: number): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join("collab-server", "src", "main.ts")],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          DATABASE_URL: testDatabaseUrl(),
          AUTH_SECRET: SECRET,
          COLLAB_PORT: String(port),
          HOST: "127.0.0.1",
          LOG_LEVEL: "info",
          NODE_ENV: "test",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let err = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`collab server did not start: ${err}`)),
        30_000,
      );
      child.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("collab server listening")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => reject(new Error(`collab server exited ${code}: ${err}`)));
    });
    return child;
  }

  const exited = (c: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      c.exitCode !== null || c.signalCode !== null
        ? r({ code: c.exitCode, signal: c.signalCode })
        : c.once("exit", (code, signal) => r({ code, signal })),
    );

  it("[C7] acknowledged edits survive kill -9 of the collab server", async () => {
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const sb = docName(t.projectId, "storyboard");
    let child = await startProcess(port);
    try {
      const c = connect(url, sb, tokenFor(t.editor.id));
      await c.ready;
      for (let i = 0; i < 25; i++) addShot(c.doc, { prompt: `shot ${i}` }, userOrigin(t.editor.id));
      await acknowledged(c);
      child.kill("SIGKILL"); // right after the acknowledgement: no debounce, no unload, no flush
      expect((await exited(child)).signal).toBe("SIGKILL");
      c.destroy();
      child = await startProcess(port);
      const fresh = connect(url, sb, tokenFor(t.owner.id)); // a new client: it cannot resend the edits
      await fresh.ready;
      expect(shotPrompts(fresh.doc)).toEqual(Array.from({ length: 25 }, (_, i) => `shot ${i}`));
      fresh.destroy();
    } finally {
      child.kill("SIGKILL");
      await exited(child);
    }
  });

  it("[C15] SIGTERM compacts open documents into yjs_documents and exits 0", async () => {
    const port = await freePort();
    const pr = docName(t.projectId, "casting");
    const child = await startProcess(port);
    const c = connect(`ws://127.0.0.1:${port}`, pr, tokenFor(t.owner.id));
    await c.ready;
    c.doc.getMap("roles").set("before-term", "yes");
    await acknowledged(c);
    child.kill("SIGTERM");
    expect((await exited(child)).code).toBe(0);
    c.destroy();
    const left = await pool.query("SELECT count(*) AS n FROM yjs_updates WHERE name = $1", [pr]);
    expect(left.rows[0].n).toBe(0);
    const doc = await pool.query<{ state: Buffer }>(
      "SELECT state FROM yjs_documents WHERE name = $1",
      [pr],
    );
    const d = new Y.Doc();
    Y.applyUpdate(d, new Uint8Array(doc.rows[0]!.state));
    expect(d.getMap("roles").get("before-term")).toBe("yes");
  });
});
