import { describe, expect, it } from "vitest";
import { applyEditPrompt } from "./apply-edit.ts";
import { understand } from "./understand.server.ts";

const plan = (text: string) => understand({ text, sections: {} });

describe("applyEditPrompt", () => {
  it("the edit's time of day replaces the source's, the rest of the source stays", () => {
    const source = "A lighthouse on a green hill by the sea, midday sun";
    const edited = applyEditPrompt(source, "At night.");
    expect(edited).toBe("A lighthouse on a green hill by the sea. At night.");
    expect(plan(source).timeOfDay).toBe("day");
    expect(plan(edited).timeOfDay).toBe("night");
    expect(plan(edited).setting.kind).toBe(plan(source).setting.kind);
    expect(plan(source).subjects.map((x) => x.noun)).toContain("sun");
    expect(plan(edited).subjects.map((x) => x.noun)).not.toContain("sun");
    // Appending alone would not do: the source's first time word wins.
    expect(plan(`${source}. At night.`).timeOfDay).toBe("day");
  });

  it("weather and style are replaced only when the edit names them", () => {
    const source = "A red fox runs through a snowy forest at dawn, watercolor";
    const rain = applyEditPrompt(source, "Make it rain");
    expect(plan(rain)).toMatchObject({ weather: "rain", timeOfDay: "dawn", style: "watercolor" });
    const noir = applyEditPrompt(source, "In black and white");
    expect(plan(noir)).toMatchObject({ style: "black-and-white", timeOfDay: "dawn" });
  });

  it("naming the moon alone does not change the time of day", () => {
    expect(applyEditPrompt("A fox at dawn.", "A full moon above it.")).toBe(
      "A fox at dawn. A full moon above it.",
    );
  });

  it("an edit that names something new adds it after the source", () => {
    expect(applyEditPrompt("A cat on a sofa.", "A dog sleeps beside it.")).toBe(
      "A cat on a sofa. A dog sleeps beside it.",
    );
  });
});
