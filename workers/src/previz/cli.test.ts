import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../../..");

function run(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "workers/src/previz/cli.ts", ...args], {
      cwd: root,
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("error", reject);
    p.on("close", (code) => resolve({ code: code ?? -1, out, err }));
    p.stdin.end(stdin);
  });
}

describe("previz CLI as a process", () => {
  it("explain: one JSON plan per prompt line on stdout, blank lines skipped", async () => {
    const r = await run(
      ["explain"],
      "an airplane flying over the ocean\n\na red bicycle on the left of a black dog\n",
    );
    expect(r.code).toBe(0);
    const plans = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(plans).toHaveLength(2);
    expect(plans[0]).toMatchObject({
      prompt: "an airplane flying over the ocean",
      subjects: [{ noun: "airplane", art: "airplane", color: null, count: 1 }],
      setting: "ocean",
      style: expect.any(String),
      defaulted: expect.any(Array),
    });
    const [bike, dog] = plans[1].subjects;
    expect(bike).toMatchObject({ noun: "bicycle", color: "red" });
    expect(bike.x).toBeLessThan(dog.x);
    for (const s of [...plans[0].subjects, bike, dog]) {
      expect(s.x).toBeGreaterThan(0);
      expect(s.x).toBeLessThan(1);
      expect(s.y).toBeGreaterThan(0);
      expect(s.y).toBeLessThan(1);
    }
  }, 60_000);

  it("refuses an unknown command, a missing output path and a bad size, with exit code 2 and a message", async () => {
    const unknown = await run(["paint"], "");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("usage:");
    const missing = await run(["render", "a dog"], "");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("out.mp4");
    const size = await run(["render", "a dog", "/tmp/never.mp4", "--size", "3x3"], "");
    expect(size.code).toBe(2);
    expect(size.err).toContain("Size must be one of");
    const option = await run(["render", "a dog", "/tmp/never.mp4", "--fps", "60"], "");
    expect(option.code).toBe(2);
    expect(option.err).toContain("unknown option --fps");
  }, 60_000);
});
