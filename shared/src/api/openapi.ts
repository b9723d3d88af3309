import { z } from "zod";
import { REST_OPERATIONS } from "./rest/operations.ts";
import {
  characterSchema,
  createCharacterSchema,
  createVideoSchema,
  editVideoSchema,
  errorBodySchema,
  extendVideoSchema,
  listVideosSchema,
  remixVideoSchema,
  videoDeletedSchema,
  videoListSchema,
  videoSchema,
} from "./schemas.ts";
import { API_SCOPES } from "./scopes.ts";

/**
 * The OpenAPI 3.1 document of /v1, generated from the zod schemas the routes validate with
 * (schemas.ts) by zod's own JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses). `OPERATIONS`
 * is the one list of routes: the document, the reference page (/v1/docs) and the test that calls
 * every documented route are all driven by it.
 */

type Json = Record<string, unknown>;

export interface Operation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path template under /v1. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  scope?: (typeof API_SCOPES)[number];
  pathParams?: string[];
  query?: z.ZodObject;
  /** `jsonOnly`: no multipart/form-data variant (the REST routes beyond videos). */
  body?: { schema: z.ZodType; multipartFiles?: string[]; jsonToo: boolean; jsonOnly?: boolean };
  /** status → JSON schema (zod) or a binary media type list. */
  responses: Record<number, { description: string; schema?: z.ZodType; binary?: string[] }>;
}

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      c,
      {
        description: {
          400: "Invalid request: `error.param` names the field.",
          401: "No API key, or an unknown or revoked one.",
          403: "The key lacks the scope, or its owner's role does not allow it.",
          404: "No such video (or character) in the key's workspace.",
          409: "The video is not in a state that allows this (e.g. still rendering).",
          413: "The upload is too large.",
          429: "Over the key's per-minute limit; see `Retry-After`.",
          501: "Not offered by this server; `error.message` says why.",
        }[c]!,
        schema: errorBodySchema,
      },
    ]),
  );

// 403: a key without the route's scope (keys.server.ts requireScope), on every scoped route.
const common = [401, 403, 429] as const;

export const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/videos",
    operationId: "createVideo",
    summary: "Create a video",
    description:
      "Starts a generation job. The OpenAI SDK sends multipart/form-data; JSON works too. Poll GET /videos/{video_id} or subscribe to webhooks.",
    scope: "videos:write",
    body: { schema: createVideoSchema, multipartFiles: ["input_reference"], jsonToo: true },
    responses: {
      200: { description: "The queued video.", schema: videoSchema },
      ...errors(400, ...common, 403, 413),
    },
  },
  {
    method: "get",
    path: "/videos",
    operationId: "listVideos",
    summary: "List videos",
    description:
      "The key's workspace's videos, newest first by default. Page with `after` = the last id.",
    scope: "videos:read",
    query: listVideosSchema,
    responses: {
      200: { description: "A page of videos.", schema: videoListSchema },
      ...errors(400, ...common, 404),
    },
  },
  {
    method: "get",
    path: "/videos/{video_id}",
    operationId: "retrieveVideo",
    summary: "Retrieve a video",
    scope: "videos:read",
    pathParams: ["video_id"],
    responses: {
      200: { description: "The video with its status and progress.", schema: videoSchema },
      ...errors(...common, 404),
    },
  },
  {
    method: "delete",
    path: "/videos/{video_id}",
    operationId: "deleteVideo",
    summary: "Delete a completed or failed video and its files",
    scope: "videos:write",
    pathParams: ["video_id"],
    responses: {
      200: { description: "Deleted.", schema: videoDeletedSchema },
      ...errors(...common, 404, 409),
    },
  },
  {
    method: "get",
    path: "/videos/{video_id}/content",
    operationId: "downloadVideoContent",
    summary: "Download the video, its thumbnail or its spritesheet",
    description: "Supports HTTP Range requests.",
    scope: "videos:read",
    pathParams: ["video_id"],
    query: z.object({
      variant: z.enum(["video", "thumbnail", "spritesheet"]).default("video"),
    }),
    responses: {
      200: { description: "The file.", binary: ["video/mp4", "image/jpeg"] },
      ...errors(400, ...common, 404, 409),
    },
  },
  {
    method: "post",
    path: "/videos/{video_id}/remix",
    operationId: "remixVideo",
    summary: "Remix a completed video with a new prompt",
    description: "Same model, size, duration and seed as the source.",
    scope: "videos:write",
    pathParams: ["video_id"],
    body: { schema: remixVideoSchema, jsonToo: true },
    responses: {
      200: { description: "The queued remix.", schema: videoSchema },
      ...errors(400, ...common, 404, 409),
    },
  },
  {
    method: "post",
    path: "/videos/extensions",
    operationId: "extendVideo",
    summary: "Extend a completed video",
    description:
      "Renders the source again (backends are deterministic per seed) followed by a new segment, and stitches them. `seconds` of the result is the total. Videos made from an input_reference cannot be extended yet.",
    scope: "videos:write",
    body: { schema: extendVideoSchema, jsonToo: true },
    responses: {
      200: { description: "The queued extension.", schema: videoSchema },
      ...errors(400, ...common, 404, 409),
    },
  },
  {
    method: "post",
    path: "/videos/edits",
    operationId: "editVideo",
    summary: "Edit a completed video with a prompt",
    description:
      "Renders the source again with its own seed, size and duration and the edit prompt applied after its prompt (docs/api.md: what that does on each backend). Only backends that render the same video twice from one request (previz) can edit; others answer 400 unsupported_by_backend. An uploaded `video` file is refused (400 unsupported_source).",
    scope: "videos:write",
    body: { schema: editVideoSchema, multipartFiles: ["video"], jsonToo: true },
    responses: {
      200: { description: "The queued edit.", schema: videoSchema },
      ...errors(400, ...common, 403, 404, 409),
    },
  },
  {
    method: "post",
    path: "/videos/characters",
    operationId: "createCharacter",
    summary: "Create a character (a cameo of the key's user) from a video",
    description:
      "The video (WebM or MP4, 3-12 s) of the key's user following the published prompts (docs/api.md) becomes their person cameo through the cameo checks: liveness, likeness guard. `status` is processing until they finish; a video that fails them makes a failed character with `error`. A person has one cameo: 409 when theirs exists.",
    scope: "videos:write",
    body: { schema: createCharacterSchema, multipartFiles: ["video"], jsonToo: false },
    responses: {
      200: { description: "The character, processing.", schema: characterSchema },
      ...errors(400, ...common, 403, 409, 413),
    },
  },
  {
    method: "get",
    path: "/videos/characters/{character_id}",
    operationId: "getCharacter",
    summary: "Retrieve a character",
    scope: "videos:read",
    pathParams: ["character_id"],
    responses: {
      200: { description: "The character with its status.", schema: characterSchema },
      ...errors(...common, 404),
    },
  },
  // Workspaces, projects, documents, drafts, publishing, collab tokens: rest/operations.ts.
  ...REST_OPERATIONS,
];

/** JSON Schema refs into zod's `$defs` → refs into the document's components. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === "id" && typeof v === "string"))
      .map(([k, v]) => [
        k,
        k === "$ref" && typeof v === "string"
          ? v.replace("#/$defs/", "#/components/schemas/")
          : rewriteRefs(v),
      ]),
  );
}

/** zod → JSON Schema (2020-12) with named schemas (`.meta({ id })`) as components. */
function schemaOf(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const json = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json & { $defs?: Json; $schema?: string };
  const { $defs, $schema: _, ...rest } = json;
  for (const [name, def] of Object.entries($defs ?? {})) components[name] = rewriteRefs(def);
  const id = (schema.meta() as { id?: string } | undefined)?.id;
  if (id && !$defs?.[id]) {
    components[id] = rewriteRefs(rest);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewriteRefs(rest) as Json;
}

function multipartSchema(json: Json, files: string[]): Json {
  const props = { ...((json.properties as Json) ?? {}) };
  for (const f of files)
    props[f] = {
      type: "string",
      contentMediaType: "application/octet-stream",
      description: "A file upload.",
    };
  // Nested objects travel as bracketed fields (video[id]) in multipart, as the OpenAI SDK sends them.
  return { ...json, properties: props };
}

export function openApiDocument(serverUrl = "/v1"): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const parameters: Json[] = [];
    for (const p of op.pathParams ?? [])
      parameters.push({ name: p, in: "path", required: true, schema: { type: "string" } });
    if (op.query) {
      const q = schemaOf(op.query, "input", components) as {
        properties?: Json;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        parameters.push({ name, in: "query", required: (q.required ?? []).includes(name), schema });
    }
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = {
        description: r.description,
        ...(status === "429"
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds until the limit resets.",
                  schema: { type: "integer" },
                },
              },
            }
          : {}),
        ...(r.schema
          ? {
              content: { "application/json": { schema: schemaOf(r.schema, "output", components) } },
            }
          : r.binary
            ? {
                content: Object.fromEntries(
                  r.binary.map((t) => [t, { schema: { type: "string", contentMediaType: t } }]),
                ),
              }
            : {}),
      };
    }
    let requestBody: Json | undefined;
    if (op.body) {
      const json = schemaOf(op.body.schema, "input", components);
      const content: Json = {};
      if (op.body.jsonToo) content["application/json"] = { schema: json };
      if (!op.body.jsonOnly)
        content["multipart/form-data"] = {
          schema: multipartSchema(json, op.body.multipartFiles ?? []),
        };
      requestBody = { required: true, content };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.scope ? { "x-scope": op.scope } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Reelhouse API",
      version: "1.0.0",
      description:
        "The Videos API is compatible with OpenAI's /v1/videos: point the official SDK's baseURL at <your Reelhouse>/v1 and use a Reelhouse API key. Errors are in OpenAI's shape. The same keys reach the key's workspace, its projects, their prompt and storyboard documents, drafts, publishing and collab tokens. See docs/api.md.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: `An API key (rh_sk_…) from Settings → API keys. Scopes: ${API_SCOPES.join(", ")}.`,
        },
      },
      schemas: components,
    },
  };
}
