import { structuredPromptSchema } from "../generation/request.ts";
import type { ExplainPlan } from "./plan.ts";

export type { ExplainedSubject, ExplainPlan } from "./plan.ts";

import { understand } from "./understand.server.ts";

export function explain(prompt: string, sections: Record<string, string> = {}): ExplainPlan {
  const spec = understand(structuredPromptSchema.parse({ text: prompt, sections }));
  return {
    prompt,
    subjects: spec.subjects.map((s) => ({
      noun: s.noun,
      art: s.art,
      color: s.color,
      count: s.count,
      x: s.place.x,
      y: s.place.y,
      size: s.place.size,
      relation: s.relation,
      motion: s.motion,
      verb: s.verb,
    })),
    setting: spec.setting.kind,
    style: spec.style,
    defaulted: spec.defaulted,
  };
}
