import { projectCovers } from "@reelhouse/shared/workspaces/latest-renders.server";
import {
  createProject,
  deleteProject,
  listProjects,
} from "@reelhouse/shared/workspaces/projects.server";
import { getWorkspace, listMembers } from "@reelhouse/shared/workspaces/workspaces.server";
import { Form, Link, redirect, useActionData, useNavigation } from "react-router";
import { colorFor, initialsOf } from "../components/project/colors";
import "../components/project/project.css";
import { RouteError } from "../components/project/RouteError";
import { CsrfInput, EmptyState } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { actionResult, orRespond } from "../utils/collab.server";
import type { Route } from "./+types/workspaces.$workspaceId";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `${data.workspace.name} · Reelhouse` : "Workspace · Reelhouse" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const workspace = await orRespond(() => getWorkspace(pool, user.id, params.workspaceId));
  const [projects, members] = await Promise.all([
    orRespond(() => listProjects(pool, user.id, workspace.id)),
    orRespond(() => listMembers(pool, user.id, workspace.id)),
  ]);
  const covers = await projectCovers(
    pool,
    projects.map((p) => p.id),
  );
  return {
    workspace: { id: workspace.id, name: workspace.name, role: workspace.role },
    members: members.slice(0, 8).map((m) => ({ id: m.userId, name: m.displayName || m.username })),
    memberCount: members.length,
    projects: projects.map((p) => ({
      id: p.id,
      title: p.title,
      updatedAt: p.updatedAt.toISOString(),
      cover: covers.get(p.id) ? `/projects/${p.id}/posters/${covers.get(p.id)}` : null,
    })),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    const r = await actionResult(() =>
      createProject(pool, user.id, params.workspaceId, String(form.get("title") ?? "")),
    );
    if ("ok" in r && r.ok) throw redirect(`/projects/${r.value.id}`);
    return r;
  }
  if (intent === "delete") {
    return actionResult(() => deleteProject(pool, user.id, String(form.get("projectId") ?? "")));
  }
  return Response.json({ ok: false, error: `Unknown action “${intent}”.` }, { status: 400 });
}

function updated(iso: string): string {
  const d = new Date(iso);
  const days = Math.floor((Date.now() - d.getTime()) / 86_400_000);
  return days <= 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`;
}

export default function WorkspacePage({ loaderData }: Route.ComponentProps) {
  const { workspace, projects, members, memberCount } = loaderData;
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const error = result && "ok" in result && !result.ok ? result.error : undefined;
  const canCreate = workspace.role === "owner" || workspace.role === "editor";
  return (
    <div className="stack-lg rh-page">
      <header className="page-header rh-ws-page-head">
        <div>
          <nav className="rh-breadcrumb" aria-label="Breadcrumb">
            <Link to="/projects">Workspaces</Link>
          </nav>
          <h1>{workspace.name}</h1>
          <p className="muted">
            You are {workspace.role === "owner" ? "an" : "a"} {workspace.role} ·{" "}
            <Link to={`/w/${workspace.id}/members`}>
              {memberCount} {memberCount === 1 ? "member" : "members"}
            </Link>
          </p>
        </div>
        <div className="rh-presence">
          {members.map((m) => (
            <span
              key={m.id}
              className="rh-avatar"
              title={m.name}
              style={{ background: colorFor(m.id) }}
            >
              {initialsOf(m.name)}
            </span>
          ))}
        </div>
      </header>

      {canCreate && (
        <section className="rh-card rh-create" aria-labelledby="new-project">
          <h2 id="new-project" className="rh-h3">
            New project
          </h2>
          <Form method="post" className="rh-row">
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <input
              name="title"
              placeholder="e.g. Spring launch teaser"
              maxLength={120}
              required
              aria-label="Project title"
            />
            <button type="submit" className="rh-btn rh-btn-primary" disabled={nav.state !== "idle"}>
              Create project
            </button>
          </Form>
          {error && (
            <p className="rh-form-error" role="alert">
              {error}
            </p>
          )}
        </section>
      )}

      {projects.length === 0 ? (
        <EmptyState title="No projects yet" action={null}>
          <p>
            {canCreate
              ? "Create a project to write a prompt, lay out a storyboard and cast your roles with the team."
              : "When an editor creates a project, it shows up here."}
          </p>
        </EmptyState>
      ) : (
        <ul className="rh-grid rh-project-cards" aria-label="Projects">
          {projects.map((p) => (
            <li key={p.id} className="rh-card rh-project-card">
              <Link
                to={`/projects/${p.id}`}
                className="rh-project-cover"
                aria-label={`Open ${p.title}`}
              >
                {p.cover ? (
                  <img src={p.cover} alt="" loading="lazy" />
                ) : (
                  <span className="rh-cover-placeholder" aria-hidden="true">
                    <svg
                      aria-hidden="true"
                      viewBox="0 0 24 24"
                      width="28"
                      height="28"
                      fill="none"
                      stroke="currentColor"
                      strokeWidth="1.6"
                    >
                      <rect x="3" y="5" width="18" height="14" rx="2" />
                      <path d="M10 9.5v5l4.5-2.5z" fill="currentColor" stroke="none" />
                    </svg>
                    No renders yet
                  </span>
                )}
              </Link>
              <div className="rh-project-card-body">
                <h2 className="rh-h3">
                  <Link to={`/projects/${p.id}`}>{p.title}</Link>
                </h2>
                <p className="rh-muted rh-small">Updated {updated(p.updatedAt)}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteError title404="Workspace not found" />;
}
