/**
 * The C2PA manifest of every file Reelhouse exports, built as plain JSON by a pure function
 * (unit-tested in manifest.test.ts) and signed by sign.server.ts. What it claims: the file is
 * AI-generated (IPTC digital source type trainedAlgorithmicMedia), created by Reelhouse with which
 * backend and model, in which workspace and project, for which draft / post, and the remix chain
 * (the posts this one remixes, nearest first) as ingredients.
 */

export const TRAINED_ALGORITHMIC_MEDIA =
  "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
/** Our own assertion: where in this instance the file comes from (read back by /verify). */
export const ORIGIN_ASSERTION = "com.reelhouse.origin";
export const SOFTWARE = { name: "Reelhouse", version: "0.1" } as const;

export type ExportKind =
  | "draft-video"
  | "draft-poster"
  | "draft-sprite"
  /** The draft's video as people get it (studio, review links, API): marked, then signed. */
  | "draft-export"
  | "post-video"
  | "post-poster"
  | "post-download";

export type ProvenanceFacts = {
  kind: ExportKind;
  format: "video/mp4" | "image/jpeg";
  title: string;
  /** Browser-facing origin of this instance (PUBLIC_URL), when known. */
  instance: string | null;
  backend: string;
  model: string | null;
  workspace: { id: string; name: string } | null;
  projectId: string | null;
  /** The generation / edit workflow that made the draft (its stable id). */
  draftWorkflowId: string | null;
  draftId: string | null;
  postId: string | null;
  /** True for a version made by the editor from other drafts. */
  edited: boolean;
  /** The posts this one remixes, nearest first. */
  remixOf: { postId: string; username: string | null }[];
};

export type OriginAssertion = {
  instance: string | null;
  kind: ExportKind;
  workspaceId: string | null;
  workspaceName: string | null;
  projectId: string | null;
  draftWorkflowId: string | null;
  draftId: string | null;
  postId: string | null;
  backend: string;
  model: string | null;
};

export type ManifestDefinition = {
  claim_generator_info: { name: string; version: string }[];
  title: string;
  format: string;
  assertions: { label: string; data: unknown }[];
  ingredients: {
    title: string;
    format: string;
    instance_id: string;
    relationship: "componentOf";
    metadata?: unknown;
  }[];
};

const postUrl = (instance: string | null, id: string) =>
  instance ? `${instance.replace(/\/$/, "")}/p/${id}` : `urn:reelhouse:post:${id}`;

export function manifestDefinition(f: ProvenanceFacts): ManifestDefinition {
  const agent = {
    name: SOFTWARE.name,
    version: SOFTWARE.version,
    // Who drew the picture: the generation backend and its model.
    ...(f.model ? { "com.reelhouse.model": f.model } : {}),
    "com.reelhouse.backend": f.backend,
  };
  const actions: Record<string, unknown>[] = [
    {
      action: "c2pa.created",
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: agent,
      parameters: {
        "com.reelhouse.backend": f.backend,
        ...(f.model ? { "com.reelhouse.model": f.model } : {}),
        ...(f.workspace ? { "com.reelhouse.workspace": f.workspace.name } : {}),
      },
    },
  ];
  if (f.edited)
    actions.push({
      action: "c2pa.edited",
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: agent,
    });
  if (f.kind === "post-download" || f.kind === "post-video" || f.kind === "draft-export")
    actions.push({
      action: "c2pa.watermarked",
      softwareAgent: agent,
      parameters: {
        description: `visible Reelhouse @creator mark and an invisible ${f.kind.startsWith("post-") ? "post" : "draft"} mark`,
      },
    });
  if (f.kind === "post-video" || f.kind === "post-poster")
    actions.push({
      action: "c2pa.transcoded",
      softwareAgent: agent,
      parameters: { description: "feed rendition" },
    });
  const origin: OriginAssertion = {
    instance: f.instance,
    kind: f.kind,
    workspaceId: f.workspace?.id ?? null,
    workspaceName: f.workspace?.name ?? null,
    projectId: f.projectId,
    draftWorkflowId: f.draftWorkflowId,
    draftId: f.draftId,
    postId: f.postId,
    backend: f.backend,
    model: f.model,
  };
  return {
    claim_generator_info: [{ ...SOFTWARE }],
    title: f.title,
    format: f.format,
    assertions: [
      { label: "c2pa.actions", data: { actions } },
      { label: ORIGIN_ASSERTION, data: origin },
    ],
    ingredients: f.remixOf.map((r, i) => ({
      title: `Reelhouse post ${r.postId}${r.username ? ` by @${r.username}` : ""}`,
      format: "video/mp4",
      instance_id: postUrl(f.instance, r.postId),
      relationship: "componentOf" as const,
      metadata: { "com.reelhouse.remixDepth": i + 1 },
    })),
  };
}
