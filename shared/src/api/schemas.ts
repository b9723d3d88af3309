import { z } from "zod";
import { MAX_PROMPT_CHARS, videoSizes } from "../generation/request.ts";

/**
 * The zod schemas of the public API: the Videos API requests (OpenAI's names and types) and the
 * objects it answers with. The routes validate with these, and the OpenAPI document
 * (openapi.ts) is generated from the very same schemas, so the two cannot drift.
 */

/** A whole number in range, as a number or (multipart, query strings) its decimal string. */
const int = (min: number, max: number, what: string) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, `${what} must be a whole number.`)])
    .transform(Number)
    .pipe(
      z
        .number()
        .int(`${what} must be a whole number.`)
        .min(min, `${what} must be at least ${min}.`)
        .max(max, `${what} can be at most ${max}.`),
    );

export const videoErrorSchema = z.object({ code: z.string(), message: z.string() });

export const promptField = z
  .string({ message: "prompt is required: describe the video to generate." })
  .trim()
  .min(1, "prompt is empty: describe the subject, the action and the setting at least.")
  .max(MAX_PROMPT_CHARS, `prompt can be at most ${MAX_PROMPT_CHARS} characters.`)
  .meta({ description: "Text prompt that describes the video to generate." });

export const secondsField = int(4, 20, "seconds").meta({
  description:
    "Clip duration in seconds, 4 to 20 (OpenAI allows 4, 8 and 12; Reelhouse accepts any whole number in range). Sent as a string by the OpenAI SDK.",
});

export const sizeField = z
  .enum(videoSizes, {
    message: `size must be one of ${videoSizes.join(", ")} (1792x1024 is not offered by this server).`,
  })
  .meta({ description: "Output resolution, width x height." });

export const modelField = z.string().trim().min(1).max(80).meta({
  description:
    "A Reelhouse backend name (`previz`, the default) or an OpenAI model name (`sora-2`, `sora-2-pro`, dated variants), which runs on the workspace's configured backend.",
});

export const createVideoSchema = z
  .object({
    prompt: promptField,
    model: modelField.optional(),
    seconds: secondsField.default(4),
    size: sizeField.default("720x1280"),
  })
  .meta({
    description:
      "JSON, or multipart/form-data with the same fields plus `input_reference`, an image file (JPEG, PNG or WebP) the video starts from.",
  });
export type CreateVideoInput = z.infer<typeof createVideoSchema>;

export const remixVideoSchema = z.object({ prompt: promptField });

/** `video` is `{ id }` in JSON, `video[id]` in multipart (how the SDK encodes it). */
export const videoReferenceField = z.object({
  id: z.string({ message: "video.id is required: the id of a completed video." }).min(1),
});

export const extendVideoSchema = z.object({
  prompt: promptField,
  seconds: secondsField,
  video: videoReferenceField,
});

export const editVideoSchema = z
  .object({
    prompt: promptField.meta({ description: "How to change the source video." }),
    video: videoReferenceField,
  })
  .meta({
    description:
      "`video` must reference a completed video by id (`video[id]` in multipart); an uploaded file is refused (400 unsupported_source).",
  });
export const createCharacterSchema = z.object({
  name: z.string().trim().min(1).max(80).meta({
    description:
      "Display name; a prompt casts the character with `@<name> as the <role>` or `@<id> as the <role>`.",
  }),
});

export const characterSchema = z
  .object({
    id: z.string(),
    object: z.literal("character"),
    name: z.string(),
    created_at: z.number().int().meta({ description: "Unix seconds." }),
    status: z.enum(["processing", "ready", "failed"]).meta({
      description:
        "Reelhouse's addition: the cameo checks (liveness, likeness) run after the upload; only a ready character can be cast.",
    }),
    error: videoErrorSchema.nullable(),
  })
  .meta({ id: "Character" });
export type CharacterObject = z.infer<typeof characterSchema>;

export const listVideosSchema = z.object({
  after: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "The id of the last video of the previous page." }),
  limit: int(1, 100, "limit").default(20),
  order: z.enum(["asc", "desc"], { message: "order must be asc or desc." }).default("desc"),
});

export const contentVariantSchema = z.object({
  variant: z
    .enum(["video", "thumbnail", "spritesheet"], {
      message: "variant must be video, thumbnail or spritesheet.",
    })
    .default("video"),
});

export const videoSchema = z
  .object({
    id: z.string(),
    object: z.literal("video"),
    model: z.string(),
    status: z.enum(["queued", "in_progress", "completed", "failed"]),
    progress: z.number().int().min(0).max(100),
    prompt: z.string().nullable(),
    seconds: z.string(),
    size: z.string(),
    created_at: z.number().int().meta({ description: "Unix seconds." }),
    completed_at: z.number().int().nullable(),
    expires_at: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Always null: Reelhouse keeps videos until they are deleted." }),
    remixed_from_video_id: z.string().nullable(),
    error: videoErrorSchema.nullable(),
  })
  .meta({ id: "Video" });
export type VideoObject = z.infer<typeof videoSchema>;

export const videoListSchema = z.object({
  object: z.literal("list"),
  data: z.array(videoSchema),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});

export const videoDeletedSchema = z.object({
  id: z.string(),
  object: z.literal("video.deleted"),
  deleted: z.literal(true),
});

export const errorBodySchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string(),
    }),
  })
  .meta({ id: "Error" });
