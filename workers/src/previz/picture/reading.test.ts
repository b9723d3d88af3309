import { describe, expect, test } from "vitest";
import { buildTimeline } from "../timeline.ts";
import { understand } from "../understand.ts";
import { PictureRenderer } from "./renderer.ts";

interface M {
  s: { noun: string };
  held?: M;
  holder?: M;
  seat?: M;
  wx: number;
  wy: number;
}

function cast(text: string): M[] {
  const spec = understand({ text, sections: {} });
  const tl = buildTimeline(spec, { durationSeconds: 4, fps: 30, seed: 1 });
  const r = new PictureRenderer({ spec, timeline: tl, width: 360, height: 640, mouth: () => 0 });
  return (r as unknown as { cast: { members: M[] } }).cast.members;
}

describe("a reader holds what they read", () => {
  test.each([
    ["A woman on a chair reading a book", "woman", "book", "chair"],
    ["A man sitting on a bench reading a newspaper in a park", "man", "newspaper", "bench"],
  ])("%s", (text, who, what, seat) => {
    const members = cast(text);
    const at = (n: string) => members.findIndex((m) => m.s.noun === n);
    const reader = members[at(who)]!;
    const thing = members[at(what)]!;
    expect(reader.seat).toBe(members[at(seat)]);
    expect(reader.held).toBe(thing);
    expect(thing.holder).toBe(reader);
    // In their hands: drawn after the reader (and so in front of the seat behind them).
    expect(at(what)).toBeGreaterThan(at(who));
    expect(at(what)).toBeGreaterThan(at(seat));
    // Above the seat, at the seated reader's chest.
    expect(thing.wy).toBeLessThan(members[at(seat)]!.wy);
  });

  test("someone who only sits beside a book does not pick it up", () => {
    const members = cast("A woman on a chair next to a book");
    const woman = members.find((m) => m.s.noun === "woman")!;
    expect(woman.held).toBeUndefined();
  });
});
