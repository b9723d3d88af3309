import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { makeTextAnchor, resolveAnchor } from "./anchors.client";

/** A prompt document shaped like TipTap's: paragraphs, each holding one XmlText. */
function promptDoc(...paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment("prompt");
  frag.insert(
    0,
    paragraphs.map((t) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(t)]);
      return p;
    }),
  );
  return doc;
}

function textOf(doc: Y.Doc, block: number): Y.XmlText {
  return (doc.getXmlFragment("prompt").get(block) as Y.XmlElement).get(0) as Y.XmlText;
}

describe("comment anchors on prompt text", () => {
  it("quotes the anchored range and follows it when text is inserted before it", () => {
    const doc = promptDoc("Intro line", "A jazz band in a dimly lit club");
    const anchor = makeTextAnchor(doc, 1, 2, 11)!;
    expect(anchor.kind).toBe("text");
    expect(resolveAnchor(doc, anchor as Extract<typeof anchor, { kind: "text" }>)).toEqual({
      blockIndex: 1,
      from: 2,
      to: 11,
      quote: "jazz band",
    });
    textOf(doc, 1).insert(0, "Tonight: ");
    doc.getXmlFragment("prompt").insert(0, [new Y.XmlElement("paragraph")]);
    const r = resolveAnchor(doc, anchor as Extract<typeof anchor, { kind: "text" }>)!;
    expect(r.quote).toBe("jazz band");
    expect(r.blockIndex).toBe(2);
  });

  it("survives a round trip to another replica (the anchor is plain data)", () => {
    const a = promptDoc("Close-up of a steaming cup of coffee");
    const anchor = makeTextAnchor(a, 0, 14, 36)!;
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const r = resolveAnchor(b, JSON.parse(JSON.stringify(anchor)));
    expect(r?.quote).toBe("steaming cup of coffee");
  });

  it("resolves to null once the anchored text is deleted", () => {
    const doc = promptDoc("Neon signs reflecting in puddles");
    const anchor = makeTextAnchor(doc, 0, 0, 10)! as Extract<
      ReturnType<typeof makeTextAnchor>,
      { kind: "text" }
    >;
    textOf(doc, 0).delete(0, 11);
    expect(resolveAnchor(doc, anchor)).toBeNull();
  });

  it("refuses empty, reversed or out-of-range selections and missing blocks", () => {
    const doc = promptDoc("Short");
    expect(makeTextAnchor(doc, 0, 3, 3)).toBeNull();
    expect(makeTextAnchor(doc, 0, 4, 2)).toBeNull();
    expect(makeTextAnchor(doc, 0, 0, 99)).toBeNull();
    expect(makeTextAnchor(doc, 5, 0, 1)).toBeNull();
  });

  it("treats a garbled anchor as gone instead of throwing", () => {
    const doc = promptDoc("Text");
    expect(
      resolveAnchor(doc, { kind: "text", doc: "prompt", start: "!!!", end: "???" }),
    ).toBeNull();
  });
});
