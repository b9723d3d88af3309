import { describe, expect, it } from "vitest";
import { explain } from "./explain.server.ts";
import { understand } from "./understand.server.ts";

const spec = (text: string) => understand({ text, sections: {} });

describe("understanding: the cast and its lines", () => {
  it("every described speaker is drawn and speaks their own line; the group they make up is not also drawn", () => {
    const s = spec(
      'Two friends at a cafe table, morning light. The woman says "Did you see the sunrise?" The man answers "Best one all year."',
    );
    // The speakers take the group's place (first, the lead); the table they are at is drawn.
    expect(s.subjects.map((x) => x.noun)).toEqual(["woman", "man", "table"]);
    expect(s.subjects[0]!.relation).toEqual({ kind: "at", to: 2 });
    expect(s.subjects[1]!.relation).toEqual({ kind: "at", to: 2 });
    expect(s.audio.dialogue).toEqual([
      { speaker: "woman", text: "Did you see the sunrise?", subject: 0 },
      { speaker: "man", text: "Best one all year.", subject: 1 },
    ]);
    expect(s.subjects[0]).toMatchObject({ kind: "person", sex: "female" });
    expect(s.subjects[1]).toMatchObject({ kind: "person", sex: "male" });
    // The table is where they sit, not the lead: the place is the cafe.
    expect(s.setting.kind).toBe("cafe");
    expect(s.audio.dialogue.map((d) => d.speaker)).not.toContain("friends");
  });

  it("a name that only speaks names the lone person already in the shot", () => {
    const s = spec(
      'A cyberpunk street market at night, rain, a hooded figure walking, Kai says "Keep moving."',
    );
    expect(s.subjects).toHaveLength(1);
    expect(s.subjects[0]).toMatchObject({
      kind: "person",
      noun: "figure",
      name: "Kai",
      motion: "walk",
    });
    expect(s.audio.dialogue).toEqual([{ speaker: "Kai", text: "Keep moving.", subject: 0 }]);
  });

  it("a speaker the prompt only names in the dialogue is added as a person", () => {
    const s = spec('A dog runs across a beach. Sam shouts "Come back!"');
    const line = s.audio.dialogue[0]!;
    expect(s.subjects[line.subject]).toMatchObject({ kind: "person", name: "Sam" });
    expect(s.subjects[0]).toMatchObject({ noun: "dog", art: "dog", motion: "run" });
  });
});

describe("understanding: subjects by language", () => {
  it.each([
    ["an airplane flying over the ocean", "airplane", "airplane", "fly", "ocean"],
    ["a horse galloping across a field, Van Gogh style", "horse", "horse", "gallop", "field"],
    [
      "a lighthouse on a rocky coast at sunset, waves crashing",
      "lighthouse",
      "lighthouse",
      "still",
      "coast",
    ],
    ["a golden retriever swimming in a lake", "retriever", "dog", "swim", "lake"],
    ["a schooner on the open sea", "schooner", "sailboat", "sail", "ocean"],
  ])("%j → %s drawn as %s, moving by %s, at the %s", (prompt, noun, art, motion, setting) => {
    const p = explain(prompt);
    const s = understand({ text: prompt, sections: {} });
    expect(p.subjects[0]).toMatchObject({ noun, art });
    expect(s.subjects[0]!.motion).toBe(motion);
    expect(p.setting).toBe(setting);
  });

  it("the issue's examples: the style is named, the bicycle is a bicycle, left of the dog, each in its colour", () => {
    expect(explain("a horse galloping across a field, Van Gogh style").style).toBe("van-gogh");
    const p = explain("a red bicycle on the left of a black dog");
    expect(p.subjects).toMatchObject([
      { noun: "bicycle", art: "bicycle", color: "red" },
      { noun: "dog", art: "dog", color: "black" },
    ]);
    expect(p.subjects[0]!.x).toBeLessThan(p.subjects[1]!.x);
  });

  it("counts: numbers, group nouns and bare plurals, capped at a crowd", () => {
    expect(explain("three sheep grazing on a hill").subjects[0]).toMatchObject({
      noun: "sheep",
      count: 3,
    });
    expect(explain("a pair of red shoes").subjects[0]).toMatchObject({
      noun: "shoe",
      count: 2,
      color: "red",
    });
    expect(explain("ducks on a pond").subjects[0]).toMatchObject({ noun: "duck", count: 3 });
    expect(explain("500 penguins on the ice").subjects[0]!.count).toBe(12);
  });

  it("riding puts the rider on the mount, both moving; holding puts the held thing at the hand", () => {
    const s = understand({ text: "a knight riding a horse", sections: {} });
    expect(s.subjects[0]!.relation).toEqual({ kind: "riding", to: 1 });
    expect(s.subjects[0]!.place.y).toBeLessThan(s.subjects[1]!.place.y);
    expect(s.subjects[0]!.place.x).toBe(s.subjects[1]!.place.x);
    expect(s.subjects[1]!.motion).toBe("gallop");
    const h = understand({ text: "a girl holding a red balloon", sections: {} });
    expect(h.subjects[0]!.relation).toEqual({ kind: "holding", to: 1 });
    expect(h.subjects[1]!.place.size).toBeLessThan(h.subjects[0]!.place.size);
    expect(Math.abs(h.subjects[1]!.place.x - h.subjects[0]!.place.x)).toBeLessThan(0.2);
  });

  it("a noun nothing can draw is kept with art null, so the checker can name it", () => {
    const p = explain("a quux next to a cat");
    expect(p.subjects.find((s) => s.noun === "cat")?.art).toBe("cat");
    expect(p.subjects.find((s) => s.noun === "quux")?.art ?? null).toBeNull();
  });

  it("light colours, weather, time and mood are in the spec whatever else the prompt says", () => {
    const s = understand({
      text: "A cyberpunk street market at night, snow falling, warm orange lighting, green and gold neon",
      sections: {},
    });
    expect(s.weather).toBe("snow");
    expect(s.timeOfDay).toBe("night");
    expect(s.lighting.colors).toEqual(expect.arrayContaining(["warm", "orange", "green", "gold"]));
    expect(s.style).toBe("cyberpunk");
  });

  it("an 'in' that belongs to a place between two subjects is no containment; 'in' right before one is", () => {
    // The reference's first example: the puppy is in the garden, not inside the frisbee (which
    // painted the frisbee over the puppy, as a container's front).
    const puppy = spec(
      "A golden retriever puppy playing in a sunlit garden, slow-motion shot of it catching a frisbee mid-air",
    );
    expect(puppy.subjects.map((x) => x.noun)).toEqual(["puppy", "frisbee"]);
    expect(puppy.subjects[0]!.relation ?? null).toBeNull();
    expect(spec("a cat in a box").subjects[0]!.relation).toEqual({ kind: "inside", to: 1 });
    expect(spec("apples in a basket").subjects[0]!.relation).toEqual({ kind: "inside", to: 1 });
  });

  it("the soundtrack's instrument is heard, not drawn, and a camera move's 'in' puts nothing inside", () => {
    // The e2e feed's own prompt once drew a piano in the snow with the fox hidden inside it.
    const fox = spec("A red fox trots through fresh snow at dawn, slow dolly in, soft piano");
    expect(fox.subjects.map((x) => x.noun)).toEqual(["fox"]);
    expect(fox.subjects[0]!.relation ?? null).toBeNull();
    expect(fox.audio.music?.mood).toBe("calm");
    expect(fox.defaulted).not.toContain("music");
    expect(spec("A dog in a car, zoom in").subjects[0]!.relation).toEqual({
      kind: "inside",
      to: 1,
    });
    expect(spec("A cat next to a lamp, slow push in").subjects[0]!.relation).toEqual({
      kind: "next-to",
      to: 1,
    });
    // An instrument that is there is drawn: placed, played, or plain.
    for (const text of [
      "A piano in an empty concert hall",
      "A cat on a piano, soft piano music",
      "A woman playing piano in a dim bar",
      "An old guitar leaning on a wall",
    ])
      expect(
        spec(text).subjects.map((x) => x.noun),
        text,
      ).toEqual(expect.arrayContaining([expect.stringMatching(/piano|guitar/)]));
    for (const text of [
      "A lighthouse on a cliff, audio: soft guitar",
      "A quiet beach, mellow synth",
    ])
      expect(
        spec(text).subjects.map((x) => x.noun),
        text,
      ).not.toEqual(expect.arrayContaining([expect.stringMatching(/guitar|synth/)]));
  });
});
