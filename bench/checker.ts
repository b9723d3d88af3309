/**
 * `npm run bench -- checker`: the live prompt checker runs on every keystroke, so checking a
 * maximum-length prompt (4,000 characters, built from the product reference's example prompts)
 * must fit well inside a frame. Median of 9 batches of 20 checks after a warm-up; the baseline, in
 * the same run, is the least any checker does: lower-casing and splitting the text into words.
 * Goal: median ≤ 5 ms per check (a third of a 60 Hz frame).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_PROMPT_CHARS } from "@reelhouse/shared/generation/request";
import { checkPrompt } from "@reelhouse/shared/prompt/checker";

const here = path.dirname(fileURLToPath(import.meta.url));
const GOAL_MS = 5;

function referencePrompts(): string[] {
  const ref = readFileSync(
    path.join(here, "..", "..", "shared", "product", "sora2-overview.md"),
    "utf8",
  );
  return [...ref.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!.trim()).filter(Boolean);
}

function medianMs(fn: () => unknown): number {
  for (let i = 0; i < 30; i++) fn(); // warm up the JIT
  const batches: number[] = [];
  for (let b = 0; b < 9; b++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) fn();
    batches.push((performance.now() - t0) / 20);
  }
  batches.sort((x, y) => x - y);
  return batches[4]!;
}

export async function main(): Promise<Record<string, unknown>> {
  const prompts = referencePrompts();
  const text = `${prompts.join(", ")}, `
    .repeat(Math.ceil(MAX_PROMPT_CHARS / 200))
    .slice(0, MAX_PROMPT_CHARS);
  const checker = medianMs(() => checkPrompt(text));
  const baseline = medianMs(() => text.toLowerCase().split(/[^a-z0-9']+/));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    chars: text.length,
    referencePrompts: prompts.length,
    checkerMedianMs: round(checker),
    baselineSplitMedianMs: round(baseline),
    ratios: { checkerVsSplit: round(checker / Math.max(baseline, 1e-6)) },
    goal: `median <= ${GOAL_MS} ms per check of a ${MAX_PROMPT_CHARS}-character prompt`,
    ok: checker <= GOAL_MS,
  };
}
