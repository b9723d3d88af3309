import { listNotifications, markRead } from "@reelhouse/shared/social/notifications.server";
import { useEffect } from "react";
import { Link, useFetcher } from "react-router";
import "../components/social/social.css";
import { CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { timeAgo } from "../utils/time.ts";
import type { Route } from "./+types/notifications";

export function meta() {
  return [{ title: "Notifications · Reelhouse" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser({ request, context });
  const items = await listNotifications(context.services.pool, user.id, 100);
  return { items };
}

/** POST: mark all read, or the ids given (only the person's own are touched). */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser({ request, context });
  const form = await request.formData();
  const ids = form.getAll("id").filter((x): x is string => typeof x === "string");
  const n = await markRead(context.services.pool, user.id, ids.length ? ids : undefined);
  return { ok: true, marked: n };
}

type Item = Route.ComponentProps["loaderData"]["items"][number];

function describe(n: Item): { text: string; to: string | null } {
  const who = n.actorUsername ? `@${n.actorUsername}` : "Someone";
  const p = n.payload as Record<string, string | undefined>;
  switch (n.kind) {
    case "like":
      return { text: `${who} liked your video`, to: `/p/${p.postId}` };
    case "comment":
      return { text: `${who} commented on your video`, to: `/p/${p.postId}#comments` };
    case "reply":
      return { text: `${who} replied to your comment`, to: `/p/${p.postId}#comments` };
    case "follow":
      return {
        text: `${who} started following you`,
        to: n.actorUsername ? `/u/${n.actorUsername}` : null,
      };
    case "remix":
      return { text: `${who} remixed your video`, to: `/p/${p.remixId}` };
    case "mention":
      return {
        text: `${who} mentioned you`,
        to: `/p/${p.postId}${p.commentId ? "#comments" : ""}`,
      };
    case "new_post":
      return { text: `${who} posted a new video`, to: `/p/${p.postId}` };
    case "report_outcome":
      return { text: p.message ?? "A moderator reviewed your report.", to: null };
    case "project.mention":
      return {
        text: `${who} mentioned you in a project comment${p.excerpt ? `: “${p.excerpt}”` : ""}`,
        to: p.projectId ? `/projects/${p.projectId}` : null,
      };
    case "generation.ready":
      // The draft is ready: the link goes to its publish page (which also shows the prompt).
      return {
        text: "Your video is ready — publish it",
        to: p.draftId ? `/publish/${p.draftId}` : p.projectId ? `/projects/${p.projectId}` : null,
      };
    case "cameo_request":
      return { text: `${who} asks to cast your cameo`, to: "/cameos" };
    case "cameo_request_approved":
      return { text: `${who} lets you cast their cameo`, to: null };
    case "cameo_request_declined":
      return { text: `${who} declined your request to cast their cameo`, to: null };
    case "cameo_review":
      return { text: `${who} made a draft with your cameo — review it`, to: "/cameos" };
    case "cameo_draft_approved":
      return {
        text: `${who} approved your draft with their cameo`,
        to: p.draftId ? `/publish/${p.draftId}` : null,
      };
    case "cameo_draft_declined":
      return { text: `${who} declined your draft with their cameo`, to: null };
    default:
      return { text: n.kind.replaceAll("_", " "), to: null };
  }
}

export default function Notifications({ loaderData }: Route.ComponentProps) {
  const f = useFetcher();
  const unread = loaderData.items.filter((n) => !n.read).length;
  // Seeing the page, or marking read, tells the bell to refresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run after each mark-read response
  useEffect(() => {
    window.dispatchEvent(new Event("rh:notifications"));
  }, [f.data]);
  return (
    <div className="stack-lg narrow">
      <div className="row spread">
        <h1>Notifications</h1>
        {unread ? (
          <f.Form method="post">
            <CsrfInput />
            <button type="submit" className="btn btn-secondary btn-sm">
              Mark all read ({unread})
            </button>
          </f.Form>
        ) : null}
      </div>
      {loaderData.items.length === 0 ? <p className="muted">No notifications yet.</p> : null}
      <ul className="notif-list">
        {loaderData.items.map((n) => {
          const d = describe(n);
          return (
            <li
              key={n.id}
              className={`notif card ${n.read ? "" : "notif-unread"}`}
              data-testid="notification"
            >
              <span className="notif-dot" role="img" aria-label={n.read ? "read" : "unread"} />
              <div className="notif-body">
                {d.to ? <Link to={d.to}>{d.text}</Link> : <span>{d.text}</span>}
                <span className="muted small"> · {timeAgo(n.createdAt)}</span>
              </div>
              {!n.read ? (
                <f.Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-btn small">
                    Mark read
                  </button>
                </f.Form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
