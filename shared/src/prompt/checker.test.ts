import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_PROMPT_CHARS, promptSectionNames } from "../generation/request.ts";
import { checkPrompt, countIssues } from "./checker.ts";
import { fillTemplate, getTemplate, promptTemplates, templateExample } from "./templates.ts";

/**
 * The example prompts are read from the product reference itself, so that the checker is tested on
 * exactly what the reference calls effective and terrible.
 */
const reference = readFileSync("/work/shared/product/sora2-overview.md", "utf8");

function codeBlocksAfter(heading: string, until: string): string[] {
  const start = reference.indexOf(heading);
  const end = reference.indexOf(until, start + heading.length);
  expect(start, `heading ${heading} in the reference`).toBeGreaterThan(-1);
  const part = reference.slice(start, end);
  return [...part.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

const goodPrompts = [
  ...codeBlocksAfter("**Example Prompt:**", "### 2. Cameo Feature"),
  ...codeBlocksAfter("### Effective Prompts", "### Terrible Prompts"),
];
const terribleBlock = codeBlocksAfter("### Terrible Prompts", "**The Pattern:**");
const terriblePrompts = terribleBlock[0]!
  .split("\n")
  .map((l) => l.trim())
  .filter(Boolean);

describe("prompt checker on the reference's examples", () => {
  it("finds the reference's four good prompts and three terrible ones", () => {
    expect(goodPrompts).toHaveLength(4);
    expect(terriblePrompts).toEqual([
      "Make a cool video",
      "A person doing stuff",
      "Something interesting with music",
    ]);
  });

  for (const prompt of goodPrompts) {
    it(`passes the good prompt “${prompt.slice(0, 40)}…” with no warnings and every section covered`, () => {
      const c = checkPrompt(prompt);
      expect(c.verdict).toBe("good");
      expect(countIssues(c)).toEqual({ error: 0, warning: 0, tip: 0 });
      for (const name of promptSectionNames) expect(c.sections[name].present, name).toBe(true);
      expect(c.score).toBe(100);
    });
  }

  for (const prompt of terriblePrompts) {
    it(`flags the terrible prompt “${prompt}” as vague, with suggestions`, () => {
      const c = checkPrompt(prompt);
      expect(c.verdict).toBe("vague");
      expect(c.score).toBeLessThanOrEqual(20);
      expect(countIssues(c).warning).toBeGreaterThanOrEqual(4);
      expect(c.issues.some((i) => i.code === "too-short")).toBe(true);
      for (const i of c.issues) expect(i.suggestion.length).toBeGreaterThan(20);
      // The core sections are reported missing (or the subject as generic).
      expect(c.sections.action.present).toBe(false);
      expect(c.sections.setting.present).toBe(false);
      expect(c.sections.subject.present).toBe(false);
    });
  }

  it("explains why “Make a cool video” is terrible: a request, a vague adjective, no subject", () => {
    const c = checkPrompt("Make a cool video");
    const codes = c.issues.map((i) => i.code);
    expect(codes).toContain("meta-request");
    const cool = c.issues.find((i) => i.code === "vague-word")!;
    expect(cool.message).toContain("cool");
    expect("Make a cool video".slice(cool.from, cool.to)).toBe("cool");
    expect(c.issues.find((i) => i.section === "subject")?.code).toBe("missing-section");
  });

  it("explains why “A person doing stuff” is terrible: generic subject, vague verb and object", () => {
    const c = checkPrompt("A person doing stuff");
    const generic = c.issues.find((i) => i.code === "generic-subject")!;
    expect("A person doing stuff".slice(generic.from, generic.to)).toBe("person");
    const vague = c.issues.filter((i) => i.code === "vague-word").map((i) => i.message);
    expect(vague.join(" ")).toMatch(/doing[\s\S]*stuff/);
  });

  it("explains why “Something interesting with music” is terrible: no subject, unnamed music", () => {
    const c = checkPrompt("Something interesting with music");
    expect(c.sections.audio.present).toBe(true);
    const audio = c.issues.find((i) => i.code === "generic-audio")!;
    expect(audio.suggestion).toMatch(/genre/);
    expect(c.issues.some((i) => i.code === "generic-subject")).toBe(true);
  });
});

describe("prompt checker rules", () => {
  it("reports an empty prompt without any other noise", () => {
    const c = checkPrompt("   \n ");
    expect(c.verdict).toBe("empty");
    expect(c.issues.map((i) => i.code)).toEqual(["empty"]);
  });

  it("rejects a prompt over 4,000 characters with an error pointing at the overflow", () => {
    const long = `${goodPrompts[0]} `.repeat(20);
    expect(long.length).toBeGreaterThan(MAX_PROMPT_CHARS);
    const c = checkPrompt(long);
    expect(c.verdict).toBe("too-long");
    const e = c.issues[0]!;
    expect(e).toMatchObject({
      code: "too-long",
      severity: "error",
      from: MAX_PROMPT_CHARS,
      to: long.length,
    });
  });

  it("warns softly near the limit and not below it", () => {
    const base = goodPrompts[1]!;
    const near = `${base} ${"x".repeat(MAX_PROMPT_CHARS - base.length - 100)}`;
    expect(checkPrompt(near).issues.map((i) => i.code)).toContain("near-limit");
    expect(checkPrompt(base).issues.map((i) => i.code)).not.toContain("near-limit");
  });

  it("reports each missing section with its own specific suggestion", () => {
    const c = checkPrompt("A hooded figure walking through a rainy street market");
    const missing = c.issues.filter((i) => i.code === "missing-section").map((i) => i.section);
    expect(missing).toEqual(["camera", "lighting", "audio", "style"]);
    const cam = c.issues.find((i) => i.section === "camera")!;
    expect(cam.severity).toBe("tip");
    expect(cam.suggestion).toMatch(/dolly|close-up/);
  });

  it("counts explicit “Camera: …” lines and structured sections as present", () => {
    const c = checkPrompt({
      text: "Subject: an old lighthouse keeper\nCamera: slow push in\nAudio: ",
      sections: { style: "Wes Anderson symmetry" },
    });
    expect(c.sections.subject).toMatchObject({ present: true, explicit: true });
    expect(c.sections.camera.explicit).toBe(true);
    expect(c.sections.style.explicit).toBe(true);
    expect(c.sections.audio.present).toBe(false);
  });

  it("does not count “depth of field” as a setting", () => {
    const c = checkPrompt("A cat sleeping, shallow depth of field");
    expect(c.sections.camera.present).toBe(true);
    expect(c.sections.setting.present).toBe(false);
  });

  it("flags template placeholders that were left unfilled", () => {
    const t = getTemplate("cinematic-shot");
    const text = fillTemplate(t, { shotType: "Wide shot", subject: "a lighthouse" });
    const c = checkPrompt(text);
    const labels = c.issues.filter((i) => i.code === "placeholder").map((i) => i.message);
    expect(labels).toHaveLength(5);
    expect(labels[0]).toContain("[action]");
  });

  it("does not count a section as present from its own unfilled placeholders (the chips stay grey)", () => {
    for (const t of promptTemplates) {
      const c = checkPrompt(fillTemplate(t, {}));
      const present = promptSectionNames.filter((n) => c.sections[n].present);
      expect(present, t.id).toEqual([]);
    }
    const line = checkPrompt(
      "A lighthouse on a cliff\nCamera: [camera movement]\nLighting: [lighting description], ",
    );
    expect(line.sections.camera.present).toBe(false);
    expect(line.sections.lighting.present).toBe(false);
    expect(line.sections.subject.present).toBe(true);
    // Filling one slot turns exactly that one on.
    const t = getTemplate("cinematic-shot");
    const one = checkPrompt(fillTemplate(t, { lighting: "soft golden hour light" }));
    expect(one.sections.lighting.present).toBe(true);
    for (const n of ["camera", "audio", "style", "action"] as const)
      expect(one.sections[n].present, n).toBe(false);
  });

  it("hears sounds that are described as what things do: “Waves crash … Gulls cry”", () => {
    for (const text of [
      "Waves crash against black rocks at dusk. Gulls cry overhead.",
      "A dog barks at a passing train, its engine roaring",
      "Rain patters on a tin roof while a kettle whistles",
    ]) {
      const c = checkPrompt(text);
      expect(c.sections.audio.present, text).toBe(true);
      expect(c.issues.some((i) => i.code === "missing-section" && i.section === "audio")).toBe(
        false,
      );
    }
  });

  it("names no other product in its advice", () => {
    const prompts = [
      "",
      "Make a cool video",
      "A person doing stuff",
      "Something interesting with music",
      "A neon sign that says OPEN, rapid camera pans",
      "A hooded figure walking through a rainy street market",
    ];
    for (const p of prompts)
      for (const i of checkPrompt(p).issues)
        expect(`${i.message} ${i.suggestion ?? ""}`, p).not.toMatch(/\bsora\b|openai/i);
  });

  it("warns about on-screen text and very fast camera moves, which the reference says Sora gets wrong", () => {
    const c = checkPrompt(
      "A neon sign that says OPEN above a diner door, rapid camera pans across the street at night, synthwave music, moody style",
    );
    const risky = c.issues.filter((i) => i.code === "risky-detail");
    expect(risky).toHaveLength(2);
    expect(risky.every((i) => i.severity === "tip")).toBe(true);
  });

  it("checks a 4,000-character prompt (its speed is measured by `npm run bench -- checker`)", () => {
    const text = `${goodPrompts.join(", ")}, `.repeat(8).slice(0, MAX_PROMPT_CHARS);
    const c = checkPrompt(text);
    expect(text.length).toBe(MAX_PROMPT_CHARS);
    expect(c.issues.length).toBeGreaterThan(0); // the repeated sections are reported
  });
});

describe("prompt templates", () => {
  it("are the reference's three templates with its exact patterns", () => {
    expect(promptTemplates.map((t) => t.name)).toEqual([
      "Cinematic shot",
      "Character focus",
      "Environment showcase",
    ]);
    for (const t of promptTemplates) {
      const flat = reference.replace(/\s*\n\s*/g, " ");
      expect(flat, t.name).toContain(t.pattern);
      for (const s of t.slots) expect(t.pattern).toContain(`[${s.label}]`);
    }
  });

  for (const t of promptTemplates) {
    it(`the filled ${t.name} example passes the checker as good`, () => {
      const c = checkPrompt(templateExample(t));
      expect(c.verdict).toBe("good");
      expect(countIssues(c).warning).toBe(0);
      // Every section a slot claims to fill is detected.
      for (const s of t.slots) expect(c.sections[s.section].present, s.key).toBe(true);
    });
  }
});
