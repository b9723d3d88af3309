import { setStatusAsGuest } from "@reelhouse/shared/review/approvals.server";
import { openReviewLink, peekReviewLink } from "@reelhouse/shared/review/links.server";
import { itemOfDraft, loadStack } from "@reelhouse/shared/review/stacks.server";
import { REVIEW_STATUSES, STATUS_LABELS } from "@reelhouse/shared/review/status";
import { WorkspaceError } from "@reelhouse/shared/workspaces/errors";
import { useState } from "react";
import { data, Form, Link, redirect, useActionData } from "react-router";
import { ReviewPlayer } from "../components/review/ReviewPlayer.tsx";
import { CsrfInput } from "../components/ui.tsx";
import { actionResult, collabUrl } from "../utils/collab.server.ts";
import { str } from "../utils/forms.server.ts";
import {
  guestCookie,
  guestFor,
  guestReviewToken,
  playerVersions,
  requireGuest,
} from "../utils/review.server.ts";
import type { Route } from "./+types/r.$token";

export function meta({ data: d }: Route.MetaArgs) {
  return [
    { title: d && "title" in d ? `${d.title} · Review · Reelhouse` : "Review · Reelhouse" },
    { name: "robots", content: "noindex" },
  ];
}

const GONE =
  "This review link was revoked, has expired, or never existed. Ask the team for a new one.";

/**
 * /r/:token — a guest's review of one version or a whole stack, no account: the guest gives a
 * name (and the passphrase, if the link has one), then sees the video, its prompt, the stack's
 * versions and every shared comment with its timecode; with comment rights they comment and draw,
 * with approval rights they set the status. Team-only notes are in a document guests cannot open.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const pool = context.services.pool;
  let peek: { needsPassphrase: boolean };
  try {
    peek = await peekReviewLink(pool, params.token);
  } catch (e) {
    if (e instanceof WorkspaceError) throw data(GONE, { status: 404 });
    throw e;
  }
  const g = await guestFor(context, request, params.token);
  if (!g) return { needsName: true as const, needsPassphrase: peek.needsPassphrase };
  const itemId = g.link.itemId ?? (g.link.draftId ? await itemOfDraft(pool, g.link.draftId) : null);
  const stack = itemId ? await loadStack(pool, itemId) : null;
  if (!stack) throw data(GONE, { status: 404 });
  const all = await playerVersions(pool, stack);
  const versions = g.link.draftId ? all.filter((v) => v.draftId === g.link.draftId) : all;
  const url = new URL(request.url);
  const wanted = url.searchParams.get("v");
  const version =
    versions.find((v) => v.draftId === wanted) ??
    versions.find((v) => v.current) ??
    versions.at(-1)!;
  const compare =
    versions.find(
      (v) => v.draftId === url.searchParams.get("compare") && v.draftId !== version.draftId,
    ) ?? null;
  return {
    needsName: false as const,
    base: `/r/${params.token}`,
    title: stack.title,
    versions,
    version,
    compare,
    name: g.name,
    rights: g.link.rights,
    canApprove: g.link.canApprove,
    allowDownload: g.link.allowDownload,
    collab: { url: collabUrl(request), token: guestReviewToken(context, g) },
    me: { id: `rguest:${g.link.id}:${g.id}`, name: g.name, guest: true },
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = str(form, "intent");
  const pool = context.services.pool;
  if (intent === "open") {
    const r = await actionResult(() =>
      openReviewLink(pool, params.token, {
        name: str(form, "name"),
        passphrase: str(form, "passphrase"),
      }),
    );
    if (!("ok" in r)) return r;
    if (!r.ok) return r;
    throw redirect(new URL(request.url).pathname + new URL(request.url).search, {
      headers: { "Set-Cookie": guestCookie(context, params.token, r.value.guestToken) },
    });
  }
  const g = await requireGuest(context, request, params.token);
  return actionResult(async () => {
    if (intent === "status")
      await setStatusAsGuest(pool, g, str(form, "draftId"), str(form, "status"));
    return { done: "Status updated." };
  });
}

export default function GuestReview({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const [revoked, setRevoked] = useState(false);
  if (d.needsName)
    return (
      <div className="review-page">
        <div className="card stack" style={{ maxWidth: 420, margin: "3rem auto" }}>
          <h1>Review</h1>
          <p>You were invited to review a video. Give your name so the team knows who commented.</p>
          <Form method="post" className="stack">
            <CsrfInput />
            <input type="hidden" name="intent" value="open" />
            <label className="field">
              Your name
              <input name="name" required maxLength={60} autoComplete="name" autoFocus />
            </label>
            {d.needsPassphrase ? (
              <label className="field">
                Passphrase
                <input name="passphrase" type="password" required autoComplete="off" />
              </label>
            ) : null}
            {result && "ok" in result && !result.ok ? (
              <p role="alert" className="alert alert-error">
                {result.error}
              </p>
            ) : null}
            <button type="submit" className="btn btn-primary">
              Open the review
            </button>
          </Form>
        </div>
      </div>
    );
  const v = d.version;
  if (revoked)
    return (
      <div className="review-page">
        <div className="review-revoked card" role="alert">
          <h2>This review is no longer available</h2>
          <p>The link was revoked or has expired. Ask the team for a new one.</p>
        </div>
      </div>
    );
  const base = d.base;
  return (
    <div className="review-page">
      <div className="review-head">
        <div>
          <p className="muted small">Reviewing as {d.name} (guest)</p>
          <h1 style={{ margin: 0 }}>
            {d.title} <span className="muted">{v.label}</span>{" "}
            <span className={`review-status ${v.status}`} data-testid="status">
              {v.statusLabel}
            </span>
          </h1>
          <p className="muted small">
            by {v.createdBy} · {new Date(v.createdAt).toLocaleString()}
          </p>
        </div>
        {d.versions.length > 1 ? (
          <nav className="review-versions" aria-label="Versions">
            {d.versions.map((x) => (
              <Link
                key={x.draftId}
                to={`?v=${x.draftId}`}
                className={`review-version ${x.draftId === v.draftId ? "on" : ""}`}
                data-testid="version"
              >
                <img src={`${base}/v/${x.draftId}/poster.jpg`} alt="" />
                <span>
                  <strong>{x.label}</strong>
                  <br />
                  <span className={`review-status ${x.status}`}>{x.statusLabel}</span>
                </span>
              </Link>
            ))}
          </nav>
        ) : null}
      </div>
      {result && "ok" in result && !result.ok ? (
        <p role="alert" className="alert alert-error">
          {result.error}
        </p>
      ) : null}
      <ReviewPlayer
        key={`${v.draftId}:${d.compare?.draftId ?? ""}`}
        version={v}
        compare={d.compare}
        media={(id, file) => `${base}/v/${id}/${file}`}
        collab={{ ...d.collab, tokenPath: `${base}/collab-token`, kinds: ["shared"] }}
        me={d.me}
        canWrite={d.rights === "comment"}
        notifyPath={`${base}/notify`}
        onRevoked={() => setRevoked(true)}
      />
      <div className="review-side">
        <section className="card stack">
          <p className="review-prompt">
            <strong>Prompt:</strong> {v.prompt || "(no prompt)"}
          </p>
          {d.canApprove ? (
            <Form method="post" className="row">
              <CsrfInput />
              <input type="hidden" name="intent" value="status" />
              <input type="hidden" name="draftId" value={v.draftId} />
              {REVIEW_STATUSES.map((s) => (
                <button
                  key={s}
                  type="submit"
                  name="status"
                  value={s}
                  className={`btn btn-sm ${v.status === s ? "btn-primary" : "btn-secondary"}`}
                >
                  {STATUS_LABELS[s]}
                </button>
              ))}
            </Form>
          ) : null}
          {d.allowDownload ? (
            <a
              className="btn btn-sm btn-secondary"
              href={`${base}/v/${v.draftId}/video.mp4?download=1`}
            >
              Download video
            </a>
          ) : null}
        </section>
      </div>
    </div>
  );
}
