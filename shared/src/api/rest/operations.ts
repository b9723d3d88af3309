import type { z } from "zod";
import type { Operation } from "../openapi.ts";
import { errorBodySchema } from "../schemas.ts";
import {
  addShotSchema,
  collabTokenSchema,
  createProjectSchema,
  deletedSchema,
  draftContentSchema,
  draftListSchema,
  draftSchema,
  listDraftsSchema,
  memberListSchema,
  projectListSchema,
  projectSchema,
  promptDocumentSchema,
  publishJobSchema,
  publishSchema,
  replaceStoryboardSchema,
  shotSchema,
  storyboardSchema,
  updateDraftSchema,
  updateProjectSchema,
  updatePromptSchema,
  workspaceListSchema,
  workspaceSchema,
} from "./schemas.ts";

/**
 * The REST routes beyond videos, as entries of the one route list (../openapi.ts OPERATIONS): the
 * OpenAPI document, the reference page and the test that calls every documented route read them.
 * web/http/api/rest.ts implements them, parsing with the same schemas.
 */

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request: `error.param` names the field.",
  401: "No API key, or an unknown or revoked one.",
  403: "The key lacks the scope, or its owner's role does not allow it.",
  404: "No such object in the key's workspace (objects of other workspaces are never visible).",
  409: "The object is in use and cannot be changed now; `error.message` says why.",
  429: "Over the key's per-minute limit; see `Retry-After`.",
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    [...codes, 401, 403, 429].map((c) => [
      c,
      { description: DESCRIPTIONS[c]!, schema: errorBodySchema },
    ]),
  );

const ok = (description: string, schema: z.ZodType) => ({ 200: { description, schema } });
const json = (schema: z.ZodType) => ({ schema, jsonToo: true, jsonOnly: true });

export const REST_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/workspaces",
    operationId: "listWorkspaces",
    summary: "List workspaces",
    description: "The key's workspace: a key belongs to exactly one.",
    scope: "workspace:read",
    responses: { ...ok("The key's workspace.", workspaceListSchema), ...errors() },
  },
  {
    method: "get",
    path: "/workspaces/{workspace_id}",
    operationId: "retrieveWorkspace",
    summary: "Retrieve a workspace",
    scope: "workspace:read",
    pathParams: ["workspace_id"],
    responses: { ...ok("The workspace.", workspaceSchema), ...errors(404) },
  },
  {
    method: "get",
    path: "/workspaces/{workspace_id}/members",
    operationId: "listWorkspaceMembers",
    summary: "List a workspace's members and their roles",
    scope: "workspace:read",
    pathParams: ["workspace_id"],
    responses: { ...ok("The members.", memberListSchema), ...errors(404) },
  },
  {
    method: "get",
    path: "/projects",
    operationId: "listProjects",
    summary: "List the workspace's projects",
    description: "Most recently changed first.",
    scope: "workspace:read",
    responses: { ...ok("The projects.", projectListSchema), ...errors() },
  },
  {
    method: "post",
    path: "/projects",
    operationId: "createProject",
    summary: "Create a project",
    description: "Needs an editor or owner. Its prompt and storyboard start empty.",
    scope: "workspace:write",
    body: json(createProjectSchema),
    responses: { ...ok("The new project.", projectSchema), ...errors(400) },
  },
  {
    method: "get",
    path: "/projects/{project_id}",
    operationId: "retrieveProject",
    summary: "Retrieve a project",
    scope: "workspace:read",
    pathParams: ["project_id"],
    responses: { ...ok("The project.", projectSchema), ...errors(404) },
  },
  {
    method: "patch",
    path: "/projects/{project_id}",
    operationId: "updateProject",
    summary: "Rename a project",
    scope: "workspace:write",
    pathParams: ["project_id"],
    body: json(updateProjectSchema),
    responses: { ...ok("The renamed project.", projectSchema), ...errors(400, 404) },
  },
  {
    method: "delete",
    path: "/projects/{project_id}",
    operationId: "deleteProject",
    summary: "Delete a project with its documents, drafts and share links",
    scope: "workspace:write",
    pathParams: ["project_id"],
    responses: {
      ...ok("Deleted.", deletedSchema("project.deleted")),
      ...errors(404),
    },
  },
  {
    method: "get",
    path: "/projects/{project_id}/prompt",
    operationId: "retrievePrompt",
    summary: "Read the prompt document",
    description:
      "The collaborative prompt as plain text, including every edit the collab server has acknowledged.",
    scope: "workspace:read",
    pathParams: ["project_id"],
    responses: { ...ok("The prompt.", promptDocumentSchema), ...errors(404) },
  },
  {
    method: "put",
    path: "/projects/{project_id}/prompt",
    operationId: "updatePrompt",
    summary: "Write the prompt document",
    description:
      "Applied as a Yjs update to the stored document and pushed to everyone who has it open, like an edit made in the app. Unchanged paragraphs are left alone.",
    scope: "workspace:write",
    pathParams: ["project_id"],
    body: json(updatePromptSchema),
    responses: { ...ok("The prompt after the change.", promptDocumentSchema), ...errors(400, 404) },
  },
  {
    method: "get",
    path: "/projects/{project_id}/storyboard",
    operationId: "retrieveStoryboard",
    summary: "Read the storyboard document",
    scope: "workspace:read",
    pathParams: ["project_id"],
    responses: { ...ok("The storyboard's shots in order.", storyboardSchema), ...errors(404) },
  },
  {
    method: "put",
    path: "/projects/{project_id}/storyboard",
    operationId: "replaceStoryboard",
    summary: "Write the storyboard document",
    description:
      "The whole list of shots in order: shots with an `id` are updated in place, shots without one are added, shots not listed are removed. Applied as one Yjs update, live for everyone who has the storyboard open.",
    scope: "workspace:write",
    pathParams: ["project_id"],
    body: json(replaceStoryboardSchema),
    responses: {
      ...ok("The storyboard after the change.", storyboardSchema),
      ...errors(400, 404),
    },
  },
  {
    method: "post",
    path: "/projects/{project_id}/storyboard/shots",
    operationId: "addShot",
    summary: "Add a shot to the storyboard",
    scope: "workspace:write",
    pathParams: ["project_id"],
    body: json(addShotSchema),
    responses: { ...ok("The new shot.", shotSchema), ...errors(400, 404) },
  },
  {
    method: "post",
    path: "/projects/{project_id}/collab-token",
    operationId: "createCollabToken",
    summary: "Get a collab token for the project's live documents",
    description:
      "The same short-lived token the project page connects with. Connect a Hocuspocus (Yjs) provider to `url` with one of `documents` as its name; the collab server checks the role on every connection.",
    scope: "workspace:write",
    pathParams: ["project_id"],
    responses: { ...ok("A token, valid ten minutes.", collabTokenSchema), ...errors(404) },
  },
  {
    method: "get",
    path: "/projects/{project_id}/drafts",
    operationId: "listDrafts",
    summary: "List a project's drafts (its renders)",
    description: "Newest first. Page with `after` = the last id.",
    scope: "workspace:read",
    pathParams: ["project_id"],
    query: listDraftsSchema,
    responses: { ...ok("A page of drafts.", draftListSchema), ...errors(400, 404) },
  },
  {
    method: "get",
    path: "/drafts/{draft_id}",
    operationId: "retrieveDraft",
    summary: "Retrieve a draft",
    scope: "workspace:read",
    pathParams: ["draft_id"],
    responses: { ...ok("The draft.", draftSchema), ...errors(404) },
  },
  {
    method: "patch",
    path: "/drafts/{draft_id}",
    operationId: "updateDraft",
    summary: "Rename a draft",
    description: "Its maker or a workspace owner may.",
    scope: "workspace:write",
    pathParams: ["draft_id"],
    body: json(updateDraftSchema),
    responses: { ...ok("The renamed draft.", draftSchema), ...errors(400, 404) },
  },
  {
    method: "delete",
    path: "/drafts/{draft_id}",
    operationId: "deleteDraft",
    summary: "Delete a draft and its files",
    description:
      "Its maker or a workspace owner may. Refused (409) while it is published, being published, under review on a live link, or a clip of an edit.",
    scope: "workspace:write",
    pathParams: ["draft_id"],
    responses: { ...ok("Deleted.", deletedSchema("draft.deleted")), ...errors(404, 409) },
  },
  {
    method: "get",
    path: "/drafts/{draft_id}/content",
    operationId: "downloadDraftContent",
    summary: "Download a draft's video, thumbnail or spritesheet",
    description: "Supports HTTP Range requests.",
    scope: "workspace:read",
    pathParams: ["draft_id"],
    query: draftContentSchema,
    responses: {
      200: { description: "The file.", binary: ["video/mp4", "image/jpeg"] },
      ...errors(400, 404),
    },
  },
  {
    method: "post",
    path: "/drafts/{draft_id}/publish",
    operationId: "publishDraft",
    summary: "Publish a draft to the feed",
    description:
      "The app's publish workflow: the workspace's review rules are checked now; the caption's safety check, cameo consent and approvals, renditions and watermark run in the job. Poll GET /drafts/{draft_id}/publish. Publishing the same draft again returns the same job.",
    scope: "posts:write",
    pathParams: ["draft_id"],
    body: json(publishSchema),
    responses: {
      ...ok("The publish job.", publishJobSchema),
      ...errors(400, 404, 409),
    },
  },
  {
    method: "get",
    path: "/drafts/{draft_id}/publish",
    operationId: "retrievePublishJob",
    summary: "The draft's publish job",
    description: "404 until the draft was published by the key's owner.",
    scope: "workspace:read",
    pathParams: ["draft_id"],
    responses: { ...ok("The job: its status, stage and post.", publishJobSchema), ...errors(404) },
  },
];
