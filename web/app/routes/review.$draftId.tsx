import { setStatusAsMember, statusHistory } from "@reelhouse/shared/review/approvals.server";
import {
  createReviewLink,
  listReviewLinks,
  revokeReviewLink,
} from "@reelhouse/shared/review/links.server";
import {
  getReviewSettings,
  setReviewSettings,
} from "@reelhouse/shared/review/publish-rules.server";
import { PUBLISH_RULE_TEXT, PUBLISH_RULES } from "@reelhouse/shared/review/rules";
import { getStackForMember, makeCurrent } from "@reelhouse/shared/review/stacks.server";
import { REVIEW_STATUSES, STATUS_LABELS } from "@reelhouse/shared/review/status";
import { UPLOAD_LIMITS } from "@reelhouse/shared/review/upload";
import { atLeast } from "@reelhouse/shared/workspaces/roles";
import { Form, Link, useActionData, useSearchParams } from "react-router";
import { ReviewPlayer } from "../components/review/ReviewPlayer.tsx";
import { UploadVersion } from "../components/review/UploadVersion.tsx";
import { CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { actionResult, collabUrl, memberCollabToken, orRespond } from "../utils/collab.server.ts";
import { str } from "../utils/forms.server.ts";
import { playerVersions } from "../utils/review.server.ts";
import type { Route } from "./+types/review.$draftId";

export function meta({ data }: Route.MetaArgs) {
  return [
    {
      title: data
        ? `${data.title} ${data.version.label} · Review · Reelhouse`
        : "Review · Reelhouse",
    },
  ];
}

/**
 * /review/:draftId — the review player for a version, for members of its workspace: the stack
 * (v1, v2, … with status, and "Upload new version" for editors), the player with comments and drawings, compare (?compare=<draftId>),
 * approval status, review links and the workspace's publishing rules.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const { stack, role } = await orRespond(() => getStackForMember(pool, user.id, params.draftId));
  const versions = await playerVersions(pool, stack);
  const version = versions.find((v) => v.draftId === params.draftId)!;
  const compareId = new URL(request.url).searchParams.get("compare");
  const compare =
    versions.find((v) => v.draftId === compareId && v.draftId !== version.draftId) ?? null;
  const editor = atLeast(role, "editor");
  const links = editor ? await listReviewLinks(pool, user.id, stack.projectId) : [];
  return {
    title: stack.title,
    projectId: stack.projectId,
    workspaceId: stack.workspaceId,
    versions,
    version,
    compare,
    role,
    editor,
    owner: role === "owner",
    uploadMaxBytes: UPLOAD_LIMITS.maxBytes,
    settings: await getReviewSettings(pool, stack.workspaceId),
    history: (await statusHistory(pool, version.draftId)).map((e) => ({
      status: STATUS_LABELS[e.status],
      by: `${e.by.name}${e.by.guest ? " (guest)" : ""}`,
      at: e.at.toISOString(),
    })),
    links: links
      .filter((l) => l.draftId === version.draftId || l.itemId === stack.itemId)
      .map((l) => ({
        id: l.id,
        scope: l.draftId ? "this version" : "the whole stack",
        rights: l.rights,
        canApprove: l.canApprove,
        allowDownload: l.allowDownload,
        hasPassphrase: l.hasPassphrase,
        expiresAt: l.expiresAt?.toISOString() ?? null,
        revoked: l.revokedAt !== null,
      })),
    collab: { url: collabUrl(request), token: memberCollabToken(context, user) },
    me: { id: user.id, name: user.displayName || user.username, guest: false },
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const form = await request.formData();
  const intent = str(form, "intent");
  return actionResult(async () => {
    if (intent === "status") {
      await setStatusAsMember(pool, user.id, params.draftId, str(form, "status"));
      return { done: "Status updated." };
    }
    if (intent === "current") {
      await makeCurrent(pool, user.id, params.draftId);
      return { done: "This version is now the current one." };
    }
    if (intent === "link") {
      const ttlDays = Number(str(form, "ttlDays") || 0);
      const { token } = await createReviewLink(pool, user.id, {
        draftId: params.draftId,
        stack: str(form, "scope") === "stack",
        rights: str(form, "rights") || "view",
        canApprove: form.get("canApprove") === "on",
        allowDownload: form.get("allowDownload") === "on",
        passphrase: str(form, "passphrase") || undefined,
        ttlSeconds: ttlDays > 0 ? Math.round(ttlDays * 86400) : undefined,
      });
      return { done: "Review link created.", linkUrl: `${new URL(request.url).origin}/r/${token}` };
    }
    if (intent === "revoke") {
      await revokeReviewLink(pool, user.id, str(form, "linkId"));
      return { done: "Link revoked: its guests are cut off." };
    }
    if (intent === "settings") {
      const { stack } = await getStackForMember(pool, user.id, params.draftId);
      await setReviewSettings(pool, user.id, stack.workspaceId, {
        requireApproval: form.get("requireApproval") === "on",
        publishRule: str(form, "publishRule"),
      });
      return { done: "Publishing rules saved." };
    }
    return { done: "" };
  });
}

export default function Review({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const v = d.version;
  return (
    <div className="review-page">
      <div className="review-head">
        <div>
          <p className="muted small">
            <Link to={`/projects/${d.projectId}`}>← Project</Link> · Review
          </p>
          <h1 style={{ margin: 0 }}>
            {d.title} <span className="muted">{v.label}</span>{" "}
            <span className={`review-status ${v.status}`} data-testid="status">
              {v.statusLabel}
            </span>
          </h1>
          <p className="muted small">
            by {v.createdBy} · {new Date(v.createdAt).toLocaleString()}
            {v.statusBy ? ` · ${v.statusLabel} by ${v.statusBy}` : ""}
          </p>
        </div>
        <nav className="review-versions" aria-label="Versions">
          {d.versions.map((x) => (
            <Link
              key={x.draftId}
              to={`/review/${x.draftId}`}
              className={`review-version ${x.draftId === v.draftId ? "on" : ""}`}
              data-testid="version"
            >
              <img src={`/projects/${d.projectId}/drafts/${x.draftId}/poster.jpg`} alt="" />
              <span>
                <strong>{x.label}</strong>
                {x.current ? " ★" : ""}
                <br />
                <span className={`review-status ${x.status}`}>{x.statusLabel}</span>
              </span>
            </Link>
          ))}
          {d.editor ? (
            <UploadVersion key={v.draftId} draftId={v.draftId} maxBytes={d.uploadMaxBytes} />
          ) : null}
        </nav>
      </div>
      {result && !result.ok ? (
        <p role="alert" className="alert alert-error">
          {result.error}
        </p>
      ) : result?.ok && result.value.done ? (
        <p role="status" className="alert">
          {result.value.done}{" "}
          {"linkUrl" in result.value && result.value.linkUrl ? (
            <code data-testid="link-url">{result.value.linkUrl}</code>
          ) : null}
        </p>
      ) : null}
      <ReviewPlayer
        key={`${v.draftId}:${d.compare?.draftId ?? ""}`}
        version={v}
        compare={d.compare}
        media={(id, file) => `/projects/${d.projectId}/drafts/${id}/${file}`}
        collab={{
          ...d.collab,
          tokenPath: `/review/${v.draftId}/collab-token`,
          kinds: ["shared", "team"],
        }}
        me={d.me}
        canWrite={d.role !== "viewer"}
        notifyPath={`/review/${v.draftId}/notify`}
      />
      <div className="review-side">
        <section className="card stack">
          <h2>Status</h2>
          {d.editor ? (
            <Form method="post" className="row">
              <CsrfInput />
              <input type="hidden" name="intent" value="status" />
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
          ) : (
            <p className="muted small">Owners and editors set the status.</p>
          )}
          {d.history.length ? (
            <ol className="small">
              {d.history.map((h) => (
                <li key={h.at + h.status}>
                  {h.status} — {h.by}, {new Date(h.at).toLocaleString()}
                </li>
              ))}
            </ol>
          ) : null}
          <p className="review-prompt">
            <strong>Prompt:</strong> {v.prompt || "(no prompt)"}
          </p>
          <div className="row">
            {d.versions.length > 1 ? (
              <Form method="get" className="row">
                <select
                  name="compare"
                  defaultValue={search.get("compare") ?? ""}
                  aria-label="Compare with"
                >
                  <option value="">Compare with…</option>
                  {d.versions
                    .filter((x) => x.draftId !== v.draftId)
                    .map((x) => (
                      <option key={x.draftId} value={x.draftId}>
                        {x.label}
                      </option>
                    ))}
                </select>
                <button type="submit" className="btn btn-sm btn-secondary">
                  Compare
                </button>
              </Form>
            ) : null}
            {d.editor && !v.current ? (
              <Form method="post">
                <CsrfInput />
                <button
                  type="submit"
                  name="intent"
                  value="current"
                  className="btn btn-sm btn-secondary"
                >
                  Make current
                </button>
              </Form>
            ) : null}
            <a className="btn btn-sm btn-secondary" href={`/review/${v.draftId}/export/csv`}>
              Export CSV
            </a>
            <a className="btn btn-sm btn-secondary" href={`/review/${v.draftId}/export/edl`}>
              Export EDL
            </a>
            {d.editor ? (
              <Link className="btn btn-sm btn-secondary" to={`/publish/${v.draftId}`}>
                Publish…
              </Link>
            ) : null}
          </div>
        </section>
        {d.editor ? (
          <section className="card stack">
            <h2>Review links</h2>
            <Form method="post" className="stack small">
              <CsrfInput />
              <input type="hidden" name="intent" value="link" />
              <label className="row">
                Opens
                <select name="scope" defaultValue="version">
                  <option value="version">this version</option>
                  <option value="stack">the whole stack (later versions too)</option>
                </select>
              </label>
              <label className="row">
                Guests may
                <select name="rights" defaultValue="comment">
                  <option value="view">view</option>
                  <option value="comment">comment and draw</option>
                </select>
              </label>
              <label className="row">
                <input type="checkbox" name="canApprove" /> and set the status (approve / request
                changes)
              </label>
              <label className="row">
                <input type="checkbox" name="allowDownload" /> allow downloading the video
              </label>
              <label className="row">
                Passphrase{" "}
                <input
                  name="passphrase"
                  type="password"
                  autoComplete="new-password"
                  placeholder="optional"
                />
              </label>
              <label className="row">
                Expires after{" "}
                <input
                  name="ttlDays"
                  type="number"
                  min={0}
                  step={1}
                  placeholder="never"
                  style={{ width: "5rem" }}
                />{" "}
                days
              </label>
              <button type="submit" className="btn btn-primary">
                Create link
              </button>
            </Form>
            {d.links.length ? (
              <ul className="small">
                {d.links.map((l) => (
                  <li key={l.id} className="row">
                    <span>
                      {l.scope}, {l.rights}
                      {l.canApprove ? " + approve" : ""}
                      {l.allowDownload ? ", downloads" : ""}
                      {l.hasPassphrase ? ", passphrase" : ""}
                      {l.expiresAt ? `, until ${new Date(l.expiresAt).toLocaleDateString()}` : ""}
                      {l.revoked ? " — revoked" : ""}
                    </span>
                    {!l.revoked ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="linkId" value={l.id} />
                        <button type="submit" name="intent" value="revoke" className="btn-link">
                          Revoke
                        </button>
                      </Form>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">
                No links yet. A link lets a client review without an account.
              </p>
            )}
          </section>
        ) : null}
        <section className="card stack">
          <h2>Publishing rules</h2>
          <p className="small">
            {d.settings.requireApproval
              ? "Only approved versions can be published."
              : "Any version can be published."}{" "}
            {PUBLISH_RULE_TEXT[d.settings.publishRule]}
          </p>
          {d.owner ? (
            <Form method="post" className="stack small">
              <CsrfInput />
              <input type="hidden" name="intent" value="settings" />
              <label className="row">
                <input
                  type="checkbox"
                  name="requireApproval"
                  defaultChecked={d.settings.requireApproval}
                />{" "}
                Require approval before publishing
              </label>
              <label className="row">
                Who may publish a teammate's draft
                <select name="publishRule" defaultValue={d.settings.publishRule}>
                  {PUBLISH_RULES.map((r) => (
                    <option key={r} value={r}>
                      {PUBLISH_RULE_TEXT[r]}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="btn btn-sm btn-secondary">
                Save rules
              </button>
            </Form>
          ) : null}
        </section>
      </div>
    </div>
  );
}
