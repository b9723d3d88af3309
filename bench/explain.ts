/**
 * `npm run bench -- explain`: `npm run -s previz -- explain` must take well under a second for a
 * hundred prompts. Spawns the real command with 100 prompts from the labelled set on stdin, and,
 * in the same run, the baseline: the same Node + tsx process doing nothing but echoing its stdin
 * (startup cost). Figures: wall time of each (median of 3), and the difference, which is what
 * understanding 100 prompts costs including loading its data once. Goal: that difference < 1 s.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const GOAL_MS = 1000;

function timed(args: string[], input: string): Promise<{ ms: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: root });
    let out = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.on("error", reject);
    p.on("close", (code) =>
      code === 0
        ? resolve({ ms: performance.now() - t0, lines: out.trim().split("\n").length })
        : reject(new Error(`exit ${code}`)),
    );
    p.stdin.end(input);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<Record<string, unknown>> {
  const prompts = readFileSync(
    path.join(root, "shared/src/understanding/testset/labelled.jsonl"),
    "utf8",
  )
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt)
    .filter((_, i) => i % 5 === 0)
    .slice(0, 100);
  const input = `${prompts.join("\n")}\n`;
  const echo = ["-e", "process.stdin.pipe(process.stdout)"];
  const explainRuns: number[] = [];
  const baseRuns: number[] = [];
  let lines = 0;
  for (let i = 0; i < 3; i++) {
    const e = await timed(["workers/src/previz/cli.ts", "explain"], input);
    lines = e.lines;
    explainRuns.push(e.ms);
    baseRuns.push((await timed(echo, input)).ms);
  }
  const explainMs = median(explainRuns);
  const baseMs = median(baseRuns);
  const round = (x: number) => Math.round(x);
  return {
    prompts: prompts.length,
    plansPrinted: lines,
    explainWallMs: round(explainMs),
    baselineNodeTsxMs: round(baseMs),
    understandingMs: round(explainMs - baseMs),
    ratios: { explainVsBareProcess: Math.round((explainMs / baseMs) * 100) / 100 },
    goal: `understanding ${prompts.length} prompts (explain minus a bare node+tsx process) < ${GOAL_MS} ms`,
    ok: lines === prompts.length && explainMs - baseMs < GOAL_MS,
  };
}
