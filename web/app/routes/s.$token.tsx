import type { DocKind } from "@reelhouse/shared/collab/docs";
import {
  listThreads,
  type Shot,
  type Thread,
  type TxOrigin,
} from "@reelhouse/shared/collab/schema";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { shotPosters } from "@reelhouse/shared/workspaces/latest-renders.server";
import { resolveShareToken } from "@reelhouse/shared/workspaces/share-links.server";
import { sharedProjectTitle } from "@reelhouse/shared/workspaces/share-view.server";
import { useCallback, useMemo, useState } from "react";
import { Form } from "react-router";
import { Comments } from "../components/project/Comments";
import { useProjectSession, useSessionState, useY } from "../components/project/hooks";
import { StatusIndicator } from "../components/project/Presence";
import { posterFor } from "../components/project/ProjectWorkspace";
import { CommentIcon, formatDuration } from "../components/project/Storyboard";
import "../components/project/project.css";
import { listShots } from "@reelhouse/shared/collab/schema";
import { RouteError } from "../components/project/RouteError";
import { useCsrfToken } from "../components/ui";
import { collabUrl, guestCollabToken } from "../utils/collab.server";
import { guestName } from "../utils/guest";
import type { Route } from "./+types/s.$token";

export function meta({ data }: Route.MetaArgs) {
  return [
    {
      title: data && "title" in data ? `${data.title} · Review · Reelhouse` : "Review · Reelhouse",
    },
    { name: "robots", content: "noindex" },
  ];
}

/**
 * A guest's review page: the storyboard with its latest renders, read-only; with a comment link,
 * the guest comments under a display name. No account needed; the link is the authorization, and
 * the collab server re-checks it on every connection (a revoked link cuts the session).
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const pool = context.services.pool;
  let link: Awaited<ReturnType<typeof resolveShareToken>>;
  try {
    link = await resolveShareToken(pool, params.token);
  } catch (e) {
    if (e instanceof WorkspaceError)
      throw new Response(
        "This review link was revoked, has expired, or never existed. Ask the team for a new one.",
        {
          status: 404,
        },
      );
    throw e;
  }
  const url = new URL(request.url);
  const rawName = url.searchParams.get("name");
  const title = await sharedProjectTitle(pool, link);
  const needsName = link.rights === "comment" && !rawName;
  const name = guestName(rawName);
  return {
    title,
    rights: link.rights,
    projectId: link.projectId,
    needsName,
    name,
    collabUrl: collabUrl(request),
    token: needsName ? "" : guestCollabToken(context, link.id, name),
    tokenPath: `/s/${params.token}/collab-token?name=${encodeURIComponent(name)}`,
    posterBase: `/s/${params.token}/posters`,
    posters: await shotPosters(pool, link.projectId),
  };
}

function tokenSubject(token: string): string | null {
  try {
    const body = token.split(".")[0] ?? "";
    const json = JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
    return typeof json.sub === "string" ? json.sub : null;
  } catch {
    return null;
  }
}

const GUEST_KINDS: readonly DocKind[] = ["storyboard", "comments"];

export default function GuestReview({ loaderData: d }: Route.ComponentProps) {
  if (d.needsName) {
    return (
      <div className="center-card">
        <div className="card rh-stack">
          <p className="eyebrow">Review</p>
          <h1 className="card-title">{d.title}</h1>
          <p className="muted">
            You were invited to review this storyboard and leave comments. Tell the team who you
            are:
          </p>
          <Form method="get" className="rh-row">
            <input
              name="name"
              placeholder="Your name"
              maxLength={40}
              required
              aria-label="Your name"
              autoFocus
            />
            <button type="submit" className="rh-btn rh-btn-primary">
              Open the storyboard
            </button>
          </Form>
        </div>
      </div>
    );
  }
  return <GuestSession d={d} />;
}

function GuestSession({ d }: { d: Route.ComponentProps["loaderData"] }) {
  // The comment author id is the token's subject (`guest:<link id>:<random>`), as the server sees it.
  const [guestId] = useState(
    () => tokenSubject(d.token) ?? `guest:${Math.random().toString(36).slice(2, 10)}`,
  );
  const opts = useMemo(
    () => ({
      url: d.collabUrl,
      projectId: d.projectId,
      kinds: GUEST_KINDS,
      user: { id: guestId, name: d.name },
      token: d.token,
      tokenPath: d.tokenPath,
      offline: false,
    }),
    [d.collabUrl, d.projectId, d.name, d.tokenPath, d.token, guestId],
  );
  const session = useProjectSession(opts);
  const { status, denied } = useSessionState(session);
  const shots = useY(session?.docs.storyboard, "shots", listShots, [] as Shot[]);
  const threads = useY(session?.docs.comments, "threads", listThreads, [] as Thread[]);
  const [pending, setPending] = useState<{ kind: "shot"; shotId: string } | null>(null);
  const origin: TxOrigin = useMemo(() => ({ kind: "user", userId: guestId }), [guestId]);
  const shotLabel = useCallback(
    (id: string) => {
      const i = shots.findIndex((s) => s.id === id);
      return i < 0 ? null : `Shot ${i + 1}`;
    },
    [shots],
  );
  const total = shots.reduce((s, x) => s + x.durationSeconds, 0);
  // After a comment is posted, the project's members are notified (the server reads it from the
  // stored document; 409 until the collab server has stored it, so retry briefly).
  const csrf = useCsrfToken();
  const notifyTeam = useCallback(
    async (messageId: string) => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const res = await fetch(`${d.tokenPath.split("/collab-token")[0]}/notify`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": csrf },
          body: JSON.stringify({ messageId, token: d.token }),
        }).catch(() => null);
        if (res && res.status !== 409) return;
        await new Promise((r) => setTimeout(r, 400 * (attempt + 1)));
      }
    },
    [csrf, d.token, d.tokenPath],
  );
  const canComment = d.rights === "comment";

  if (denied) {
    return (
      <div className="center-card">
        <div className="card rh-stack" data-testid="guest-denied">
          <h1 className="card-title">This review link no longer works</h1>
          <p className="muted">{denied} Ask the team for a new link.</p>
        </div>
      </div>
    );
  }

  return (
    <div className="rh-page rh-guest">
      <header className="rh-project-head">
        <div>
          <p className="eyebrow">Review · {canComment ? "you can comment" : "view only"}</p>
          <h1 className="rh-project-name">{d.title}</h1>
          <p className="rh-muted rh-small">
            {shots.length} {shots.length === 1 ? "shot" : "shots"} · {formatDuration(total)} total
            {canComment && ` · commenting as ${d.name}`}
          </p>
        </div>
        <StatusIndicator status={status} />
      </header>
      <div className="rh-project-grid">
        <div className="rh-project-main">
          {shots.length === 0 ? (
            <div className="rh-empty">
              <p className="rh-empty-title">
                {session ? "The storyboard is empty" : "Loading the storyboard…"}
              </p>
            </div>
          ) : (
            <ol className="rh-shots rh-shots-readonly">
              {shots.map((s, i) => {
                const poster = posterFor(d.posters, s, d.posterBase);
                const open = threads.filter(
                  (t) => !t.resolved && t.anchor.kind === "shot" && t.anchor.shotId === s.id,
                ).length;
                return (
                  <li key={s.id} className="rh-shot" data-testid="shot">
                    <div className="rh-shot-media">
                      {poster ? (
                        <img src={poster} alt={`Latest render of shot ${i + 1}`} loading="lazy" />
                      ) : (
                        <div className="rh-shot-placeholder" aria-hidden="true">
                          <span className="rh-shot-number">{String(i + 1).padStart(2, "0")}</span>
                          <span className="rh-shot-ph-label">Not rendered yet</span>
                        </div>
                      )}
                      <span className="rh-shot-duration">{s.durationSeconds}s</span>
                    </div>
                    <div className="rh-shot-body">
                      <div className="rh-shot-top">
                        <strong className="rh-shot-title">Shot {i + 1}</strong>
                        <span className="rh-muted rh-small">
                          {s.transition}
                          {s.camera && ` · ${s.camera}`}
                        </span>
                        {canComment && (
                          <button
                            type="button"
                            className="rh-btn rh-btn-ghost rh-btn-xs rh-shot-actions"
                            onClick={() => setPending({ kind: "shot", shotId: s.id })}
                          >
                            <CommentIcon /> Comment{open > 0 ? ` (${open})` : ""}
                          </button>
                        )}
                      </div>
                      <p className="rh-shot-text">
                        {s.prompt || <em className="rh-muted">No prompt yet</em>}
                      </p>
                      {s.notes && <p className="rh-muted rh-small">{s.notes}</p>}
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
        </div>
        <div className="rh-project-side">
          <section className="rh-card">
            <h2 className="rh-h3">Comments</h2>
            <Comments
              doc={session?.docs.comments}
              author={{ id: guestId, name: d.name }}
              canComment={canComment}
              origin={origin}
              members={[]}
              shotLabel={shotLabel}
              pending={pending}
              onClearPending={() => setPending(null)}
              textAnchors={false}
              canResolve={false}
              onPosted={notifyTeam}
            />
          </section>
        </div>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return (
    <RouteError
      title404="This review link no longer works"
      back={{ to: "/", label: "Reelhouse home" }}
    />
  );
}
