import { InvalidError, NotFoundError } from "@reelhouse/shared/workspaces/errors";
import { ROLES } from "@reelhouse/shared/workspaces/roles";
import { usernamesByIds } from "@reelhouse/shared/workspaces/usernames.server";
import {
  changeRole,
  createInviteLink,
  getWorkspace,
  inviteByUsername,
  listInvites,
  listMembers,
  removeMember,
  revokeInvite,
} from "@reelhouse/shared/workspaces/workspaces.server";
import { useEffect, useState } from "react";
import { Form, Link, useActionData, useFetcher, useNavigation } from "react-router";
import { colorFor, initialsOf } from "../components/project/colors";
import "../components/project/project.css";
import { RouteError } from "../components/project/RouteError";
import { CsrfInput } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { actionResult, orRespond } from "../utils/collab.server";
import { mailBaseUrl } from "../utils/mail-links.server.ts";
import type { Route } from "./+types/workspaces.$workspaceId.members";

export function meta({ data }: Route.MetaArgs) {
  return [{ title: data ? `Members · ${data.workspace.name} · Reelhouse` : "Members · Reelhouse" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const workspace = await orRespond(() => getWorkspace(pool, user.id, params.workspaceId));
  const members = await orRespond(() => listMembers(pool, user.id, workspace.id));
  const canInvite = workspace.role === "owner" || workspace.role === "editor";
  const invites = canInvite ? await orRespond(() => listInvites(pool, user.id, workspace.id)) : [];
  const names = await usernamesByIds(
    pool,
    invites.flatMap((i) => (i.inviteeId ? [i.inviteeId] : [])),
  );
  return {
    me: user.id,
    workspace: { id: workspace.id, name: workspace.name, role: workspace.role },
    members,
    invites: invites.map((i) => ({
      id: i.id,
      role: i.role,
      isLink: i.isLink,
      invitee: i.inviteeId ? (names.get(i.inviteeId) ?? "a user") : null,
      expiresAt: i.expiresAt?.toISOString() ?? null,
      createdAt: i.createdAt.toISOString(),
    })),
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const ws = params.workspaceId;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const role = String(form.get("role") ?? "") as (typeof ROLES)[number];
  switch (intent) {
    case "invite":
      return actionResult(async () => {
        const username = String(form.get("username") ?? "")
          .trim()
          .replace(/^@/, "");
        if (!username) throw new InvalidError("Enter the username of the person to invite.");
        // The workspace itself was already shown to this member: a NotFound here is the username.
        await inviteByUsername(pool, user.id, ws, username, role, {
          mailer: context.services.mailer,
          baseUrl: mailBaseUrl(context, request),
        }).catch((e) => {
          if (e instanceof NotFoundError && /user/.test(e.message))
            throw new InvalidError(
              `Nobody on Reelhouse is called @${username}. Check the spelling.`,
            );
          throw e;
        });
        return {
          message: `Invited @${username}. We emailed them; they accept from their Projects page.`,
        };
      });
    case "link":
      return actionResult(async () => {
        const { token } = await createInviteLink(
          pool,
          user.id,
          ws,
          role,
          Number(form.get("ttl") ?? 0),
        );
        return { link: `/invite/${token}` };
      });
    case "revoke":
      return actionResult(() =>
        revokeInvite(pool, user.id, ws, String(form.get("inviteId") ?? "")),
      );
    case "role":
      return actionResult(() =>
        changeRole(pool, user.id, ws, String(form.get("userId") ?? ""), role),
      );
    case "remove":
      return actionResult(() => removeMember(pool, user.id, ws, String(form.get("userId") ?? "")));
    default:
      return Response.json({ ok: false, error: `Unknown action “${intent}”.` }, { status: 400 });
  }
}

function RoleSelect(props: {
  name?: string;
  defaultValue: string;
  disabled?: boolean;
  onChange?: (v: string) => void;
  label: string;
}) {
  return (
    <select
      name={props.name ?? "role"}
      defaultValue={props.defaultValue}
      disabled={props.disabled}
      aria-label={props.label}
      onChange={(e) => props.onChange?.(e.target.value)}
    >
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r[0]!.toUpperCase() + r.slice(1)}
        </option>
      ))}
    </select>
  );
}

function MemberRow(props: {
  m: { userId: string; username: string; displayName: string; role: string };
  canManage: boolean;
  me: string;
}) {
  const f = useFetcher<{ ok: boolean; error?: string }>();
  const { m } = props;
  return (
    <li className="rh-list-row" data-testid="member">
      <span className="rh-member">
        <span className="rh-avatar" aria-hidden="true" style={{ background: colorFor(m.userId) }}>
          {initialsOf(m.displayName || m.username)}
        </span>
        <span>
          <strong>{m.displayName || m.username}</strong>{" "}
          <span className="rh-muted">@{m.username}</span>
          {m.userId === props.me && <span className="rh-badge">you</span>}
        </span>
      </span>
      {props.canManage ? (
        <span className="rh-row">
          <RoleSelect
            defaultValue={m.role}
            label={`Role of @${m.username}`}
            onChange={(role) =>
              f.submit(
                { intent: "role", userId: m.userId, role, csrf: csrfFromDom() },
                { method: "post" },
              )
            }
          />
          <f.Form
            method="post"
            onSubmit={(e) =>
              !window.confirm(`Remove @${m.username} from the workspace?`) && e.preventDefault()
            }
          >
            <CsrfInput />
            <input type="hidden" name="intent" value="remove" />
            <input type="hidden" name="userId" value={m.userId} />
            <button type="submit" className="rh-btn rh-btn-ghost rh-btn-xs rh-danger">
              Remove
            </button>
          </f.Form>
        </span>
      ) : (
        <span className="rh-pill">{m.role}</span>
      )}
      {f.data && !f.data.ok && (
        <p className="rh-form-error rh-full" role="alert">
          {f.data.error}
        </p>
      )}
    </li>
  );
}

/** The CSRF token rendered in any hidden field on the page (for fetcher.submit with an object). */
function csrfFromDom(): string {
  return document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? "";
}

export default function Members({ loaderData }: Route.ComponentProps) {
  const { workspace, members, invites, me } = loaderData;
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const isOwner = workspace.role === "owner";
  const canInvite = isOwner || workspace.role === "editor";
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const value =
    result && "ok" in result && result.ok
      ? (result.value as { message?: string; link?: string } | undefined)
      : undefined;
  const error = result && "ok" in result && !result.ok ? result.error : undefined;
  return (
    <div className="stack-lg rh-page">
      <header className="page-header">
        <nav className="rh-breadcrumb" aria-label="Breadcrumb">
          <Link to="/projects">Workspaces</Link> <span aria-hidden="true">/</span>{" "}
          <Link to={`/w/${workspace.id}`}>{workspace.name}</Link>
        </nav>
        <h1>Members</h1>
        <p className="muted">
          Owners manage members and roles. Editors change prompts and storyboards, commenters
          comment, viewers only look.
        </p>
      </header>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {value?.message && (
        <div className="alert alert-success" role="status">
          {value.message}
        </div>
      )}
      {value?.link && (
        <div className="alert alert-success rh-share-new" role="status">
          <p>
            Invite link created. Anyone signed in who opens it joins with that role until it
            expires:
          </p>
          <input
            readOnly
            value={`${origin}${value.link}`}
            aria-label="Invite link"
            onFocus={(e) => e.currentTarget.select()}
            data-testid="invite-link"
          />
        </div>
      )}
      <section className="rh-card" aria-labelledby="members-title">
        <h2 id="members-title" className="rh-h3">
          {members.length} {members.length === 1 ? "member" : "members"}
        </h2>
        <ul className="rh-list">
          {members.map((m) => (
            <MemberRow key={m.userId} m={m} canManage={isOwner} me={me} />
          ))}
        </ul>
      </section>
      {canInvite && (
        <div className="rh-two">
          <section className="rh-card" aria-labelledby="invite-user">
            <h2 id="invite-user" className="rh-h3">
              Invite by username
            </h2>
            <Form method="post" className="rh-row rh-wrap">
              <CsrfInput />
              <input type="hidden" name="intent" value="invite" />
              <input
                name="username"
                placeholder="@username"
                required
                maxLength={31}
                aria-label="Username"
              />
              <RoleSelect defaultValue="editor" label="Role for the invitee" />
              <button
                type="submit"
                className="rh-btn rh-btn-primary"
                disabled={nav.state !== "idle"}
              >
                Invite
              </button>
            </Form>
          </section>
          <section className="rh-card" aria-labelledby="invite-link">
            <h2 id="invite-link" className="rh-h3">
              Invite link
            </h2>
            <Form method="post" className="rh-row rh-wrap">
              <CsrfInput />
              <input type="hidden" name="intent" value="link" />
              <RoleSelect defaultValue="commenter" label="Role for people joining by link" />
              <select name="ttl" defaultValue="604800" aria-label="Link expires">
                <option value="3600">Expires in 1 hour</option>
                <option value="86400">Expires in 1 day</option>
                <option value="604800">Expires in 7 days</option>
                <option value="2592000">Expires in 30 days</option>
              </select>
              <button type="submit" className="rh-btn" disabled={nav.state !== "idle"}>
                Create link
              </button>
            </Form>
          </section>
        </div>
      )}
      {canInvite && invites.length > 0 && (
        <section className="rh-card" aria-labelledby="pending-title">
          <h2 id="pending-title" className="rh-h3">
            Pending invitations
          </h2>
          <ul className="rh-list">
            {invites.map((i) => (
              <li key={i.id} className="rh-list-row">
                <span>
                  {i.isLink ? "Invite link" : `@${i.invitee}`} · {i.role}
                  <span className="rh-muted">
                    {" "}
                    ·{" "}
                    {i.expiresAt
                      ? `expires ${new Date(i.expiresAt).toLocaleString()}`
                      : "no expiry"}
                  </span>
                </span>
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="inviteId" value={i.id} />
                  <button type="submit" className="rh-btn rh-btn-ghost rh-btn-xs rh-danger">
                    Revoke
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteError title404="Workspace not found" />;
}
