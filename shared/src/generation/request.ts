import { z } from "zod";

/** The product reference's prompt formula: Subject + Action + Setting + Camera + Lighting + Audio + Style. */
export const promptSectionNames = [
  "subject",
  "action",
  "setting",
  "camera",
  "lighting",
  "audio",
  "style",
] as const;
export type PromptSectionName = (typeof promptSectionNames)[number];

export const MAX_PROMPT_CHARS = 4000;

export const structuredPromptSchema = z
  .object({
    /** Free text, e.g. the whole prompt as a person typed it. */
    text: z
      .string()
      .max(MAX_PROMPT_CHARS, `A prompt can be at most ${MAX_PROMPT_CHARS} characters.`)
      .default(""),
    sections: z
      .object(
        Object.fromEntries(
          promptSectionNames.map((n) => [n, z.string().max(MAX_PROMPT_CHARS).optional()]),
        ) as {
          [K in PromptSectionName]: z.ZodOptional<z.ZodString>;
        },
      )
      .partial()
      .default({}),
  })
  .refine((p) => (p.text + Object.values(p.sections).join("")).trim().length > 0, {
    message: "The prompt is empty: describe the subject, the action and the setting at least.",
  })
  .refine((p) => (p.text + Object.values(p.sections).join("")).length <= MAX_PROMPT_CHARS, {
    message: `A prompt can be at most ${MAX_PROMPT_CHARS} characters.`,
  });
export type StructuredPrompt = z.infer<typeof structuredPromptSchema>;

export const videoSizes = ["720x1280", "1280x720", "1024x1792"] as const;
export type VideoSize = (typeof videoSizes)[number];

export const castMemberSchema = z.object({
  role: z.string().min(1).max(80),
  /** Username of the person cast, when the role is assigned. */
  username: z.string().max(30).optional(),
  /** The cameo cast in this role (filled in when the render is submitted; see shared/src/cameos). */
  cameoId: z.string().uuid().optional(),
  description: z.string().max(500).optional(),
});

/** How long one clip (or one storyboard shot) can be; the storyboard's duration field uses these. */
export const MIN_CLIP_SECONDS = 4;
export const MAX_CLIP_SECONDS = 20;

/** The largest seed a request may carry (seeds are 31-bit non-negative integers). */
export const SEED_MAX = 2 ** 31 - 1;

/**
 * A fresh seed for "Generate" when the user has not locked one: 1..SEED_MAX from
 * `crypto.getRandomValues` (browser and Node). The schema's default stays 0 so that parsing is
 * deterministic; choosing a new variation is the caller's decision, made once per press.
 */
export function randomSeed(): number {
  const v = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return (v % SEED_MAX) + 1;
}

export const generationRequestSchema = z.object({
  prompt: structuredPromptSchema,
  durationSeconds: z
    .number({
      message: `Duration must be a number of seconds from ${MIN_CLIP_SECONDS} to ${MAX_CLIP_SECONDS}.`,
    })
    .int("Duration must be a whole number of seconds.")
    .min(MIN_CLIP_SECONDS, `Duration must be at least ${MIN_CLIP_SECONDS} seconds.`)
    .max(MAX_CLIP_SECONDS, `Duration can be at most ${MAX_CLIP_SECONDS} seconds.`)
    .default(10),
  size: z
    .enum(videoSizes, { message: `Size must be one of ${videoSizes.join(", ")}.` })
    .default("720x1280"),
  fps: z.literal(30).default(30),
  seed: z.number().int().min(0).max(SEED_MAX).default(0),
  /**
   * previz only: lay the clip's plan (camera move, timed events, the subjects' paths) over the
   * first `planSeconds` and carry it on past them. Extend sets it to the source's length, so the
   * continuation's first seconds are the source's and the rest follows on from its last frame.
   */
  planSeconds: z.number().int().min(1).max(MAX_CLIP_SECONDS).optional(),
  /** Absolute path of an already validated input image (image-to-video). */
  inputImagePath: z.string().optional(),
  cast: z.array(castMemberSchema).max(20).default([]),
});
export type GenerationRequest = z.infer<typeof generationRequestSchema>;
export type GenerationRequestInput = z.input<typeof generationRequestSchema>;

export function parseSize(size: VideoSize): { width: number; height: number } {
  const [w, h] = size.split("x").map(Number);
  return { width: w!, height: h! };
}
