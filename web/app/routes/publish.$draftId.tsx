import { getReviewSettings } from "@reelhouse/shared/review/publish-rules.server";
import { PUBLISH_RULE_TEXT } from "@reelhouse/shared/review/rules";
import { itemOfDraft, loadStack } from "@reelhouse/shared/review/stacks.server";
import { STATUS_LABELS } from "@reelhouse/shared/review/status";
import { checkPublish } from "@reelhouse/shared/social/posts.server";
import { publishWorkflowId } from "@reelhouse/shared/social/publish.server";
import { projectRemixOf } from "@reelhouse/shared/social/remix.server";
import { useEffect } from "react";
import { Form, Link, redirect, useActionData, useRevalidator } from "react-router";
import "../components/review/review.css";
import "../components/social/social.css";
import { CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { str } from "../utils/forms.server.ts";
import { publishServiceFor, social, socialAction } from "../utils/social.server.ts";
import type { Route } from "./+types/publish.$draftId";

export function meta() {
  return [{ title: "Publish · Reelhouse" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const pool = context.services.pool;
  const { source } = await social(() => checkPublish(pool, user.id, { draftId: params.draftId }));
  const remixOf = await projectRemixOf(pool, source.projectId);
  const remixUser = remixOf
    ? (
        await pool.query<{ username: string }>(
          "SELECT u.username FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1",
          [remixOf],
        )
      ).rows[0]?.username
    : null;
  const job = await (await publishServiceFor(context))
    .get(user.id, publishWorkflowId(params.draftId))
    .catch(() => null);
  if (job?.status === "succeeded" && job.postId) throw redirect(`/p/${job.postId}`);
  const draft = await pool.query<{ poster_path: string }>(
    "SELECT poster_path FROM drafts WHERE id = $1",
    [params.draftId],
  );
  // The version being published: its stack label, status and maker, and the workspace's rules.
  const itemId = await itemOfDraft(pool, params.draftId);
  const stack = itemId ? await loadStack(pool, itemId) : null;
  const v = stack?.versions.find((x) => x.draftId === params.draftId);
  const settings = stack ? await getReviewSettings(pool, stack.workspaceId) : null;
  return {
    version: v
      ? {
          title: `${stack!.title} ${v.label}`,
          status: STATUS_LABELS[v.status],
          statusKey: v.status,
          madeBy: v.createdBy.username,
          mine: v.createdBy.id === user.id,
        }
      : null,
    rules: settings
      ? `${settings.requireApproval ? "Only approved versions can be published. " : ""}${PUBLISH_RULE_TEXT[settings.publishRule]}`
      : null,
    publisher: user.username,
    draftId: params.draftId,
    projectId: source.projectId,
    prompt: source.prompt,
    hasPoster: Boolean(draft.rows[0]?.poster_path),
    remixOf,
    remixUser,
    isMinor: user.isMinor,
    job,
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const form = await request.formData();
  const service = await publishServiceFor(context);
  return socialAction(async () => {
    const { job } = await service.submit(user.id, {
      draftId: params.draftId,
      caption: str(form, "caption"),
      audience: str(form, "audience") === "adults" ? "adults" : "all",
      allowRemix: form.get("allowRemix") === "on",
      remixOf: str(form, "remixOf") || null,
    });
    return { job };
  });
}

export default function Publish({ loaderData }: Route.ComponentProps) {
  const { draftId, prompt, hasPoster, remixOf, remixUser, job, isMinor } = loaderData;
  const result = useActionData<typeof action>();
  // The loader's job is the fresh one (polled below); the action's is only its first state.
  const current = job ?? (result?.ok ? result.job : null);
  const revalidator = useRevalidator();
  const running = current && (current.status === "queued" || current.status === "running");
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => revalidator.revalidate(), 1000);
    return () => clearInterval(t);
  }, [running, revalidator]);
  return (
    <div className="publish-page">
      <div className="publish-preview">
        {/* biome-ignore lint/a11y/useMediaCaption: animatic drafts have no caption track */}
        <video
          className="publish-video"
          src={`/projects/${loaderData.projectId}/drafts/${draftId}/video.mp4`}
          poster={
            hasPoster ? `/projects/${loaderData.projectId}/drafts/${draftId}/poster.jpg` : undefined
          }
          controls
          playsInline
          preload="metadata"
          data-testid="publish-video"
          style={{ width: "100%", maxHeight: "60vh", background: "#000", borderRadius: 8 }}
        />
        {loaderData.version ? (
          <p className="small">
            <strong>{loaderData.version.title}</strong>{" "}
            <span className={`review-status ${loaderData.version.statusKey}`}>
              {loaderData.version.status}
            </span>{" "}
            · made by @{loaderData.version.madeBy} ·{" "}
            <Link to={`/review/${draftId}`}>Open in review</Link>
          </p>
        ) : null}
        <p className="mod-quote">{prompt || "(no prompt)"}</p>
        <p className="muted small">
          Publishes under your name, @{loaderData.publisher}. {loaderData.rules}
        </p>
      </div>
      <div className="card stack">
        <h1>Publish</h1>
        {remixOf ? (
          <p className="remix-label">
            ↻ Remix of <Link to={`/p/${remixOf}`}>@{remixUser ?? "original"}</Link>
          </p>
        ) : null}
        {running ? (
          <p role="status" className="alert">
            Publishing… <strong>{current.stage}</strong>
          </p>
        ) : current?.status === "failed" ? (
          <p role="alert" className="alert alert-error">
            Publishing failed: {current.error}
          </p>
        ) : null}
        {result && !result.ok ? (
          <p role="alert" className="alert alert-error">
            {result.error}
          </p>
        ) : null}
        {!running && current?.status !== "failed" ? (
          <Form method="post" className="stack">
            <CsrfInput />
            <label className="field">
              Caption
              <textarea
                name="caption"
                maxLength={2200}
                rows={3}
                placeholder="Say something — #hashtags and @mentions work"
              />
            </label>
            <label className="row small">
              <input type="checkbox" name="allowRemix" defaultChecked /> Allow others to remix this
              video
            </label>
            <label className="field">
              Audience
              <select name="audience" defaultValue="all" disabled={isMinor}>
                <option value="all">Everyone</option>
                <option value="adults">Adults only (18+)</option>
              </select>
            </label>
            {remixOf ? <input type="hidden" name="remixOf" value={remixOf} /> : null}
            <button type="submit" className="btn btn-primary">
              Publish to the feed
            </button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
