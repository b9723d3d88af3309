import { describe, expect, it } from "vitest";
import { castFromPrompt } from "./mentions.ts";

describe("the cast a prompt names", () => {
  it("reads '@name as the role', once per person, and ignores bare mentions and e-mail addresses", () => {
    expect(castFromPrompt('@mia as the barista says "hello" in a cafe')).toEqual([
      { role: "the barista", username: "mia" },
    ]);
    expect(
      castFromPrompt("@tom.k as a night nurse and @mia as an astronaut walk; @tom.k as the cook"),
    ).toEqual([
      { role: "a night nurse", username: "tom.k" },
      { role: "an astronaut", username: "mia" },
    ]);
    expect(castFromPrompt("thanks @mia, a dog runs")).toEqual([]);
    expect(castFromPrompt("mail bob@mia as the cook")).toEqual([]);
  });
});
