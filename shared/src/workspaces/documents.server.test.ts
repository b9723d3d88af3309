import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { transaction } from "../db/pool.server.ts";
import { testPool, uniq } from "../testing/db.ts";
import { appendUpdates, compactDoc, loadDocState } from "./documents.server.ts";

const pool = testPool(6);
afterAll(() => pool.end());

/** A document whose whole content is the text `t` in the root map "m". */
function update(t: string): Uint8Array {
  const d = new Y.Doc();
  d.getMap("m").set("t", t);
  return Y.encodeStateAsUpdate(d);
}

describe("loadDocState", () => {
  it("never reads a document as empty while it is being compacted (one snapshot, not two reads)", async () => {
    const name = `project.${crypto.randomUUID()}.${uniq("race")}`;
    const [first] = await appendUpdates(pool, [{ name, update: update("hello") }]);
    const state = update("hello");
    let upTo = first!;
    let empty = 0;
    let reads = 0;
    const deadline = Date.now() + 3000;
    // A compactor that keeps moving the content between yjs_updates and yjs_documents, and
    // readers racing it: every read must see the content, in one place or the other.
    const compactor = (async () => {
      while (Date.now() < deadline) {
        await compactDoc(pool, name, state, upTo);
        // Back to "updates only", in one transaction: the content is never absent from both.
        await transaction(pool, async (c) => {
          await c.query("DELETE FROM yjs_documents WHERE name = $1", [name]);
          [upTo] = (await appendUpdates(c, [{ name, update: update("hello") }])) as [number];
        });
      }
    })();
    const reader = async () => {
      while (Date.now() < deadline) {
        const d = new Y.Doc();
        Y.applyUpdate(d, (await loadDocState(pool, name)).update);
        reads++;
        if (d.getMap("m").get("t") !== "hello") empty++;
      }
    };
    await Promise.all([compactor, reader(), reader(), reader()]);
    expect(reads).toBeGreaterThan(20);
    expect(empty).toBe(0);
  });
});
