import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { docName, parseDocName, projectDocNames } from "./docs.ts";
import { keyBetween } from "./fractional-index.ts";
import {
  addRole,
  addShot,
  addThread,
  deleteShot,
  docToJSON,
  duplicateShot,
  listRoles,
  listShots,
  listThreads,
  moveShot,
  parseMentions,
  promptFragment,
  replaceContent,
  reply,
  resolveTextAnchor,
  setResolved,
  textRangeAnchor,
  totalDurationSeconds,
  updateShot,
  userOrigin,
} from "./schema.ts";

const A = userOrigin("alice");
const B = userOrigin("bob");
const PID = "0b6e8f3a-6a5e-4a8e-9d7e-1f2a3b4c5d6e";

/** Two replicas that exchange updates only when `sync()` is called (like an offline period). */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return { a, b, sync };
}

/** Deterministic pseudo-random numbers for the fuzz test. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe("document names", () => {
  it("[C1] round-trips project document names and rejects anything else", () => {
    expect(parseDocName(docName(PID, "storyboard"))).toEqual({
      projectId: PID,
      kind: "storyboard",
    });
    expect(Object.keys(projectDocNames(PID))).toEqual([
      "prompt",
      "storyboard",
      "casting",
      "comments",
    ]);
    for (const bad of [
      "",
      `project.${PID}`,
      `project.${PID}.secrets`,
      `project.${PID}.prompt.x`,
      `workspace.${PID}.prompt`,
      "project.not-a-uuid.prompt",
      `project.${PID.toUpperCase()}.prompt`,
    ]) {
      expect(parseDocName(bad), bad).toBeNull();
    }
    expect(() => docName("nope", "prompt")).toThrow(/not a project id/);
  });
});

describe("fractional index", () => {
  it("[C11] keys sort strictly between their neighbours, even after many inserts at one spot", () => {
    let lo: string | null = null;
    let hi: string | null = null;
    const first = keyBetween(null, null);
    lo = first;
    for (let i = 0; i < 200; i++) {
      const k = keyBetween(lo, hi);
      if (lo !== null) expect(k > lo).toBe(true);
      if (hi !== null) expect(k < hi).toBe(true);
      if (i % 2) lo = k;
      else hi = k;
    }
    expect(() => keyBetween("b", "a")).toThrow(/out of order/);
    expect(() => keyBetween("a0", null)).toThrow(/invalid/);
  });
});

describe("storyboard", () => {
  it("[C11] add, duplicate, update, move and delete keep a consistent order and total duration", () => {
    const d = new Y.Doc();
    const s1 = addShot(d, { prompt: "one", durationSeconds: 4 }, A);
    const s2 = addShot(d, { prompt: "two", durationSeconds: 6 }, A);
    const s0 = addShot(d, { prompt: "zero", durationSeconds: 2 }, A, 0);
    expect(listShots(d).map((s) => s.prompt)).toEqual(["zero", "one", "two"]);
    const dup = duplicateShot(d, s1, A);
    expect(listShots(d).map((s) => s.id)).toEqual([s0, s1, dup, s2]);
    updateShot(d, dup, { prompt: "one bis", transition: "fade" }, A);
    moveShot(d, s2, 0, A);
    expect(listShots(d).map((s) => s.prompt)).toEqual(["two", "zero", "one", "one bis"]);
    moveShot(d, s2, 3, A);
    expect(listShots(d).map((s) => s.prompt)).toEqual(["zero", "one", "one bis", "two"]);
    deleteShot(d, s0, A);
    expect(totalDurationSeconds(d)).toBe(4 + 4 + 6);
    expect(() => updateShot(d, s1, { durationSeconds: 0 }, A)).toThrow();
    expect(() => addShot(d, { transition: "spin" as never }, A)).toThrow();
    expect(listShots(d)).toHaveLength(3);
  });

  it("[C12] concurrent reorders of the same and different shots never lose or duplicate a shot", () => {
    const { a, b, sync } = pair();
    const ids = ["s1", "s2", "s3", "s4"].map((p) => addShot(a, { prompt: p }, A));
    sync();
    moveShot(a, ids[0]!, 3, A); // alice: s1 to the end
    moveShot(b, ids[0]!, 1, B); // bob: s1 to second place
    moveShot(b, ids[3]!, 0, B); // bob: s4 to the front
    updateShot(a, ids[3]!, { notes: "alice note" }, A);
    sync();
    const la = listShots(a);
    expect(la.map((s) => s.id)).toEqual(listShots(b).map((s) => s.id));
    expect(new Set(la.map((s) => s.id))).toEqual(new Set(ids));
    expect(la.find((s) => s.id === ids[3])!.notes).toBe("alice note");
    expect(la[0]!.id).toBe(ids[3]);
  });

  it("[C12] fuzz: random concurrent add/move/edit on two replicas converge with every live shot present", () => {
    const r = rng(42);
    const { a, b, sync } = pair();
    const created = new Set<string>();
    const deleted = new Set<string>();
    for (let round = 0; round < 60; round++) {
      for (const [doc, origin] of [
        [a, A],
        [b, B],
      ] as const) {
        const shots = listShots(doc);
        const op = r();
        if (op < 0.3 || shots.length < 2) {
          created.add(
            addShot(doc, { prompt: `r${round}` }, origin, Math.floor(r() * (shots.length + 1))),
          );
        } else if (op < 0.75) {
          const s = shots[Math.floor(r() * shots.length)]!;
          moveShot(doc, s.id, Math.floor(r() * shots.length), origin);
        } else if (op < 0.95) {
          const s = shots[Math.floor(r() * shots.length)]!;
          updateShot(doc, s.id, { notes: `n${round}` }, origin);
        } else {
          const s = shots[Math.floor(r() * shots.length)]!;
          deleteShot(doc, s.id, origin);
          deleted.add(s.id);
        }
      }
      if (round % 3 === 2) sync();
    }
    sync();
    const la = listShots(a).map((s) => s.id);
    expect(la).toEqual(listShots(b).map((s) => s.id));
    expect(new Set(la)).toEqual(new Set([...created].filter((id) => !deleted.has(id))));
    expect(la.length).toBe(new Set(la).size);
  });
});

describe("casting", () => {
  it("[C13] roles are added, assigned and listed; invalid roles are refused", () => {
    const d = new Y.Doc();
    const id = addRole(d, { name: "Hero", description: "lead" }, A);
    expect(listRoles(d)).toEqual([
      expect.objectContaining({ id, name: "Hero", assigneeUserId: null }),
    ]);
    expect(() => addRole(d, { name: "", description: "" }, A)).toThrow();
    expect(listRoles(d)).toHaveLength(1);
  });
});

describe("comments", () => {
  it("[C14] threads on a shot and on a text range; resolve, reopen, reply and @mentions", () => {
    const { a, b, sync } = pair();
    const text = new Y.XmlText("A cat walks in the rain");
    promptFragment(a).insert(0, [text]);
    sync();
    const range = textRangeAnchor(text, 2, 5); // "cat"
    const t1 = addThread(
      a,
      { kind: "shot", shotId: "s1" },
      { id: "u1", name: "Alice" },
      "Hi @bob_x and @Carol.",
      A,
    );
    const t2 = addThread(a, range, { id: "u1", name: "Alice" }, "nice", A);
    sync();
    // Bob inserts text before the anchored range: the anchor follows the word.
    (promptFragment(b).get(0) as Y.XmlText).insert(0, "Look: ");
    reply(b, t1, { id: "guest:l:1", name: "Client" }, "ok @alice", B);
    setResolved(b, t1, true, B);
    sync();
    const threads = listThreads(a);
    expect(threads.map((t) => t.id)).toEqual([t1, t2]);
    expect(threads[0]!.resolved).toBe(true);
    expect(threads[0]!.messages.map((m) => m.mentions)).toEqual([["bob_x", "carol"], ["alice"]]);
    const resolved = resolveTextAnchor(
      a,
      threads[1]!.anchor as Extract<typeof range, { kind: "text" }>,
    );
    expect(resolved).not.toBeNull();
    expect((resolved!.type as Y.XmlText).toString().slice(resolved!.start, resolved!.end)).toBe(
      "cat",
    );
    setResolved(a, t1, false, A);
    expect(listThreads(a)[0]!.resolved).toBe(false);
    expect(() => reply(a, t1, { id: "u1", name: "A" }, "   ", A)).toThrow();
    expect(parseMentions("mail a@b.com, @xy, @good.name.")).toEqual(["good.name"]);
    expect(
      resolveTextAnchor(a, { kind: "text", doc: "prompt", start: "%%%", end: "AAAA" }),
    ).toBeNull();
  });
});

describe("restore", () => {
  it("[C20] replaceContent makes a live doc equal to a snapshot and merges as a normal update", () => {
    const live = new Y.Doc();
    addShot(live, { prompt: "keep" }, A);
    const snap = new Y.Doc();
    Y.applyUpdate(snap, Y.encodeStateAsUpdate(live));
    addShot(live, { prompt: "added later" }, A);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(live));
    replaceContent(live, snap, "storyboard", { kind: "restore", snapshotId: "x" });
    expect(listShots(live).map((s) => s.prompt)).toEqual(["keep"]);
    Y.applyUpdate(other, Y.encodeStateAsUpdate(live, Y.encodeStateVector(other)));
    expect(docToJSON(other, "storyboard")).toEqual(docToJSON(snap, "storyboard"));

    const p = new Y.Doc();
    const para = new Y.XmlElement("paragraph");
    para.insert(0, [new Y.XmlText("Subject: a fox")]);
    promptFragment(p).insert(0, [para]);
    const p2 = new Y.Doc();
    replaceContent(p2, p, "prompt", { kind: "restore", snapshotId: "y" });
    expect(promptFragment(p2).toString()).toBe("<paragraph>Subject: a fox</paragraph>");
  });
});
