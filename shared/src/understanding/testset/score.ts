import type { ExplainPlan } from "../explain.server.ts";

/**
 * Scores `explain` plans against the labelled set (`labelled.jsonl`, made by make-testset.py):
 * the figures issue 11's acceptance names. Pure: plans in, figures out.
 */

export interface Labelled {
  kind: "single" | "pair" | "color" | "relation" | "style" | "everyday";
  prompt: string;
  subjects?: { noun: string; color?: string }[];
  relation?: "left-of" | "right-of" | "above" | "below";
  style?: string;
}

const norm = (n: string) => n.toLowerCase().replace(/(?:es|s)$/, "");

function find(plan: ExplainPlan, noun: string) {
  const want = norm(noun);
  return plan.subjects.find(
    (s) => norm(s.noun) === want || norm(s.noun.split(" ").pop()!) === want,
  );
}

export interface Figures {
  single: number;
  pair: number;
  color: number;
  relation: number;
  stylesDistinct: number;
  styleCount: number;
  everyday: number;
  failures: Record<string, string[]>;
}

export function score(rows: Labelled[], plans: ExplainPlan[]): Figures {
  const ok: Record<string, number> = {};
  const total: Record<string, number> = {};
  const failures: Record<string, string[]> = {};
  const tally = (kind: string, pass: boolean, prompt: string) => {
    total[kind] = (total[kind] ?? 0) + 1;
    if (pass) ok[kind] = (ok[kind] ?? 0) + 1;
    else {
      failures[kind] ??= [];
      failures[kind].push(prompt);
    }
  };
  const styleVotes = new Map<string, string[]>();
  rows.forEach((row, i) => {
    const plan = plans[i]!;
    const subs = row.subjects ?? [];
    switch (row.kind) {
      case "single":
      case "pair":
        tally(
          row.kind,
          subs.every((s) => find(plan, s.noun)?.art != null),
          row.prompt,
        );
        break;
      case "color":
        for (const s of subs.filter((x) => x.color))
          tally(
            "color",
            find(plan, s.noun)?.color === s.color,
            `${row.prompt} [${s.color} ${s.noun}]`,
          );
        break;
      case "relation": {
        const a = find(plan, subs[0]!.noun);
        const b = find(plan, subs[1]!.noun);
        const holds =
          !!a &&
          !!b &&
          (row.relation === "left-of"
            ? a.x < b.x - 0.05
            : row.relation === "right-of"
              ? a.x > b.x + 0.05
              : row.relation === "above"
                ? a.y < b.y - 0.05
                : a.y > b.y + 0.05);
        tally("relation", holds, row.prompt);
        break;
      }
      case "style":
        styleVotes.set(row.style!, [...(styleVotes.get(row.style!) ?? []), plan.style]);
        break;
      case "everyday":
        tally(
          "everyday",
          subs.every((s) => find(plan, s.noun)) && plan.subjects.every((s) => s.art !== null),
          row.prompt,
        );
        break;
    }
  });
  // A named style counts when all its phrasings agree on one style that no other name got.
  const winners = [...styleVotes.entries()].map(([name, votes]) => ({
    name,
    style: votes.every((v) => v === votes[0]) ? votes[0]! : null,
  }));
  let stylesDistinct = 0;
  for (const w of winners) {
    const unique =
      w.style && w.style !== "cinematic" && winners.filter((o) => o.style === w.style).length === 1;
    if (unique) stylesDistinct++;
    else {
      failures.style ??= [];
      failures.style.push(`${w.name} → ${styleVotes.get(w.name)!.join(",")}`);
    }
  }
  const frac = (k: string) => (ok[k] ?? 0) / Math.max(1, total[k] ?? 0);
  return {
    single: frac("single"),
    pair: frac("pair"),
    color: frac("color"),
    relation: frac("relation"),
    stylesDistinct,
    styleCount: winners.length,
    everyday: frac("everyday"),
    failures,
  };
}
