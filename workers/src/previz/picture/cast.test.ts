import { describe, expect, test } from "vitest";
import type { SubjectPlan } from "../understand.ts";
import { CROWD_CAP, castOf, isPlanned, type PlannedSubject } from "./cast.ts";

function subject(p: Partial<PlannedSubject> & Pick<SubjectPlan, "noun">): PlannedSubject {
  return {
    kind: "object",
    label: p.noun,
    count: 1,
    traits: [],
    art: p.noun,
    color: null,
    verb: null,
    relation: null,
    motion: "still",
    facing: 1,
    place: { x: 0.5, y: 0.6, size: 0.3 },
    ...p,
  };
}

describe("cast", () => {
  test("a single subject is exactly at its place", () => {
    const [m] = castOf(
      { subjects: [subject({ noun: "horse", place: { x: 0.3, y: 0.7, size: 0.2 } })] },
      16 / 9,
    );
    expect(m).toMatchObject({ subject: 0, x: 0.3, y: 0.7, size: 0.2 });
  });

  test("counts fan out around the place, capped at a crowd", () => {
    const three = castOf({ subjects: [subject({ noun: "ewe", count: 3 })] }, 16 / 9);
    expect(three).toHaveLength(3);
    const xs = three.map((m) => m.x).sort();
    expect((xs[0]! + xs[2]!) / 2).toBeCloseTo(0.5, 9);
    expect(new Set(xs).size).toBe(3);
    expect(
      castOf({ subjects: [subject({ noun: "bird", count: 1000, motion: "fly" })] }, 16 / 9),
    ).toHaveLength(CROWD_CAP);
  });

  test("what is behind is painted first, what rides after its mount", () => {
    const cast = castOf(
      {
        subjects: [
          subject({
            noun: "tree",
            place: { x: 0.5, y: 0.5, size: 0.5 },
            relation: { kind: "behind", to: 1 },
          }),
          subject({ noun: "dog", place: { x: 0.5, y: 0.6, size: 0.2 } }),
          subject({
            noun: "man",
            place: { x: 0.5, y: 0.5, size: 0.3 },
            relation: { kind: "riding", to: 3 },
          }),
          subject({ noun: "horse", place: { x: 0.5, y: 0.6, size: 0.3 } }),
        ],
      },
      16 / 9,
    );
    const order = cast.map((m) => m.subject);
    expect(order.indexOf(0)).toBeLessThan(order.indexOf(1));
    expect(order.indexOf(3)).toBeLessThan(order.indexOf(2));
  });

  test("a spec is planned only when every subject has a place, a motion and a facing", () => {
    const spec = { subjects: [subject({ noun: "dog" })] } as never;
    expect(isPlanned(spec)).toBe(true);
    expect(
      isPlanned({ subjects: [{ kind: "dog", label: "dog", count: 1, traits: [] }] } as never),
    ).toBe(false);
    expect(isPlanned({ subjects: [] } as never)).toBe(false);
  });
});
