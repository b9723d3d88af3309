import { shotPosters } from "@reelhouse/shared/workspaces/latest-renders.server";
import { getProject, renameProject } from "@reelhouse/shared/workspaces/projects.server";
import {
  createShareLink,
  listShareLinks,
  revokeShareLink,
} from "@reelhouse/shared/workspaces/share-links.server";
import {
  createSnapshot,
  listSnapshots,
  restoreSnapshot,
} from "@reelhouse/shared/workspaces/snapshots.server";
import { getWorkspace, listMembers } from "@reelhouse/shared/workspaces/workspaces.server";
import { useState } from "react";
import { Link, useFetcher } from "react-router";
import { HistoryDialog } from "../components/project/HistoryDialog";
import { ProjectWorkspace } from "../components/project/ProjectWorkspace";
import { ShareDialog } from "../components/project/ShareDialog";
import "../components/project/project.css";
import { RouteError } from "../components/project/RouteError";
import { CsrfInput } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { actionResult, collabUrl, memberCollabToken, orRespond } from "../utils/collab.server";
import type { Route } from "./+types/projects.$projectId";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `${data.project.title} · Reelhouse` : "Project · Reelhouse" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const project = await orRespond(() => getProject(pool, user.id, params.projectId));
  const [workspace, members, snapshots, posters] = await Promise.all([
    orRespond(() => getWorkspace(pool, user.id, project.workspaceId)),
    orRespond(() => listMembers(pool, user.id, project.workspaceId)),
    orRespond(() => listSnapshots(pool, user.id, project.id)),
    shotPosters(pool, project.id),
  ]);
  const canManage = project.role === "owner" || project.role === "editor";
  const links = canManage ? await orRespond(() => listShareLinks(pool, user.id, project.id)) : [];
  return {
    project: { id: project.id, title: project.title, role: project.role },
    workspace: { id: workspace.id, name: workspace.name },
    user: { id: user.id, name: user.displayName || user.username },
    members: members.map((m) => ({
      userId: m.userId,
      username: m.username,
      displayName: m.displayName,
    })),
    collabUrl: collabUrl(request),
    token: memberCollabToken(context, user),
    posters,
    links: links.map((l) => ({
      id: l.id,
      rights: l.rights,
      createdAt: l.createdAt.toISOString(),
      expiresAt: l.expiresAt?.toISOString() ?? null,
      revokedAt: l.revokedAt?.toISOString() ?? null,
    })),
    snapshots: snapshots.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      createdAt: s.createdAt.toISOString(),
      createdBy: s.createdBy,
    })),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const projectId = params.projectId;
  switch (intent) {
    case "createShare": {
      const rights = form.get("rights") === "view" ? "view" : "comment";
      const ttlRaw = String(form.get("ttl") ?? "");
      const ttlSeconds = ttlRaw ? Number(ttlRaw) : undefined;
      return actionResult(async () => {
        const { token } = await createShareLink(pool, user.id, projectId, { rights, ttlSeconds });
        return { token };
      });
    }
    case "revokeShare":
      return actionResult(() => revokeShareLink(pool, user.id, String(form.get("linkId") ?? "")));
    case "snapshot":
      return actionResult(async () => {
        const s = await createSnapshot(pool, user.id, projectId, String(form.get("name") ?? ""));
        return { id: s.id };
      });
    case "restore":
      return actionResult(async () => {
        const r = await restoreSnapshot(pool, user.id, String(form.get("snapshotId") ?? ""));
        return { undoSnapshot: { id: r.undoSnapshot.id, name: r.undoSnapshot.name } };
      });
    case "rename":
      return actionResult(() =>
        renameProject(pool, user.id, projectId, String(form.get("title") ?? "")),
      );
    default:
      return Response.json({ ok: false, error: `Unknown action “${intent}”.` }, { status: 400 });
  }
}

function Title(props: {
  title: string;
  workspace: { id: string; name: string };
  canRename: boolean;
}) {
  const rename = useFetcher<{ ok: boolean; error?: string }>();
  const [editing, setEditing] = useState(false);
  return (
    <div>
      <nav className="rh-breadcrumb" aria-label="Breadcrumb">
        <Link to="/projects">Workspaces</Link> <span aria-hidden="true">/</span>{" "}
        <Link to={`/w/${props.workspace.id}`}>{props.workspace.name}</Link>
      </nav>
      {editing ? (
        <rename.Form method="post" className="rh-row" onSubmit={() => setEditing(false)}>
          <CsrfInput />
          <input type="hidden" name="intent" value="rename" />
          <input
            name="title"
            defaultValue={props.title}
            maxLength={120}
            required
            autoFocus
            aria-label="Project title"
          />
          <button type="submit" className="rh-btn rh-btn-sm rh-btn-primary">
            Save
          </button>
          <button
            type="button"
            className="rh-btn rh-btn-sm rh-btn-ghost"
            onClick={() => setEditing(false)}
          >
            Cancel
          </button>
        </rename.Form>
      ) : (
        <h1 className="rh-project-name">
          {props.title}
          {props.canRename && (
            <button
              type="button"
              className="rh-btn rh-btn-ghost rh-btn-xs"
              onClick={() => setEditing(true)}
            >
              Rename
            </button>
          )}
        </h1>
      )}
      {rename.data && !rename.data.ok && <p className="rh-form-error">{rename.data.error}</p>}
    </div>
  );
}

export default function ProjectPage({ loaderData: d }: Route.ComponentProps) {
  const [share, setShare] = useState(false);
  const [history, setHistory] = useState(false);
  const canManage = d.project.role === "owner" || d.project.role === "editor";
  const names = Object.fromEntries(d.members.map((m) => [m.userId, m.displayName || m.username]));
  return (
    <>
      <ProjectWorkspace
        projectId={d.project.id}
        collabUrl={d.collabUrl}
        token={d.token}
        tokenPath={`/projects/${d.project.id}/collab-token`}
        user={d.user}
        role={d.project.role}
        members={d.members}
        posters={d.posters}
        title={<Title title={d.project.title} workspace={d.workspace} canRename={canManage} />}
        actions={
          <>
            <button type="button" className="rh-btn rh-btn-sm" onClick={() => setHistory(true)}>
              History
            </button>
            {canManage && (
              <button
                type="button"
                className="rh-btn rh-btn-sm rh-btn-primary"
                onClick={() => setShare(true)}
              >
                Share
              </button>
            )}
          </>
        }
      />
      <ShareDialog
        open={share}
        onClose={() => setShare(false)}
        links={d.links}
        canManage={canManage}
      />
      <HistoryDialog
        open={history}
        onClose={() => setHistory(false)}
        projectId={d.project.id}
        snapshots={d.snapshots}
        canRestore={canManage}
        names={names}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title404="Project not found" />;
}
