import type { CastCameo } from "@reelhouse/shared/cameos/kits.server";
import { describe, expect, it } from "vitest";
import { asPeople, placeCameos, roleNoun, withoutMentions } from "./cameo-cast.ts";
import { headTurn } from "./cameo-face.ts";
import { understand } from "./understand.ts";

const cameo = (name: string, role: string, id = 1): CastCameo => ({
  cameoId: `00000000-0000-4000-8000-00000000000${id}`,
  name,
  role,
  files: { face: "/f", mouthOpen: "/o", mouthClosed: "/c", poses: {} },
  colors: { skin: "#c08a70", hair: "#202020" },
  voice: null,
});

describe("cameos in a previz shot", () => {
  it("reads '@mia as the barista' as the barista, and a bare '@mia' as mia", () => {
    expect(withoutMentions('@mia as the barista says "hi"')).toBe('the barista says "hi"');
    expect(withoutMentions("@tom.k as a pilot and @mia walk")).toBe("a pilot and mia walk");
    expect(withoutMentions("email me @ home")).toBe("email me @ home");
    // Understanding itself reads it so (the checker's plan and the render agree).
    const spec = understand({ text: '@mia as the barista says "hi" in a cafe', sections: {} });
    expect(spec.subjects.map((x) => x.noun)).toEqual(["barista"]);
    expect(roleNoun("The Barista")).toBe("barista");
    expect(roleNoun("a tired night nurse")).toBe("nurse");
  });

  it("puts each cameo on the subject its role names, as a person of a person's size", () => {
    const spec = understand({ text: 'the barista says "hello" in a cafe', sections: {} });
    expect(spec.subjects[0]).toMatchObject({ noun: "barista", kind: "object" });
    const { bySubject, unplaced } = placeCameos(spec, [
      cameo("mia", "The barista"),
      cameo("zed", "the pilot", 2),
    ]);
    expect([...bySubject.keys()]).toEqual([0]);
    expect(unplaced.map((c) => c.name)).toEqual(["zed"]);
    const people = asPeople(spec, new Set(bySubject.keys()));
    const before = spec.subjects[0]!.place!;
    const after = people.subjects[0]!.place!;
    expect(people.subjects[0]).toMatchObject({ kind: "person", art: null, count: 1 });
    expect(after.size).toBeGreaterThan(before.size * 1.5);
    // Feet stay where understanding put them.
    expect(after.y + after.size / 2).toBeCloseTo(Math.min(0.98, before.y + before.size / 2), 5);
  });

  it("refuses more than three cameos in one shot", () => {
    const spec = understand({ text: "four friends in a park", sections: {} });
    const four = [1, 2, 3, 4].map((i) => cameo(`p${i}`, "friend", i));
    expect(() => placeCameos(spec, four)).toThrow(/at most 3 cameos; this one casts 4/);
    expect(() => placeCameos(spec, four.slice(0, 3))).not.toThrow();
  });

  it("the head faces us while speaking, turns with travel, and glances the way it faces", () => {
    expect(Math.abs(headTurn({ facing: 1, speaking: true, moving: true, t: 0 }))).toBeLessThan(
      0.45,
    );
    expect(headTurn({ facing: -1, speaking: false, moving: true, t: 0 })).toBeLessThan(-0.45);
    const idle = [0, 0.4, 0.8, 1.2, 1.6, 2, 2.4, 2.8].map((t) =>
      headTurn({ facing: 1, speaking: false, moving: false, t }),
    );
    expect(Math.max(...idle)).toBeGreaterThan(0.45);
    expect(Math.min(...idle)).toBeLessThan(0.45);
  });
});
