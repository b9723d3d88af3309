import { describe, expect, it } from "vitest";
import { explain } from "./explain.server.ts";
import { understand } from "./understand.server.ts";

/** Cases seen on the contact sheet where a word was drawn as the wrong thing, or as a thing at all. */
describe("understanding: what is a thing to draw", () => {
  it("a band is musicians drawn by the person rig, never the chocolate bar its emoji words name", () => {
    const s = understand({ text: "a jazz band playing in a smoky club", sections: {} });
    expect(s.subjects).toHaveLength(1);
    expect(s.subjects[0]).toMatchObject({ kind: "musician", art: "person" });
    expect(s.subjects[0]!.count).toBeGreaterThanOrEqual(3);
  });

  it("everyday nouns whose nearest WordNet drawing was another thing get their own", () => {
    const drawn = (text: string) => explain(text).subjects.map((x) => x.art);
    expect(drawn("a man eating a burger in a diner")).toContain("hamburger");
    expect(drawn("a man eating a burger in a diner")).not.toContain("judge");
    expect(drawn("a knight raising a sword")).toContain("dagger");
    expect(drawn("a toddler riding a tricycle in a driveway")).toContain("bicycle");
    expect(drawn("a glass of wine on a table")).toContain("wine-glass");
    expect(drawn("a king on a throne")).toContain("person-with-crown");
    expect(drawn("a pumpkin on a porch")).toContain("jack-o-lantern");
  });

  it("a camera in someone's hands is drawn and held; the camera that films the shot is not", () => {
    const held = explain("A photographer holding a camera at a wedding").subjects;
    expect(held.map((x) => x.art).slice(0, 2)).toEqual(["person", "camera"]);
    expect(held[0]!.relation).toEqual({ kind: "holding", to: 1 });
    const filming = explain("A woman filming with a camera on a beach").subjects;
    expect(filming.map((x) => x.noun)).toEqual(["woman", "camera"]);
    expect(filming[0]!.relation).toEqual({ kind: "holding", to: 1 });
    expect(explain("A girl with a balloon in a park").subjects[0]!.relation?.kind).toBe("holding");
    // Whoever holds it walks; the cup does not.
    const walker = explain("A man holding a cup of coffee walking down a busy street").subjects;
    expect(walker.map((x) => [x.noun, x.motion])).toEqual([
      ["man", "walk"],
      ["cup", "still"],
    ]);
    // With a dog, side by side; the shot's camera is no subject.
    expect(explain("A man with a dog on a beach").subjects[0]!.relation?.kind).toBe("next-to");
    expect(
      explain("The camera pans across a man walking on a beach").subjects.map((x) => x.noun),
    ).toEqual(["man"]);
    expect(
      explain("A dog running on a beach, camera tracking alongside").subjects.map((x) => x.noun),
    ).toEqual(["dog"]);
  });

  it("a person on a bench or a chair sits on it, at its scale, feet on its floor", () => {
    for (const [text, seat] of [
      ["A man sitting on a bench in a park", "bench"],
      ["A woman sitting on a chair in a living room", "chair"],
    ] as const) {
      const [who, what] = explain(text).subjects;
      expect(what!.art, text).toBe(seat);
      expect(who!.relation, text).toEqual({ kind: "on-top-of", to: 1 });
      expect(who!.x).toBe(what!.x);
      expect(what!.size / who!.size).toBeCloseTo(seat === "bench" ? 0.5 : 0.53, 2);
      expect(who!.y + who!.size / 2).toBeCloseTo(what!.y + what!.size / 2, 2);
    }
    // Sitting at a table puts it at their chest: lower than beside someone standing.
    const sitting = explain("Two friends sitting at a cafe table").subjects;
    const standing = explain("Two friends standing at a cafe table").subjects;
    expect(sitting[1]!.size).toBeLessThan(standing[1]!.size);
  });

  it("a fox, a wolf and a bear are whole animals, not the emoji set's faces", () => {
    for (const [text, art] of [
      ["A red fox trots through fresh snow at dawn", "fox-side"],
      ["A wolf running across a field at dusk", "wolf-side"],
      ["A bear walking through a forest", "bear-side"],
    ] as const)
      expect(explain(text).subjects[0]!.art, text).toBe(art);
  });

  it("a verb goes to who does it: joined subjects share it, a chair does not read, a walked dog walks", () => {
    const pair = explain("A woman and a man walking in a park").subjects;
    expect(pair.map((x) => x.motion)).toEqual(["walk", "walk"]);
    const reader = explain("A woman on a chair reading a book").subjects;
    expect(reader.map((x) => [x.noun, x.verb])).toEqual([
      ["woman", "reading"],
      ["chair", null],
      ["book", null],
    ]);
    const walk = explain("A man walking a dog on a beach").subjects;
    expect(walk.map((x) => x.motion)).toEqual(["walk", "walk"]);
    expect(walk[0]!.relation).toEqual({ kind: "next-to", to: 1 });
    // A farmer is a person's height beside the sheep.
    const farm = explain("Three sheep and a farmer walking across a field").subjects;
    expect(farm[1]!.size).toBeGreaterThan(farm[0]!.size);
  });

  it("'into space' is the place, not an alien", () => {
    const p = explain("a rocket launching into space, pixel art");
    expect(p.setting).toBe("space");
    expect(understand({ text: "a rocket launching into space", sections: {} }).timeOfDay).toBe(
      "night",
    );
    expect(p.subjects.map((x) => x.noun)).toEqual(["rocket"]);
  });

  it("a cup of coffee is one cup; a bowl of strawberries keeps the strawberries", () => {
    // The kitchen table is drawn too: the pizza and the cup rest on it (composition.test.ts).
    expect(
      explain("a pizza and a cup of coffee on a kitchen table").subjects.map((x) => x.noun),
    ).toEqual(["pizza", "cup", "table"]);
    expect(explain("a bowl of strawberries").subjects.map((x) => x.noun)).toEqual([
      "bowl",
      "strawberry",
    ]);
  });

  it("colour words of the light and the waves of a coast are not subjects", () => {
    expect(
      explain("moody blue and purple lighting on a woman reading").subjects.map((x) => x.noun),
    ).toEqual(["woman"]);
    const coast = explain("a lighthouse on a rocky coast at sunset, waves crashing");
    expect(coast.setting).toBe("coast");
    expect(coast.subjects.map((x) => x.noun)).toEqual(["lighthouse"]);
  });

  it("a barn is drawn as a house, not an office building", () => {
    const p = explain("a cow standing in front of a barn, cartoon");
    expect(p.subjects.find((x) => x.noun === "barn")?.art).toBe("house");
  });
});
