import { z } from "zod";

/**
 * Document naming scheme for the collab server: `project.<projectId>.<kind>`, one Yjs document per
 * kind. See docs/collab-spec.md [C1].
 */
export const DOC_KINDS = ["prompt", "storyboard", "casting", "comments"] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export const docKindSchema = z.enum(DOC_KINDS);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An edit's timeline (issue 13): `project.<projectId>.edit-<editId>`, one per edit, not one per
 * project, so it is not a DocKind (project snapshots and restores cover the four above only).
 */
export type EditDocRef = { projectId: string; kind: "edit"; editId: string };

export type DocRef = { projectId: string; kind: DocKind } | EditDocRef;

/** What a connection's document is: a project document kind, or an edit's timeline. */
export type AnyDocKind = DocKind | "edit";

export function editDocName(projectId: string, editId: string): string {
  if (!UUID.test(projectId) || !UUID.test(editId)) throw new Error("not a project or edit id");
  return `project.${projectId}.edit-${editId}`;
}

export function docName(projectId: string, kind: DocKind): string {
  if (!UUID.test(projectId)) throw new Error(`not a project id: ${projectId}`);
  return `project.${projectId}.${kind}`;
}

/** All document names of a project. */
export function projectDocNames(projectId: string): Record<DocKind, string> {
  return Object.fromEntries(DOC_KINDS.map((k) => [k, docName(projectId, k)])) as Record<
    DocKind,
    string
  >;
}

/** Parses a document name; null for anything that is not exactly `project.<uuid>.<kind>` or `project.<uuid>.edit-<uuid>`. */
export function parseDocName(name: string): DocRef | null {
  if (name.length > 100) return null;
  const parts = name.split(".");
  if (parts.length !== 3 || parts[0] !== "project") return null;
  const [, projectId, kind] = parts as [string, string, string];
  if (!UUID.test(projectId)) return null;
  if (kind.startsWith("edit-")) {
    const editId = kind.slice(5);
    return UUID.test(editId) ? { projectId, kind: "edit", editId } : null;
  }
  const k = docKindSchema.safeParse(kind);
  if (!k.success) return null;
  return { projectId, kind: k.data };
}
