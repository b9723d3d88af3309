import { CONTAINERS, MADE_ART, SURFACES } from "@reelhouse/shared/understanding/drawings";
import { describe, expect, test } from "vitest";
import { understand } from "../understand.ts";
import { type CastMember, castOf, isPlanned } from "./cast.ts";

/**
 * Compositions as the picture lays them out (understanding's plan through `castOf`): things rest
 * on a table's top, riders share their mount's x instance by instance, contents sit in their
 * container's opening, people at a table stand at its ends facing each other. Frames are 16:9.
 */
const ASPECT = 16 / 9;

function cast(prompt: string) {
  const spec = understand({ text: prompt, sections: {} });
  if (!isPlanned(spec)) throw new Error("not planned");
  const members = castOf(spec, ASPECT);
  const of = (noun: string) => {
    const i = spec.subjects.findIndex((s) => s.noun === noun);
    expect(i, `${noun} in ${spec.subjects.map((s) => s.noun)}`).toBeGreaterThanOrEqual(0);
    return { i, s: spec.subjects[i]!, m: members.filter((m) => m.subject === i) };
  };
  const order = (a: number, b: number) =>
    members.findIndex((m) => m.subject === a) - members.findIndex((m) => m.subject === b);
  return { spec, members, of, order };
}

const halfW = (m: CastMember, art: string | null) =>
  (m.size * (MADE_ART[art ?? ""]?.aspect ?? 1)) / ASPECT / 2;

describe("compositions in the picture", () => {
  test("things on a table rest on its top, above the floor, within its width, painted after it", () => {
    const c = cast("a laptop and a mug on a wooden table in a quiet room");
    const table = c.of("table");
    const top = table.m[0]!.y - table.m[0]!.size / 2 + SURFACES.table!.top * table.m[0]!.size;
    const floor = table.m[0]!.y + table.m[0]!.size / 2;
    for (const noun of ["laptop", "mug"]) {
      const t = c.of(noun);
      const m = t.m[0]!;
      expect(m.y + m.size / 2).toBeCloseTo(top, 2);
      expect(m.y + m.size / 2).toBeLessThan(floor - 0.1);
      expect(Math.abs(m.x - table.m[0]!.x)).toBeLessThan(halfW(table.m[0]!, "table"));
      expect(c.order(table.i, t.i)).toBeLessThan(0);
    }
    // Side by side, not on top of each other.
    expect(Math.abs(c.of("laptop").m[0]!.x - c.of("mug").m[0]!.x)).toBeGreaterThan(0.05);
  });

  test("a rider shares its mount's x, instance by instance, and sits above it", () => {
    const c = cast("three cowboys riding horses across the prairie");
    const riders = c.of("cowboy").m;
    const horses = c.of("horse").m;
    expect(riders).toHaveLength(horses.length);
    for (const r of riders) {
      const h = horses.find((x) => x.instance === r.instance)!;
      expect(r.x).toBeCloseTo(h.x, 9);
      expect(r.y).toBeLessThan(h.y);
    }
    const cyclist = cast("a cyclist on a rainy street");
    const bike = cyclist.of("bicycle");
    const rider = cyclist.of("cyclist");
    expect(rider.s.relation).toEqual({ kind: "riding", to: bike.i });
    expect(rider.m[0]!.x).toBeCloseTo(bike.m[0]!.x, 9);
    expect(rider.s.motion).toBe(bike.s.motion);
    expect(rider.s.facing).toBe(bike.s.facing);
  });

  test("contents sit in the container's opening, painted before its front; the container is plain", () => {
    const c = cast("a basket of pears on a kitchen counter");
    const basket = c.of("basket");
    expect(basket.s.art).toBe("basket");
    const b = basket.m[0]!;
    const rim = b.y - b.size / 2 + CONTAINERS.basket!.rim * b.size;
    const pears = c.of("pear").m;
    expect(pears.length).toBeGreaterThan(1);
    for (const p of pears) {
      expect(Math.abs(p.x - b.x)).toBeLessThan(halfW(b, "basket"));
      expect(p.y + p.size / 2).toBeGreaterThan(rim);
      expect(p.y).toBeLessThan(b.y);
    }
    expect(c.order(c.of("pear").i, basket.i)).toBeLessThan(0);
    // The basket itself rests on the counter.
    expect(basket.s.relation?.kind).toBe("on-top-of");
    const bowl = cast("a bowl of cherries").of("bowl");
    expect(bowl.s.art).toBe("bowl");
  });

  test("two people at a table stand at its two ends, facing each other", () => {
    const c = cast("two women chatting at a table in a bistro");
    const table = c.of("table").m[0]!;
    const [a, b] = c.of("woman").m.sort((p, q) => p.x - q.x);
    expect(a!.x).toBeLessThan(table.x);
    expect(b!.x).toBeGreaterThan(table.x);
    expect(a!.facing).toBe(1);
    expect(b!.facing).toBe(-1);
    // Their feet on the table's floor line.
    expect(a!.y + a!.size / 2).toBeCloseTo(table.y + table.size / 2, 1);
  });

  test("a train crossing a bridge is on the bridge's deck; the bridge is drawn, not the night tile", () => {
    const c = cast("a steam train crossing a bridge over a canyon");
    const bridge = c.of("bridge");
    expect(bridge.s.art).toBe("bridge");
    const train = c.of("train");
    const b = bridge.m[0]!;
    expect(train.m[0]!.y + train.m[0]!.size / 2).toBeCloseTo(b.y - b.size / 2, 1);
    expect(train.s.relation).toEqual({ kind: "on-top-of", to: bridge.i });
  });
});
