import { redeemInviteLink } from "@reelhouse/shared/workspaces/workspaces.server";
import { Form, Link, redirect, useActionData } from "react-router";
import "../components/project/project.css";
import { CsrfInput } from "../components/ui";
import { requireUser } from "../utils/auth.server";
import { actionResult } from "../utils/collab.server";
import type { Route } from "./+types/invite.$token";

export function meta() {
  return [{ title: "Join a workspace · Reelhouse" }];
}

/** An invite link: signed-in people confirm and join with the link's role (until it expires). */
export function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  return { username: user.username };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const r = await actionResult(() =>
    redeemInviteLink(context.services.pool, user.id, params.token),
  );
  if ("ok" in r && r.ok) throw redirect(`/w/${r.value.workspaceId}`);
  return r;
}

export default function Invite({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const error = result && "ok" in result && !result.ok ? result.error : undefined;
  return (
    <div className="center-card">
      <div className="card rh-stack">
        <h1 className="card-title">Join a workspace</h1>
        <p className="muted">
          You were invited to a Reelhouse workspace. Join as <strong>@{loaderData.username}</strong>
          ?
        </p>
        {error && (
          <div className="alert alert-error" role="alert">
            {error.startsWith("Not found")
              ? "This invite link is invalid, expired or already revoked. Ask for a new one."
              : error}
          </div>
        )}
        <Form method="post" className="rh-row">
          <CsrfInput />
          <button type="submit" className="rh-btn rh-btn-primary">
            Join workspace
          </button>
          <Link to="/projects" className="rh-btn rh-btn-ghost">
            Not now
          </Link>
        </Form>
      </div>
    </div>
  );
}
