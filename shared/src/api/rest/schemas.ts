import { z } from "zod";
import { TRANSITIONS } from "../../collab/schema.ts";
import { ROLES } from "../../workspaces/roles.ts";

/**
 * The zod schemas of the REST API beyond videos (workspaces, projects, the prompt and storyboard
 * documents, drafts, publishing, collab tokens). The handlers in this folder parse with them and
 * the OpenAPI document (operations.ts → ../openapi.ts) is generated from them, so the two agree.
 * Field names are snake_case and times are Unix seconds, as in the Videos API.
 */

const unixSeconds = z.number().int().meta({ description: "Unix seconds." });
const id = (what: string) => z.string().meta({ description: `The ${what}'s id (a UUID).` });

/** A whole number in range, as a number or (query strings) its decimal string. */
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

const list = <T extends z.ZodType>(item: T) =>
  z.object({
    object: z.literal("list"),
    data: z.array(item),
    has_more: z.boolean(),
  });

export const roleField = z
  .enum(ROLES)
  .meta({ description: "The key owner's role in the workspace; it bounds what the key may do." });

// --- workspaces -------------------------------------------------------------------------------

export const workspaceSchema = z
  .object({
    id: id("workspace"),
    object: z.literal("workspace"),
    name: z.string(),
    role: roleField,
    created_at: unixSeconds,
  })
  .meta({ id: "Workspace" });
export const workspaceListSchema = list(workspaceSchema);

export const memberSchema = z
  .object({
    object: z.literal("workspace.member"),
    user_id: z.string(),
    username: z.string(),
    display_name: z.string(),
    role: z.enum(ROLES),
  })
  .meta({ id: "WorkspaceMember" });
export const memberListSchema = list(memberSchema);

// --- projects ---------------------------------------------------------------------------------

const titleField = z
  .string({ message: "title is required." })
  .trim()
  .min(1, "title is empty: give the project a name.")
  .max(120, "title can be at most 120 characters.");

export const projectSchema = z
  .object({
    id: id("project"),
    object: z.literal("project"),
    workspace_id: z.string(),
    title: z.string(),
    role: roleField,
    created_at: unixSeconds,
    updated_at: unixSeconds,
  })
  .meta({ id: "Project" });
export const projectListSchema = list(projectSchema);

export const createProjectSchema = z
  .object({ title: titleField })
  .meta({ id: "CreateProjectRequest", examples: [{ title: "Lighthouse teaser" }] });
export const updateProjectSchema = z
  .object({ title: titleField })
  .meta({ id: "UpdateProjectRequest", examples: [{ title: "Lighthouse teaser, cut 2" }] });

export const deletedSchema = (object: string) =>
  z.object({ id: z.string(), object: z.literal(object), deleted: z.literal(true) });

// --- the prompt and storyboard documents --------------------------------------------------------

export const MAX_PROMPT_DOC_CHARS = 20_000;

export const promptDocumentSchema = z
  .object({
    object: z.literal("prompt"),
    project_id: z.string(),
    document: z
      .string()
      .meta({ description: "The Yjs document's name on the collab server (project.<id>.prompt)." }),
    text: z.string().meta({ description: "The prompt's plain text, one line per paragraph." }),
  })
  .meta({ id: "PromptDocument" });

export const updatePromptSchema = z
  .object({
    text: z
      .string({ message: "text is required: the prompt's new plain text." })
      .max(MAX_PROMPT_DOC_CHARS, `text can be at most ${MAX_PROMPT_DOC_CHARS} characters.`)
      .meta({
        description:
          "The new prompt, one paragraph per line. Paragraphs that did not change are kept as they are, so a person typing in them at the same moment keeps their edit.",
      }),
  })
  .meta({
    id: "UpdatePromptRequest",
    examples: [
      {
        text: "Subject: a lighthouse keeper\nAction: climbs the stairs at dusk\nCamera: slow dolly in",
      },
    ],
  });

export const shotSchema = z
  .object({
    id: z.string(),
    prompt: z.string(),
    duration_seconds: z.number(),
    camera: z.string(),
    transition: z.enum(TRANSITIONS),
    notes: z.string(),
    latest_render_id: z.string().nullable(),
  })
  .meta({ id: "Shot" });

const shotFields = {
  prompt: z.string().max(4000, "prompt can be at most 4000 characters.").default(""),
  duration_seconds: z
    .number({ message: "duration_seconds must be a number." })
    .min(1, "duration_seconds must be at least 1.")
    .max(60, "duration_seconds can be at most 60.")
    .default(4),
  camera: z.string().max(200, "camera can be at most 200 characters.").default(""),
  transition: z
    .enum(TRANSITIONS, { message: `transition must be one of ${TRANSITIONS.join(", ")}.` })
    .default("cut"),
  notes: z.string().max(4000, "notes can be at most 4000 characters.").default(""),
};

export const shotInputSchema = z
  .object({
    id: z.string().min(1).max(64).optional().meta({
      description:
        "An existing shot's id: that shot is updated in place (and moved to this position). Without an id a new shot is added.",
    }),
    ...shotFields,
  })
  .meta({ id: "ShotInput" });

export const MAX_SHOTS = 200;

export const storyboardSchema = z
  .object({
    object: z.literal("storyboard"),
    project_id: z.string(),
    document: z
      .string()
      .meta({ description: "The Yjs document's name (project.<id>.storyboard)." }),
    shots: z.array(shotSchema).meta({ description: "In storyboard order." }),
    total_seconds: z.number(),
  })
  .meta({ id: "Storyboard" });

export const replaceStoryboardSchema = z
  .object({
    shots: z
      .array(shotInputSchema)
      .max(MAX_SHOTS, `A storyboard has at most ${MAX_SHOTS} shots.`)
      .meta({ description: "The whole storyboard in order; shots not listed are removed." }),
  })
  .meta({
    id: "ReplaceStoryboardRequest",
    examples: [
      {
        shots: [
          { prompt: "Wide: the lighthouse at dusk", duration_seconds: 4, camera: "static" },
          { prompt: "Close: the keeper's lamp", duration_seconds: 3, transition: "dissolve" },
        ],
      },
    ],
  });

export const addShotSchema = z
  .object({
    ...shotFields,
    index: z
      .number()
      .int("index must be a whole number.")
      .min(0, "index must be at least 0.")
      .optional()
      .meta({ description: "Position of the new shot (0 = first). Default: the end." }),
  })
  .meta({
    id: "AddShotRequest",
    examples: [{ prompt: "Aerial: waves against the rocks", duration_seconds: 5 }],
  });

// --- drafts -----------------------------------------------------------------------------------

export const draftSchema = z
  .object({
    id: id("draft"),
    object: z.literal("draft"),
    project_id: z.string(),
    title: z.string().nullable(),
    kind: z.enum(["clip", "sequence"]),
    backend: z.string(),
    prompt: z.string(),
    seconds: z.number().meta({ description: "Duration in seconds." }),
    width: z.number().int(),
    height: z.number().int(),
    created_by: z.string(),
    created_at: unixSeconds,
    post_id: z
      .string()
      .nullable()
      .meta({ description: "The post it was published as, if it was." }),
  })
  .meta({ id: "Draft" });
export const draftListSchema = list(draftSchema);

export const listDraftsSchema = z.object({
  after: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "The id of the last draft of the previous page." }),
  limit: int(1, 100, "limit").default(20),
});

export const updateDraftSchema = z
  .object({
    title: z
      .string({ message: "title is required." })
      .meta({ description: "1 to 120 characters; runs of whitespace become one space." }),
  })
  .meta({ id: "UpdateDraftRequest", examples: [{ title: "Teaser, take 3" }] });

export const draftContentSchema = z.object({
  variant: z
    .enum(["video", "thumbnail", "spritesheet"], {
      message: "variant must be video, thumbnail or spritesheet.",
    })
    .default("video"),
});

// --- publishing -------------------------------------------------------------------------------

export const publishSchema = z
  .object({
    caption: z.string().max(2200, "caption can be at most 2200 characters.").default(""),
    audience: z
      .enum(["all", "adults"], { message: "audience must be all or adults." })
      .default("all"),
    allow_remix: z.boolean({ message: "allow_remix must be true or false." }).default(true),
    remix_of: z
      .string()
      .nullable()
      .default(null)
      .meta({ description: "The post this draft remixes, credited on the new post." }),
  })
  .meta({
    id: "PublishRequest",
    examples: [{ caption: "The lighthouse at dusk #previz", audience: "all", allow_remix: true }],
  });

export const publishJobSchema = z
  .object({
    id: z.string().meta({ description: "The publish job's id (publish:<draft id>)." }),
    object: z.literal("publish_job"),
    draft_id: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    stage: z.string().meta({
      description: "Where the workflow is: queued, checks, cameos, renditions, post, done.",
    }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    post_id: z.string().nullable(),
  })
  .meta({ id: "PublishJob" });

// --- collab tokens ----------------------------------------------------------------------------

export const collabTokenSchema = z
  .object({
    object: z.literal("collab_token"),
    token: z.string().meta({
      description:
        "Send as the Hocuspocus provider's `token`. The collab server checks the member's role on every connection.",
    }),
    expires_at: unixSeconds,
    url: z.string().meta({ description: "The collab server's WebSocket URL." }),
    documents: z
      .object({
        prompt: z.string(),
        storyboard: z.string(),
        casting: z.string(),
        comments: z.string(),
      })
      .meta({ description: "The project's Yjs document names, to pass as the provider's `name`." }),
  })
  .meta({ id: "CollabToken" });
