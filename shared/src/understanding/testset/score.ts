import { CONTAINERS, MADE_ART, SCENE_TILES, SURFACES } from "../drawings.ts";
import type { ExplainedSubject, ExplainPlan } from "../explain.server.ts";

/**
 * Scores `explain` plans against the labelled set (`labelled.jsonl`, made by make-testset.py):
 * the figures issue 11's acceptance names. Pure: plans in, figures out.
 */

export interface Labelled {
  kind:
    | "single"
    | "pair"
    | "color"
    | "relation"
    | "style"
    | "everyday"
    | "support"
    | "at"
    | "ride"
    | "container";
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
  /** Things on a surface rest on its top, above the floor, within its width. */
  support: number;
  /** People at a table or desk stand on its floor line, beside or behind it. */
  at: number;
  /** Riders share their mount's x, sit above it and move as it moves. */
  ride: number;
  /** A plain container is drawn and its contents are in its opening. */
  container: number;
  /** Plans (over all rows) whose drawing is a scene tile: must be none. */
  sceneTiles: string[];
  failures: Record<string, string[]>;
}

const near = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;
/** Half the drawing's width in frame widths (the layout's 16:9; emoji are about square). */
const halfWidth = (s: ExplainedSubject) =>
  (s.size * (s.art ? (MADE_ART[s.art]?.aspect ?? 1) : 1)) / (16 / 9) / 2;
const top = (s: ExplainedSubject) => s.y - s.size / 2;
const bottom = (s: ExplainedSubject) => s.y + s.size / 2;

/** Whether `a` rests on the surface `b`: on its top line, above its foot, within its width. */
export function restsOn(a: ExplainedSubject, b: ExplainedSubject): boolean {
  const line = top(b) + (SURFACES[b.art ?? ""]?.top ?? 0) * b.size;
  return (
    !!b.art &&
    !!SURFACES[b.art] &&
    near(bottom(a), line, 0.02) &&
    a.y < b.y &&
    bottom(a) < bottom(b) - b.size * 0.5 &&
    Math.abs(a.x - b.x) < halfWidth(b)
  );
}

/** Whether `a` is in (or on) the container `b`: in its opening, within its width. */
export function heldIn(a: ExplainedSubject, b: ExplainedSubject): boolean {
  const c = CONTAINERS[b.art ?? ""];
  if (!c) return false;
  const rim = top(b) + c.rim * b.size;
  const within = Math.abs(a.x - b.x) < halfWidth(b);
  // Inside: the content's lower part is below the rim, its centre above the container's centre.
  if (c.holds === "inside") return within && bottom(a) > rim && a.y < b.y && a.y > top(b) - a.size;
  return within && near(bottom(a), rim, 0.02);
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
  const sceneTiles: string[] = [];
  rows.forEach((row, i) => {
    const plan = plans[i]!;
    for (const sub of plan.subjects)
      if (sub.art && SCENE_TILES.has(sub.art)) sceneTiles.push(`${row.prompt} [${sub.art}]`);
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
      case "support": {
        const surface = find(plan, subs[subs.length - 1]!.noun);
        tally(
          "support",
          !!surface &&
            subs.slice(0, -1).every((t) => {
              const a = find(plan, t.noun);
              return !!a && restsOn(a, surface);
            }),
          row.prompt,
        );
        break;
      }
      case "at": {
        const a = find(plan, subs[0]!.noun);
        const b = find(plan, subs[1]!.noun);
        tally(
          "at",
          !!a &&
            !!b &&
            !!SURFACES[b.art ?? ""] &&
            a.relation?.kind === "at" &&
            near(bottom(a), bottom(b), 0.03) &&
            Math.abs(a.x - b.x) < halfWidth(b) + a.size * 0.4 &&
            top(a) < top(b),
          row.prompt,
        );
        break;
      }
      case "ride": {
        const r = find(plan, subs[0]!.noun);
        const m = find(plan, subs[1]!.noun);
        tally(
          "ride",
          !!r &&
            !!m &&
            m.art !== null &&
            r.relation?.kind === "riding" &&
            near(r.x, m.x, 0.005) &&
            r.y < m.y &&
            bottom(r) > top(m) &&
            r.motion === m.motion,
          row.prompt,
        );
        break;
      }
      case "container": {
        const c = find(plan, subs[0]!.noun);
        const x = find(plan, subs[1]!.noun);
        tally("container", !!c && !!x && x.art !== null && heldIn(x, c), row.prompt);
        break;
      }
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
    support: frac("support"),
    at: frac("at"),
    ride: frac("ride"),
    container: frac("container"),
    sceneTiles,
    failures,
  };
}
