import type { PromptSectionName } from "../generation/request.ts";

/**
 * The three prompt templates from the product reference ("Prompt Templates"), as structured slots so
 * that the editor can show them as labelled placeholders and the checker can tell which section
 * each slot fills. Pure data plus pure helpers: safe in the browser and on the server.
 */
export type PromptTemplateId = "cinematic-shot" | "character-focus" | "environment-showcase";

export interface TemplateSlot {
  /** Stable key, unique within the template. */
  key: string;
  /** The placeholder exactly as the reference writes it, without brackets. */
  label: string;
  /** Which section of the prompt formula this slot fills. */
  section: PromptSectionName;
  /** A short hint shown under the placeholder. */
  hint: string;
  /** A worked example value, used by the template preview and tests. */
  example: string;
}

export interface PromptTemplate {
  id: PromptTemplateId;
  name: string;
  description: string;
  /** The reference's pattern, e.g. "[Shot type] of [subject] [action], …". */
  pattern: string;
  slots: readonly TemplateSlot[];
}

export const promptTemplates: readonly PromptTemplate[] = [
  {
    id: "cinematic-shot",
    name: "Cinematic shot",
    description: "One deliberate shot: framing, subject, motion, light, sound and mood.",
    pattern:
      "[Shot type] of [subject] [action], [lighting description], [camera movement], [audio elements], [mood/style]",
    slots: [
      {
        key: "shotType",
        label: "Shot type",
        section: "camera",
        hint: "close-up, wide angle, over-the-shoulder…",
        example: "Close-up shot",
      },
      {
        key: "subject",
        label: "subject",
        section: "subject",
        hint: "who or what the shot is about",
        example: "a steaming cup of coffee on a wooden table",
      },
      {
        key: "action",
        label: "action",
        section: "action",
        hint: "what moves and how",
        example: "with steam curling slowly upward",
      },
      {
        key: "lighting",
        label: "lighting description",
        section: "lighting",
        hint: "golden hour, high contrast, soft diffused light…",
        example: "morning sunlight streaming through a window",
      },
      {
        key: "cameraMovement",
        label: "camera movement",
        section: "camera",
        hint: "camera tracks left, dolly zoom, static shot…",
        example: "camera slowly rotating around the cup",
      },
      {
        key: "audio",
        label: "audio elements",
        section: "audio",
        hint: "sound effects, dialogue, music",
        example: "peaceful ambient sounds",
      },
      {
        key: "style",
        label: "mood/style",
        section: "style",
        hint: "cinematic film grain, documentary realism…",
        example: "calm cinematic mood with shallow depth of field",
      },
    ],
  },
  {
    id: "character-focus",
    name: "Character focus",
    description: "A person or creature at the centre: who they are, where, what they feel.",
    pattern:
      "[Character description] in [setting], [what they're doing], [expression/emotion], [camera angle], [music/sound]",
    slots: [
      {
        key: "character",
        label: "Character description",
        section: "subject",
        hint: "age, look, clothing, one distinctive detail",
        example: "An elderly fisherman with a weathered face and a yellow raincoat",
      },
      {
        key: "setting",
        label: "setting",
        section: "setting",
        hint: "where the scene takes place",
        example: "a small harbour at dawn",
      },
      {
        key: "action",
        label: "what they're doing",
        section: "action",
        hint: "one clear action",
        example: "mending a fishing net by hand",
      },
      {
        key: "emotion",
        label: "expression/emotion",
        section: "style",
        hint: "the feeling on their face",
        example: "a quiet, contented smile",
      },
      {
        key: "cameraAngle",
        label: "camera angle",
        section: "camera",
        hint: "eye level, low angle, over-the-shoulder…",
        example: "medium close-up at eye level with a slow push in",
      },
      {
        key: "sound",
        label: "music/sound",
        section: "audio",
        hint: "music, ambience, dialogue",
        example: "gulls and lapping waves with soft acoustic guitar",
      },
    ],
  },
  {
    id: "environment-showcase",
    name: "Environment showcase",
    description: "A place as the star: time, weather, a camera journey and its soundscape.",
    pattern:
      "[Location/environment description], [time of day], [weather], [camera movement through space], [ambient sounds], [atmosphere]",
    slots: [
      {
        key: "location",
        label: "Location/environment description",
        section: "setting",
        hint: "the place and what fills it",
        example: "A misty pine forest with moss-covered boulders and a winding stream",
      },
      {
        key: "timeOfDay",
        label: "time of day",
        section: "lighting",
        hint: "golden hour, blue hour, midday sun…",
        example: "early morning golden hour light",
      },
      {
        key: "weather",
        label: "weather",
        section: "setting",
        hint: "fog, light rain, snow, clear sky…",
        example: "light fog drifting between the trees",
      },
      {
        key: "cameraMovement",
        label: "camera movement through space",
        section: "camera",
        hint: "drone glide, slow dolly forward, crane up…",
        example: "slow drone shot gliding low along the stream",
      },
      {
        key: "ambient",
        label: "ambient sounds",
        section: "audio",
        hint: "what you would hear standing there",
        example: "birdsong and running water",
      },
      {
        key: "atmosphere",
        label: "atmosphere",
        section: "style",
        hint: "serene, eerie, epic…",
        example: "serene, dreamlike atmosphere",
      },
    ],
  },
];

export function getTemplate(id: PromptTemplateId): PromptTemplate {
  const t = promptTemplates.find((x) => x.id === id);
  if (!t) throw new Error(`Unknown prompt template: ${id}`);
  return t;
}

export function isTemplateId(id: string): id is PromptTemplateId {
  return promptTemplates.some((t) => t.id === id);
}

export type TemplateValues = Partial<Record<string, string>>;

/**
 * Fills the template's pattern with the given values. An empty slot keeps its `[placeholder]` so
 * the checker (and the person) can see what is still missing.
 */
export function fillTemplate(template: PromptTemplate, values: TemplateValues): string {
  let out = template.pattern;
  for (const slot of template.slots) {
    const v = values[slot.key]?.trim();
    out = out.replace(`[${slot.label}]`, v ? v : `[${slot.label}]`);
  }
  return out;
}

/** The template's worked example: every slot filled with its example value. */
export function templateExample(template: PromptTemplate): string {
  return fillTemplate(template, Object.fromEntries(template.slots.map((s) => [s.key, s.example])));
}

/** Groups filled slot values by prompt section (several slots may feed one section). */
export function templateToSections(
  template: PromptTemplate,
  values: TemplateValues,
): Partial<Record<PromptSectionName, string>> {
  const out: Partial<Record<PromptSectionName, string>> = {};
  for (const slot of template.slots) {
    const v = values[slot.key]?.trim();
    if (!v) continue;
    out[slot.section] = out[slot.section] ? `${out[slot.section]}, ${v}` : v;
  }
  return out;
}

/** Finds `[placeholder]` markers left in a prompt, with their offsets. */
export function findPlaceholders(text: string): { label: string; from: number; to: number }[] {
  const out: { label: string; from: number; to: number }[] = [];
  for (const m of text.matchAll(/\[([^\][\n]{1,60})\]/g)) {
    out.push({ label: m[1]!, from: m.index, to: m.index + m[0].length });
  }
  return out;
}
