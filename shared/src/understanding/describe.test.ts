import { describe, expect, it } from "vitest";
import { describePlan } from "./describe.ts";
import { explain } from "./explain.server.ts";

describe("the plan in words, for the prompt checker", () => {
  it("says what will be drawn, how it moves, where and in which style", () => {
    const d = describePlan(explain("a horse galloping across a field, Van Gogh style"));
    expect(d.line).toBe("Subjects: horse (galloping), field · Style: Van Gogh");
    expect(d.unplaced).toEqual([]);
  });

  it("names counts and colours, marks an assumed place, and lists what it could not draw", () => {
    const d = describePlan(explain("three red sheep next to a zorblat"));
    expect(d.subjects[0]).toBe("3 red sheep");
    expect(d.setting).toBe("park (assumed)");
    expect(d.unplaced).toEqual(["zorblat"]);
  });
});
