import {
  actorsPhrase,
  groupNotifications,
  type NotificationGroup,
} from "@reelhouse/shared/social/notification-groups";
import { listNotifications, markRead } from "@reelhouse/shared/social/notifications.server";
import { useEffect } from "react";
import { Link, useFetcher } from "react-router";
import "../components/social/social.css";
import { Avatar, CsrfInput } from "../components/ui.tsx";
import { requireUser } from "../utils/auth.server.ts";
import { mediaUrl } from "../utils/format.ts";
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
type Group = NotificationGroup<Item>;

/** One line for a group: who (folded), what, and where it leads. */
function describe(g: Group): { text: string; to: string | null } {
  const n = g.latest;
  const who = actorsPhrase(g.actors);
  const p = n.payload as Record<string, string | undefined>;
  switch (n.kind) {
    case "like":
      return { text: `${who} liked your video`, to: `/p/${p.postId}` };
    case "comment":
      return {
        text:
          g.count > 1
            ? `${who} commented on your video (${g.count} comments)`
            : `${who} commented on your video`,
        to: `/p/${p.postId}#comments`,
      };
    case "reply":
      return { text: `${who} replied to your comment`, to: `/p/${p.postId}#comments` };
    case "follow":
      return {
        text: `${who} started following you`,
        to: g.actors.length === 1 ? `/u/${g.actors[0]!.username}` : null,
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
    case "project.guest_comment":
      return {
        text: `${p.guestName ?? "A guest"} (guest) commented on a shared storyboard${p.excerpt ? `: “${p.excerpt}”` : ""}`,
        to: p.projectId ? `/projects/${p.projectId}` : null,
      };
    case "generation.ready":
      // The draft is ready: the link goes to its publish page (which also shows the prompt).
      if (g.count > 1)
        return {
          text: `${g.count} of your videos are ready`,
          to: p.projectId ? `/projects/${p.projectId}` : null,
        };
      return {
        text: "Your video is ready — publish it",
        to: p.draftId ? `/publish/${p.draftId}` : p.projectId ? `/projects/${p.projectId}` : null,
      };
    // Review (issue 14): guests have no account, so their name comes with the payload.
    case "review.version":
      return {
        text: `${who} added v${p.number ?? "?"} — it awaits review`,
        to: p.draftId ? `/review/${p.draftId}` : null,
      };
    case "review.status": {
      const by = p.guestName ? `${p.guestName} (guest)` : who;
      const label = (p.status ?? "").replaceAll("_", " ");
      return {
        text: `${by} marked v${p.number ?? "?"} ${label}`,
        to: p.draftId ? `/review/${p.draftId}` : null,
      };
    }
    case "review.mention":
    case "review.reply": {
      const by = `${p.actorName ?? "Someone"}${String(p.guest) === "true" ? " (guest)" : ""}`;
      const what = n.kind === "review.mention" ? "mentioned you" : "replied";
      return {
        text: `${by} ${what} on v${p.number ?? "?"}${p.excerpt ? `: “${p.excerpt}”` : ""}`,
        to: p.draftId ? `/review/${p.draftId}` : null,
      };
    }
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
    case "cameo_draft_deleted":
      return {
        text: `${who} deleted your draft with their cameo${Number(p.posts) > 0 ? " and its post" : ""}`,
        to: null,
      };
    default:
      return { text: n.kind.replaceAll(/[_.]/g, " "), to: null };
  }
}

/** Up to three actors' faces, overlapping, or the product's mark for system notifications. */
function Faces({ g }: { g: Group }) {
  if (g.actors.length === 0)
    return <span className="notif-face notif-face-system" aria-hidden="true" />;
  return (
    <span className="notif-faces" aria-hidden="true">
      {g.actors.slice(0, 3).map((a) => (
        <Avatar key={a.username} src={mediaUrl(a.photoMediaId)} name={a.username} size={36} />
      ))}
    </span>
  );
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
      {loaderData.items.length === 0 ? (
        <div className="empty-notifs card">
          <p>
            <strong>No notifications yet.</strong>
          </p>
          <p className="muted small">
            Likes, comments, follows, mentions and finished renders show up here.
          </p>
        </div>
      ) : null}
      <ul className="notif-list">
        {groupNotifications(loaderData.items).map((g) => {
          const d = describe(g);
          const n = g.latest;
          return (
            <li
              key={g.key}
              className={`notif card ${g.read ? "" : "notif-unread"}`}
              data-testid="notification"
            >
              <span className="notif-dot" role="img" aria-label={g.read ? "read" : "unread"} />
              <Faces g={g} />
              <div className="notif-body">
                {d.to ? <Link to={d.to}>{d.text}</Link> : <span>{d.text}</span>}
                <span className="muted small"> · {timeAgo(n.createdAt)}</span>
                {!g.read ? (
                  <f.Form method="post" className="notif-mark">
                    <CsrfInput />
                    {g.ids.map((id) => (
                      <input key={id} type="hidden" name="id" value={id} />
                    ))}
                    <button type="submit" className="link-btn small">
                      Mark read
                    </button>
                  </f.Form>
                ) : null}
              </div>
              {n.thumbnailUrl ? (
                <img className="notif-thumb" src={n.thumbnailUrl} alt="" loading="lazy" />
              ) : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
