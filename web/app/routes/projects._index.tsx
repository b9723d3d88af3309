import { listProjects } from "@reelhouse/shared/workspaces/projects.server";
import {
  acceptInvite,
  createWorkspace,
  declineInvite,
  listWorkspaces,
  myInvites,
} from "@reelhouse/shared/workspaces/workspaces.server";
import { Form, Link, redirect, useActionData, useNavigation } from "react-router";
import "../components/project/project.css";
import { CsrfInput, EmptyState } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { actionResult } from "../utils/collab.server";
import type { Route } from "./+types/projects._index";

export function meta() {
  return [{ title: "Workspaces · Reelhouse" }];
}

/** Your workspaces (teams) with their latest projects, pending invitations, and "new workspace". */
export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const [workspaces, invites] = await Promise.all([
    listWorkspaces(pool, user.id),
    myInvites(pool, user.id),
  ]);
  const withProjects = await Promise.all(
    workspaces.map(async (w) => {
      const projects = await listProjects(pool, user.id, w.id);
      return {
        id: w.id,
        name: w.name,
        role: w.role,
        projectCount: projects.length,
        recent: projects.slice(0, 3).map((p) => ({ id: p.id, title: p.title })),
      };
    }),
  );
  return {
    workspaces: withProjects,
    invites: invites.map((i) => ({ id: i.id, name: i.workspaceName, role: i.role })),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "create") {
    const name = String(form.get("name") ?? "");
    const r = await actionResult(() => createWorkspace(pool, user.id, name));
    if ("ok" in r && r.ok) throw redirect(`/w/${r.value.id}`);
    return r;
  }
  if (intent === "accept" || intent === "decline") {
    const id = String(form.get("inviteId") ?? "");
    return actionResult(async () => {
      if (intent === "accept") await acceptInvite(pool, user.id, id);
      else await declineInvite(pool, user.id, id);
    });
  }
  return Response.json({ ok: false, error: `Unknown action “${intent}”.` }, { status: 400 });
}

const ROLE_HINT: Record<string, string> = {
  owner: "Owner",
  editor: "Editor",
  commenter: "Commenter",
  viewer: "Viewer",
};

export default function Workspaces({ loaderData }: Route.ComponentProps) {
  const { workspaces, invites } = loaderData;
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const error = result && "ok" in result && !result.ok ? result.error : undefined;
  return (
    <div className="stack-lg rh-page">
      <header className="page-header">
        <p className="eyebrow">Projects</p>
        <h1>Your workspaces</h1>
        <p className="muted">
          A workspace is a team: its members share projects and work on prompts, storyboards and
          casting together, live.
        </p>
      </header>

      {invites.length > 0 && (
        <section className="rh-card rh-invites" aria-labelledby="invites-title">
          <h2 id="invites-title" className="rh-h3">
            Invitations
          </h2>
          <ul className="rh-list">
            {invites.map((i) => (
              <li key={i.id} className="rh-list-row">
                <span>
                  <strong>{i.name}</strong> invited you as {ROLE_HINT[i.role] ?? i.role}
                </span>
                <Form method="post" className="rh-row">
                  <CsrfInput />
                  <input type="hidden" name="inviteId" value={i.id} />
                  <button
                    name="intent"
                    value="accept"
                    className="rh-btn rh-btn-primary rh-btn-sm"
                    type="submit"
                  >
                    Accept
                  </button>
                  <button
                    name="intent"
                    value="decline"
                    className="rh-btn rh-btn-ghost rh-btn-sm"
                    type="submit"
                  >
                    Decline
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      )}

      {workspaces.length === 0 ? (
        <EmptyState title="No workspace yet" action={null}>
          <p>Create a workspace for your team, then invite people by username or with a link.</p>
        </EmptyState>
      ) : (
        <ul className="rh-grid" aria-label="Workspaces">
          {workspaces.map((w) => (
            <li key={w.id} className="rh-card rh-ws-card">
              <div className="rh-ws-head">
                <span className="rh-ws-mark" aria-hidden="true">
                  {w.name.slice(0, 1).toUpperCase()}
                </span>
                <div>
                  <h2 className="rh-h3">
                    <Link to={`/w/${w.id}`}>{w.name}</Link>
                  </h2>
                  <p className="rh-muted rh-small">
                    {ROLE_HINT[w.role]} · {w.projectCount}{" "}
                    {w.projectCount === 1 ? "project" : "projects"}
                  </p>
                </div>
              </div>
              {w.recent.length > 0 ? (
                <ul className="rh-ws-recent">
                  {w.recent.map((p) => (
                    <li key={p.id}>
                      <Link to={`/projects/${p.id}`}>{p.title}</Link>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="rh-muted rh-small">No projects yet.</p>
              )}
              <div className="rh-row">
                <Link to={`/w/${w.id}`} className="rh-btn rh-btn-sm">
                  Open
                </Link>
                <Link to={`/w/${w.id}/members`} className="rh-btn rh-btn-ghost rh-btn-sm">
                  Members
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}

      <section className="rh-card rh-create" aria-labelledby="create-ws">
        <h2 id="create-ws" className="rh-h3">
          New workspace
        </h2>
        <Form method="post" className="rh-row">
          <CsrfInput />
          <input type="hidden" name="intent" value="create" />
          <input
            name="name"
            placeholder="e.g. Northwind agency"
            maxLength={80}
            required
            aria-label="Workspace name"
            aria-invalid={error ? true : undefined}
          />
          <button type="submit" className="rh-btn rh-btn-primary" disabled={nav.state !== "idle"}>
            Create workspace
          </button>
        </Form>
        {error && (
          <p className="rh-form-error" role="alert">
            {error}
          </p>
        )}
      </section>
    </div>
  );
}
