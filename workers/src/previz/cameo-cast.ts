import type { CastCameo } from "@reelhouse/shared/cameos/kits.server";
import { MAX_CAMEOS_PER_SHOT } from "@reelhouse/shared/cameos/rules";
import { GenerationError } from "@reelhouse/shared/generation/backend";
import type { ShotSpec } from "./understand.ts";

export { withoutMentions } from "@reelhouse/shared/understanding/mentions";

/**
 * Where the cast cameos go in a previz shot (pure). The prompt names them as "@mia as the barista"
 * (or just "@mia"); understanding reads "the barista" (or "mia": shared/src/understanding/
 * mentions.ts). Each cameo is then put on the subject its role names (or its handle), and that
 * subject is drawn as a person whatever its noun (a "barista" has no drawing of its own), at a
 * person's size, with its feet where understanding placed them.
 */

/** "The Barista" / "a barista" / "barista" → "barista". */
export function roleNoun(role: string): string {
  const words = role
    .toLowerCase()
    .replace(/^@/, "")
    .replace(/[^a-z0-9_.\s-]/g, " ")
    .split(/\s+/)
    .filter((w) => w && !["the", "a", "an"].includes(w));
  return words.at(-1) ?? "";
}

const PERSON_SIZE = 0.5;
const OBJECT_SIZE = 0.24;

/**
 * Subject index → the cameo cast on it. A cameo whose role names no subject of the shot is left
 * out (listed in `unplaced`, so the render's metadata says so). More than MAX_CAMEOS_PER_SHOT
 * distinct cameos is refused, as casting refuses it.
 */
export function placeCameos(
  spec: ShotSpec,
  cameos: readonly CastCameo[],
): { bySubject: Map<number, CastCameo>; unplaced: CastCameo[] } {
  const distinct = new Set(cameos.map((c) => c.cameoId));
  if (distinct.size > MAX_CAMEOS_PER_SHOT)
    throw new GenerationError(
      "cameo_too_many",
      `A shot can cast at most ${MAX_CAMEOS_PER_SHOT} cameos; this one casts ${distinct.size}.`,
      false,
    );
  const bySubject = new Map<number, CastCameo>();
  const unplaced: CastCameo[] = [];
  for (const c of cameos) {
    const wanted = [roleNoun(c.role), c.name.toLowerCase()];
    const i = spec.subjects.findIndex(
      (s, k) => !bySubject.has(k) && wanted.includes((s.noun ?? "").toLowerCase()),
    );
    if (i < 0) unplaced.push(c);
    else bySubject.set(i, c);
  }
  return { bySubject, unplaced };
}

/** The spec with each cameo's subject made a person of a person's size (feet kept in place). */
export function asPeople(spec: ShotSpec, subjects: ReadonlySet<number>): ShotSpec {
  if (subjects.size === 0) return spec;
  return {
    ...spec,
    subjects: spec.subjects.map((s, i) => {
      if (!subjects.has(i)) return s;
      const out = { ...s, kind: "person" as const, count: 1, art: null };
      if (s.place && s.kind !== "person" && s.kind !== "musician") {
        const size = Math.min(0.8, s.place.size * (PERSON_SIZE / OBJECT_SIZE));
        const feet = s.place.y + s.place.size / 2;
        out.place = { ...s.place, size, y: Math.min(feet, 0.98) - size / 2 };
      }
      return out;
    }),
  };
}
