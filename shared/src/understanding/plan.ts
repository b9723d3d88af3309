import type { Motion, RelationKind, SettingKind, Style } from "./types.ts";

/**
 * The plan the renderer will draw, in the shape `previz explain` prints and the prompt checker
 * shows: per subject the noun understood, the drawing (null: a generic shape), the colour asked
 * for, the count and the centre at mid-shot (fractions of width and height from the top left);
 * also its height (`size`, a fraction of the frame height) and its relation to another subject
 * (`to` indexes `subjects`), so tools can check a composition: a cup on a table, a rider on a
 * horse, strawberries in a bowl.
 */
export interface ExplainedSubject {
  noun: string;
  art: string | null;
  color: string | null;
  count: number;
  x: number;
  y: number;
  size: number;
  relation: { kind: RelationKind; to: number } | null;
  motion: Motion;
  verb: string | null;
}

export interface ExplainPlan {
  prompt: string;
  subjects: ExplainedSubject[];
  setting: SettingKind;
  style: Style;
  defaulted: string[];
}
