import { describe, expect, it } from "vitest";
import { MAX_SCALED_SIZE, MIN_SCALED_SIZE, realScaleSizes } from "./real-scale.ts";
import { understand } from "./understand.server.ts";

const sizes = (text: string) =>
  Object.fromEntries(
    understand({ text, sections: {} }).subjects.map((s) => [s.noun, s.place.size] as const),
  );

describe("real-world scale between subjects on one ground", () => {
  it("draws what shares the ground at its size relative to the lead", () => {
    const kid = sizes("A child kicking a ball in a park");
    expect(kid.child).toBe(sizes("A child in a park").child);
    expect(kid.ball! / kid.child!).toBeCloseTo(0.22 / 1.2, 2);
    const zoo = sizes("An elephant next to a mouse");
    expect(zoo.elephant).toBe(sizes("An elephant in a field").elephant);
    expect(zoo.mouse).toBe(MIN_SCALED_SIZE);
    const pup = sizes("A puppy playing with a frisbee in a garden");
    expect(pup.frisbee!).toBeLessThan(pup.puppy! * 0.5);
  });

  it("a seated person is on the ground too: the book beside her is a book's size", () => {
    const r = sizes("A woman on a chair reading a book");
    expect(r.book! / r.woman!).toBeCloseTo(0.25 / 1.65, 2);
  });

  it("shrinks the group when the lead's scale would make another too big for the frame", () => {
    const farm = sizes("A dog and a horse in a field");
    expect(farm.horse).toBe(MAX_SCALED_SIZE);
    expect(farm.dog! / farm.horse!).toBeCloseTo(0.6 / 1.7, 2);
    const man = sizes("A man standing next to an elephant");
    expect(man.elephant).toBe(MAX_SCALED_SIZE);
    expect(man.man!).toBeLessThan(man.elephant!);
  });

  it("leaves compositions, flying things and unknown heights to the shot", () => {
    const base = [0.5, 0.24];
    const man = { cls: "person", art: "man", motion: "walk" } as const;
    const ball = { cls: "sport", art: "soccer-ball", motion: "still" } as const;
    // Held: the holding composition sizes it from the hand.
    expect(
      realScaleSizes(
        [
          { ...man, relation: { kind: "holding", to: 1 } },
          { ...ball, relation: null },
        ],
        base,
      ),
    ).toEqual(base);
    // Flying: its distance is unknown.
    expect(
      realScaleSizes(
        [
          { ...man, relation: null },
          { ...ball, motion: "fly", relation: null },
        ],
        base,
      ),
    ).toEqual(base);
    // A drawing the table does not know.
    expect(
      realScaleSizes(
        [
          { ...man, relation: null },
          { ...ball, art: "no-such-art", relation: null },
        ],
        base,
      ),
    ).toEqual(base);
    // And the same pair side by side is scaled.
    expect(
      realScaleSizes(
        [
          { ...man, relation: null },
          { ...ball, relation: null },
        ],
        base,
      )[1],
    ).toBeCloseTo((0.5 * 0.22) / 1.78, 3);
  });
});

describe("under a chair, a bench or a table", () => {
  const places = (text: string) =>
    Object.fromEntries(
      understand({ text, sections: {} }).subjects.map((s) => [s.noun, s.place] as const),
    );

  it.each([
    ["a cat under a chair", "cat", "chair", 0.56],
    ["a dog under a table", "dog", "table", 0.1],
    ["a ball under a bench", "ball", "bench", 0.5],
  ])("%s: on the same floor, beneath its seat or top", (text, a, b, seat) => {
    const p = places(text);
    const [under, over] = [p[a]!, p[b]!];
    // Standing on the floor the furniture stands on (not at the height of its bottom edge).
    expect(under.y + under.size / 2).toBeCloseTo(over.y + over.size / 2, 2);
    // Its top below the seat or table top: it fits between the legs.
    expect(under.y - under.size / 2).toBeGreaterThan(over.y - over.size / 2 + seat * over.size);
    expect(Math.abs(under.x - over.x)).toBeLessThan(0.01);
  });

  it("under anything else it stays at B's foot: B's bottom edge through its centre", () => {
    const p = places("a car under a cake");
    expect(p.car!.y).toBeCloseTo(p.cake!.y + p.cake!.size / 2, 2);
  });
});

describe("kicking a ball", () => {
  it.each(["A child kicking a ball in a park", "a boy kicks a football on a beach"])(
    "%s: the ball is at the kicker's front foot, on their floor, at its real size",
    (text) => {
      const [kicker, ball] = understand({ text, sections: {} }).subjects;
      const a = kicker!.place;
      const b = ball!.place;
      expect(b.y + b.size / 2).toBeCloseTo(a.y + a.size / 2, 2);
      const side = Math.sign(b.x - a.x);
      expect(side).toBe(kicker!.facing);
      expect(Math.abs(b.x - a.x)).toBeLessThan(a.size * 0.25);
      expect(b.size).toBeLessThan(a.size * 0.25);
    },
  );
});

describe("reading", () => {
  it.each([
    ["A woman on a chair reading a book", "woman", "book", "chair"],
    ["A man sitting on a bench reading a newspaper", "man", "newspaper", "bench"],
  ])("%s: the reader reads, and what they read is in their hands", (text, who, what, seat) => {
    const subjects = understand({ text, sections: {} }).subjects;
    const by = (n: string) => subjects.find((s) => s.noun === n)!;
    expect(by(who).verb).toBe("reading");
    expect(by(seat).verb).toBeNull();
    const a = by(who).place;
    const b = by(what).place;
    expect(Math.sign(b.x - a.x)).toBe(by(who).facing);
    expect(Math.abs(b.x - a.x)).toBeLessThan(a.size * 0.3);
    // At chest height, not on the ground beside them.
    expect(b.y).toBeLessThan(a.y + a.size * 0.2);
    expect(b.size).toBeLessThanOrEqual(a.size * 0.2);
  });
});
