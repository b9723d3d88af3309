import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explain } from "../explain.server.ts";
import { type Labelled, score } from "./score.ts";

const rows: Labelled[] = readFileSync(new URL("./labelled.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));

describe("understanding on the labelled prompt set (issue 11 acceptance)", () => {
  const figures = score(
    rows,
    rows.map((r) => explain(r.prompt)),
  );
  const pct = (f: number) => `${(f * 100).toFixed(1)}%`;
  console.log(
    `labelled set (${rows.length} prompts): single ${pct(figures.single)}, pairs ${pct(figures.pair)}, colours ${pct(figures.color)}, relations ${pct(figures.relation)}, styles ${figures.stylesDistinct}/${figures.styleCount} distinct, everyday ${pct(figures.everyday)}; compositions: on a surface ${pct(figures.support)}, at a table ${pct(figures.at)}, riding ${pct(figures.ride)}, in a container ${pct(figures.container)}`,
  );
  for (const [kind, list] of Object.entries(figures.failures))
    console.log(`  misses (${kind}, ${list.length}): ${list.slice(0, 12).join(" | ")}`);

  it("draws at least 90% of single everyday objects as that object", () => {
    expect(figures.single).toBeGreaterThanOrEqual(0.9);
  });
  it("draws both subjects of at least 85% of pairs", () => {
    expect(figures.pair).toBeGreaterThanOrEqual(0.85);
  });
  it("puts at least 90% of named colours on the named object", () => {
    expect(figures.color).toBeGreaterThanOrEqual(0.9);
  });
  it("holds at least 85% of left/right/above/below relations in x/y", () => {
    expect(figures.relation).toBeGreaterThanOrEqual(0.85);
  });
  it("maps at least 8 of the 9 named art styles to distinct styles", () => {
    expect(figures.styleCount).toBe(9);
    expect(figures.stylesDistinct).toBeGreaterThanOrEqual(8);
  });
  it("draws every subject specifically in at least 80% of everyday prompts", () => {
    expect(figures.everyday).toBeGreaterThanOrEqual(0.8);
  });
  it("rests things on a surface's top, above the floor, within its width (90%)", () => {
    expect(figures.support).toBeGreaterThanOrEqual(0.9);
  });
  it("stands people at a table on its floor line, beside or behind it (90%)", () => {
    expect(figures.at).toBeGreaterThanOrEqual(0.9);
  });
  it("puts riders on their mount: the same x, above it, moving with it (90%)", () => {
    expect(figures.ride).toBeGreaterThanOrEqual(0.9);
  });
  it("draws a plain container with its contents in its opening (90%)", () => {
    expect(figures.container).toBeGreaterThanOrEqual(0.9);
  });
  it("never draws a scene tile as a subject", () => {
    expect(figures.sceneTiles).toEqual([]);
  });
});
