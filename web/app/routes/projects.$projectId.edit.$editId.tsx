import { getProject } from "@reelhouse/shared/workspaces/projects.server";
import { Link } from "react-router";
import { Editor } from "../components/edit/Editor";
import type { EditorSource, SpriteLayout } from "../components/edit/types";
import "../components/project/project.css";
import "../components/generation/generation.css";
import "../components/edit/editor.css";
import { RouteError } from "../components/project/RouteError";
import { useCsrfToken } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { collabUrl, memberCollabToken, orRespond } from "../utils/collab.server";
import { draftsWithExtensions, editServiceFor } from "../utils/edit.server";
import type { Route } from "./+types/projects.$projectId.edit.$editId";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `${data.title || "Edit"} · Reelhouse` : "Edit · Reelhouse" }];
}

function spriteLayout(v: unknown): SpriteLayout | null {
  const s = v as Partial<SpriteLayout> | null;
  return s &&
    typeof s.columns === "number" &&
    typeof s.rows === "number" &&
    typeof s.count === "number"
    ? (s as SpriteLayout)
    : null;
}

/**
 * The editor page of one edit (issue 13): the live timeline document, the sources as URLs (never
 * paths) with their backend (Extend needs previz) and their finished Extend results (revalidated
 * when an extension finishes, so it can go on the timeline), and the person's role. 404 for an edit the person cannot see or of another project.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const project = await orRespond(() =>
    getProject(context.services.pool, user.id, params.projectId),
  );
  const service = await editServiceFor(context);
  const edit = await service.getEdit(user.id, params.editId);
  if (!edit || edit.projectId !== project.id) throw new Response("No such edit.", { status: 404 });
  const base = `/projects/${project.id}/drafts`;
  // The drafts the list refers to and their Extend results (same probe numbers as the service's).
  const rows = await draftsWithExtensions(context, project.id, Object.keys(edit.sources));
  const sources: Record<string, EditorSource> = Object.fromEntries(
    rows.map((s) => [
      s.id,
      {
        draftId: s.id,
        videoUrl: `${base}/${s.id}/video.mp4`,
        posterUrl: `${base}/${s.id}/poster.jpg`,
        spriteUrl: `${base}/${s.id}/sprite.jpg`,
        peaksUrl: `${base}/${s.id}/peaks.json`,
        sprite: spriteLayout(s.sprite),
        width: s.width,
        height: s.height,
        fps: s.fps,
        frames: s.frames,
        label: s.prompt.split("\n")[0]!.slice(0, 80),
        backend: s.backend,
        extendOf: s.extendOf,
      },
    ]),
  );
  return {
    projectId: project.id,
    projectTitle: project.title,
    editId: edit.id,
    title: edit.title,
    docName: `project.${project.id}.edit-${edit.id}`,
    edl: edit.edl,
    sources,
    canEdit: project.role === "owner" || project.role === "editor",
    user: { id: user.id, name: user.displayName || user.username },
    collabUrl: collabUrl(request),
    token: memberCollabToken(context, user),
  };
}

export default function EditPage({ loaderData: d }: Route.ComponentProps) {
  const csrf = useCsrfToken();
  if (d.edl.clips.length === 0) {
    return (
      <div className="rh-ed-empty">
        <p>This edit has no clips.</p>
        <Link to={`/projects/${d.projectId}`}>Back to the project</Link>
      </div>
    );
  }
  return (
    <Editor
      key={d.editId}
      projectId={d.projectId}
      projectTitle={d.projectTitle}
      editId={d.editId}
      title={d.title}
      docName={d.docName}
      collabUrl={d.collabUrl}
      token={d.token}
      user={d.user}
      canEdit={d.canEdit}
      csrf={csrf}
      initial={d.edl}
      sources={d.sources}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError title404="Edit not found" />;
}
