import { decide, moderationQueue } from "@reelhouse/shared/social/moderation.server";
import { data, Link, useFetcher } from "react-router";
import "../components/social/social.css";
import { CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { str } from "../utils/forms.server.ts";
import { social, socialAction, viewerOf } from "../utils/social.server.ts";
import { timeAgo } from "../utils/time.ts";
import type { Route } from "./+types/moderation";

export function meta() {
  return [{ title: "Moderation · Reelhouse" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  if (!user.isModerator)
    throw data(
      user.isAdmin
        ? "The moderation queue is for moderators. You are an administrator: grant yourself (or someone you trust) the moderator role on the Admin page, under Moderators and administrators."
        : "The moderation queue is for moderators. An administrator can grant you the role.",
      { status: 403 },
    );
  const queue = await social(() => moderationQueue(context.services.pool, viewerOf(context)));
  return { queue };
}

export async function action({ request, context }: Route.ActionArgs) {
  requireUser({ request, context });
  const form = await request.formData();
  const kind = str(form, "targetKind");
  if (kind !== "post" && kind !== "comment" && kind !== "user")
    throw data("Unknown item", { status: 400 });
  return socialAction(() =>
    decide(
      context.services.pool,
      viewerOf(context),
      { kind, id: str(form, "targetId") },
      { action: str(form, "action"), reason: str(form, "reason") },
    ),
  );
}

type Item = Route.ComponentProps["loaderData"]["queue"][number];

function Context({ item }: { item: Item }) {
  const c = item.context as Record<string, string | boolean | number | undefined>;
  if (c.missing) return <p className="muted">The item no longer exists.</p>;
  if (item.targetKind === "post")
    return (
      <div className="mod-context">
        {c.has_poster ? (
          <img src={`/p/${item.targetId}/poster.jpg`} alt="" className="mod-poster" />
        ) : null}
        <div>
          <p>
            <Link to={`/p/${item.targetId}`}>Post</Link> by{" "}
            <Link to={`/u/${c.owner}`}>@{c.owner}</Link> · {String(c.status)} · audience{" "}
            {String(c.audience)}
          </p>
          <p className="mod-quote">{String(c.caption || "(no caption)")}</p>
        </div>
      </div>
    );
  if (item.targetKind === "comment")
    return (
      <div className="mod-context">
        <p>
          Comment by <Link to={`/u/${c.author}`}>@{c.author}</Link> on{" "}
          <Link to={`/p/${c.post_id}`}>@{c.post_owner}'s post</Link>
        </p>
        <p className="mod-quote">{c.deleted ? "(deleted)" : String(c.body)}</p>
      </div>
    );
  return (
    <div className="mod-context">
      <p>
        Profile <Link to={`/u/${c.username}`}>@{c.username}</Link> · {String(c.posts)} posts
        {c.restricted_to_adults ? " · restricted to adults" : ""}
      </p>
      <p className="mod-quote">{String(c.bio || "(no bio)")}</p>
    </div>
  );
}

function Decision({ item }: { item: Item }) {
  const f = useFetcher<{ ok: boolean; error?: string }>();
  return (
    <f.Form method="post" className="mod-decide">
      <CsrfInput />
      <input type="hidden" name="targetKind" value={item.targetKind} />
      <input type="hidden" name="targetId" value={item.targetId} />
      <input
        name="reason"
        required
        maxLength={1000}
        placeholder="Why (logged, required)"
        aria-label="Reason for the decision"
      />
      <div className="row">
        <button type="submit" name="action" value="keep" className="btn btn-secondary btn-sm">
          Keep
        </button>
        {item.targetKind !== "comment" ? (
          <button
            type="submit"
            name="action"
            value="restrict_adults"
            className="btn btn-secondary btn-sm"
          >
            Restrict to adults
          </button>
        ) : null}
        <button type="submit" name="action" value="remove" className="btn btn-danger btn-sm">
          Remove
        </button>
      </div>
      {f.data && !f.data.ok ? <p className="field-error">{f.data.error}</p> : null}
    </f.Form>
  );
}

export default function Moderation({ loaderData }: Route.ComponentProps) {
  const { queue } = loaderData;
  return (
    <div className="stack-lg">
      <div>
        <h1>Moderation queue</h1>
        <p className="muted">
          Open reports, oldest first. Every decision is logged with your name and reason, and each
          reporter is told the outcome.
        </p>
      </div>
      {queue.length === 0 ? <p className="card muted">The queue is empty.</p> : null}
      {queue.map((item) => (
        <article
          key={`${item.targetKind}:${item.targetId}`}
          className="card mod-item"
          data-testid="mod-item"
        >
          <div className="row spread">
            <span className="badge">{item.targetKind}</span>
            <span className="muted small">
              {item.reports.length} report{item.reports.length === 1 ? "" : "s"}
            </span>
          </div>
          <Context item={item} />
          <ul className="mod-reports">
            {item.reports.map((r) => (
              <li key={r.id} className="small">
                <strong>{r.reason.replaceAll("_", " ")}</strong> by @{r.reporter} ·{" "}
                {timeAgo(r.createdAt)}
                {r.details ? <span className="muted"> — “{r.details}”</span> : null}
              </li>
            ))}
          </ul>
          {item.history.length ? (
            <p className="small muted">
              Earlier:{" "}
              {item.history.map((h) => `${h.action} by @${h.moderator} (${h.reason})`).join("; ")}
            </p>
          ) : null}
          <Decision item={item} />
        </article>
      ))}
    </div>
  );
}
