import { env } from "@reelhouse/shared/env.server";
import { listComments } from "@reelhouse/shared/social/interactions.server";
import { attributionChain, getPost } from "@reelhouse/shared/social/posts.server";
import { remixesOf, socialProfile } from "@reelhouse/shared/social/profiles.server";
import { useEffect, useRef, useState } from "react";
import { Form, Link, useFetcher } from "react-router";
import { Caption, compact, RemixLabel } from "../components/social/Caption.tsx";
import { Icon } from "../components/social/Icon.tsx";
import { ReportForm } from "../components/social/ReportForm.tsx";
import "../components/social/social.css";
import { CsrfInput } from "../components/ui.tsx";
import { social, viewerOf } from "../utils/social.server.ts";
import { timeAgo } from "../utils/time.ts";
import type { Route } from "./+types/p.$postId";

export function meta({ data: d }: Route.MetaArgs) {
  if (!d) return [{ title: "Video · Reelhouse" }];
  const { post, origin } = d;
  const title = `@${post.author.username} on Reelhouse`;
  const description = post.caption || "A video made with Reelhouse";
  const url = `${origin}/p/${post.id}`;
  return [
    { title: `${title}${post.caption ? ` · ${post.caption.slice(0, 60)}` : ""}` },
    { name: "description", content: description },
    { property: "og:type", content: "video.other" },
    { property: "og:site_name", content: "Reelhouse" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:url", content: url },
    ...(post.posterUrl ? [{ property: "og:image", content: `${origin}${post.posterUrl}` }] : []),
    ...(post.videoUrl
      ? [
          { property: "og:video", content: `${origin}${post.videoUrl}` },
          { property: "og:video:type", content: "video/mp4" },
          { property: "og:video:width", content: String(post.width ?? 720) },
          { property: "og:video:height", content: String(post.height ?? 1280) },
        ]
      : []),
    { name: "twitter:card", content: "player" },
    { name: "twitter:title", content: title },
    { name: "twitter:player", content: `${origin}/embed/${post.id}` },
    { name: "twitter:player:width", content: "360" },
    { name: "twitter:player:height", content: "640" },
    { tagName: "link", rel: "canonical", href: url },
  ];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const v = viewerOf(context);
  const pool = context.services.pool;
  const post = await social(() => getPost(pool, v, params.postId));
  const [comments, chain, remixes, author] = await Promise.all([
    social(() => listComments(pool, v, post.id)),
    attributionChain(pool, post.id),
    remixesOf(pool, v, post.id, 12),
    social(() => socialProfile(pool, v, post.author.username)),
  ]);
  const origin = env().PUBLIC_URL?.replace(/\/$/, "") ?? new URL(request.url).origin;
  return {
    post,
    comments,
    chain,
    remixes: remixes.posts.map((p) => ({
      id: p.id,
      username: p.author.username,
      posterUrl: p.posterUrl,
    })),
    author: { viewerFollows: author.viewerFollows, followerCount: author.followerCount },
    origin,
    viewer: v ? { id: v.id, isModerator: v.isModerator } : null,
    isOwner: v?.id === post.author.id,
  };
}

function Comments({
  postId,
  comments,
  signedIn,
}: {
  postId: string;
  comments: Route.ComponentProps["loaderData"]["comments"];
  signedIn: boolean;
}) {
  const add = useFetcher<{ ok: boolean; error?: string }>();
  const act = useFetcher<{ ok: boolean; error?: string }>();
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const [replyingTo, setReplyingTo] = useState<string | null>(null);
  // Reply puts the cursor in the box (scrolled into view) at once. Replies thread under the top
  // comment; the line above the box names the person answered.
  const startReply = (id: string, username: string | null) => {
    setReplyTo(id);
    setReplyingTo(username);
    box.current?.focus({ preventScroll: true });
    box.current?.scrollIntoView({ block: "center" });
  };
  // A sent reply ends reply mode: the next thing typed is a new comment again.
  useEffect(() => {
    if (add.state === "idle" && add.data?.ok) setReplyTo(null);
  }, [add.state, add.data]);
  return (
    <section id="comments" className="comments card" aria-labelledby="comments-title">
      <h2 id="comments-title" className="section-title">
        Comments <span className="muted">{comments.filter((c) => !c.deleted).length}</span>
      </h2>
      {signedIn ? (
        <add.Form
          method="post"
          action={`/p/${postId}/comments`}
          className="comment-form"
          key={comments.length}
        >
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          {replyTo ? <input type="hidden" name="parentId" value={replyTo} /> : null}
          {replyTo ? (
            <p className="muted small" data-testid="replying-to">
              Replying to {replyingTo ? `@${replyingTo}` : "a comment"}
            </p>
          ) : null}
          <textarea
            ref={box}
            name="body"
            required
            maxLength={2000}
            rows={2}
            placeholder={replyTo ? "Write a reply…" : "Add a comment…"}
            aria-label="Comment"
            onKeyDown={(e) => {
              if (e.key === "Escape" && replyTo) setReplyTo(null);
            }}
          />
          <div className="row">
            <button
              type="submit"
              className="btn btn-primary btn-sm"
              disabled={add.state !== "idle"}
            >
              {replyTo ? "Reply" : "Comment"}
            </button>
            {replyTo ? (
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={() => setReplyTo(null)}
              >
                Cancel reply
              </button>
            ) : null}
          </div>
          {add.data && !add.data.ok ? <p className="field-error">{add.data.error}</p> : null}
        </add.Form>
      ) : (
        <p className="muted small">
          <Link to={`/signin?redirectTo=/p/${postId}`}>Sign in</Link> to comment.
        </p>
      )}
      {act.data && !act.data.ok ? <p className="field-error">{act.data.error}</p> : null}
      <ul className="comment-list">
        {comments.map((c) => (
          <li
            key={c.id}
            className={`comment ${c.parentId ? "comment-reply" : ""}`}
            data-testid="comment"
          >
            {c.deleted ? (
              <p className="muted small">Comment deleted</p>
            ) : (
              <>
                <div className="comment-head">
                  <Link to={`/u/${c.author!.username}`}>@{c.author!.username}</Link>
                  <span className="muted small">
                    {timeAgo(c.createdAt)}
                    {c.edited ? " · edited" : ""}
                  </span>
                </div>
                {editing === c.id ? (
                  <act.Form
                    method="post"
                    action={`/p/${postId}/comments`}
                    onSubmit={() => setEditing(null)}
                    className="comment-form"
                  >
                    <CsrfInput />
                    <input type="hidden" name="intent" value="edit" />
                    <input type="hidden" name="commentId" value={c.id} />
                    <textarea
                      name="body"
                      defaultValue={c.body}
                      required
                      maxLength={2000}
                      rows={2}
                      aria-label="Edit comment"
                    />
                    <button type="submit" className="btn btn-primary btn-sm">
                      Save
                    </button>
                  </act.Form>
                ) : (
                  <Caption text={c.body} />
                )}
                <div className="comment-actions">
                  {signedIn ? (
                    <button
                      type="button"
                      className="link-btn"
                      onClick={() => startReply(c.parentId ?? c.id, c.author?.username ?? null)}
                    >
                      Reply
                    </button>
                  ) : null}
                  {c.canEdit ? (
                    <button type="button" className="link-btn" onClick={() => setEditing(c.id)}>
                      Edit
                    </button>
                  ) : null}
                  {c.canDelete ? (
                    <act.Form method="post" action={`/p/${postId}/comments`}>
                      <CsrfInput />
                      <input type="hidden" name="intent" value="delete" />
                      <input type="hidden" name="commentId" value={c.id} />
                      <button type="submit" className="link-btn link-danger">
                        Delete
                      </button>
                    </act.Form>
                  ) : null}
                  {signedIn && !c.canEdit ? (
                    <ReportForm targetKind="comment" targetId={c.id} variant="link" />
                  ) : null}
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function PostPage({ loaderData }: Route.ComponentProps) {
  const { post, comments, chain, remixes, author, origin, viewer, isOwner } = loaderData;
  const likeF = useFetcher<{ ok: boolean; likeCount?: number; liked?: boolean }>();
  const followF = useFetcher();
  const manage = useFetcher<{ ok: boolean; error?: string }>();
  const [copied, setCopied] = useState(false);
  const liked = likeF.formData
    ? likeF.formData.get("intent") === "like"
    : (likeF.data?.liked ?? post.likedByViewer);
  const likeCount =
    likeF.data?.likeCount ?? post.likeCount + (liked === post.likedByViewer ? 0 : liked ? 1 : -1);
  const following = followF.formData
    ? followF.formData.get("intent") === "follow"
    : author.viewerFollows;
  const url = `${origin}/p/${post.id}`;
  const embed = `<iframe src="${origin}/embed/${post.id}" width="360" height="640" frameborder="0" allow="autoplay; fullscreen" allowfullscreen></iframe>`;
  return (
    <div className="post-page">
      <div className="post-player">
        {post.videoUrl ? (
          <video
            src={post.videoUrl}
            poster={post.posterUrl ?? undefined}
            controls
            autoPlay
            muted
            loop
            playsInline
            className="post-video"
          />
        ) : (
          <div className="post-video feed-video-missing">Video unavailable</div>
        )}
      </div>
      <div className="post-side stack">
        {post.status !== "published" ? (
          <div className="alert alert-error" role="status">
            {post.status === "removed"
              ? "A moderator removed this post; only you can see it."
              : "Unpublished: only you can see this post."}
          </div>
        ) : null}
        <div className="post-author">
          <Link to={`/u/${post.author.username}`} className="feed-author">
            @{post.author.username}
          </Link>
          <span className="muted small">
            {compact(author.followerCount)} follower{author.followerCount === 1 ? "" : "s"} ·{" "}
            {timeAgo(post.publishedAt)}
          </span>
          {viewer && !isOwner ? (
            <followF.Form method="post" action={`/u/${post.author.username}/follow`}>
              <CsrfInput />
              <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
              <button
                type="submit"
                className={`btn btn-sm ${following ? "btn-secondary" : "btn-primary"}`}
              >
                {following ? "Following" : "Follow"}
              </button>
            </followF.Form>
          ) : null}
        </div>
        <RemixLabel remixOf={post.remixOf} />
        {chain.length > 1 ? (
          <p className="muted small">
            Remix chain:{" "}
            {chain.map((c, i) => (
              <span key={c.id}>
                {i ? " ← " : ""}
                {c.available ? <Link to={`/p/${c.id}`}>@{c.username}</Link> : "original removed"}
              </span>
            ))}
          </p>
        ) : null}
        <Caption text={post.caption} />
        <div className="post-actions">
          <likeF.Form method="post" action={`/p/${post.id}/like`}>
            <CsrfInput />
            <input type="hidden" name="intent" value={liked ? "unlike" : "like"} />
            <button
              type="submit"
              className={`btn btn-sm ${liked ? "btn-primary" : "btn-secondary"}`}
              disabled={!viewer}
              aria-pressed={liked}
              data-testid="like-button"
            >
              <Icon name="heart" filled={liked} size={16} />{" "}
              <span data-testid="like-count">{compact(likeCount)}</span>
            </button>
          </likeF.Form>
          <a href="#comments" className="btn btn-secondary btn-sm">
            <Icon name="comment" size={16} /> {compact(post.commentCount)}
          </a>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => {
              void navigator.clipboard?.writeText(url).catch(() => {});
              setCopied(true);
              setTimeout(() => setCopied(false), 1500);
            }}
          >
            <Icon name="share" size={16} /> {copied ? "Link copied" : "Copy link"}
          </button>
          {post.downloadUrl ? (
            <a href={post.downloadUrl} className="btn btn-secondary btn-sm" download>
              <Icon name="download" size={16} /> Download
            </a>
          ) : null}
          {viewer && (post.allowRemix || isOwner) && post.status === "published" ? (
            <Form method="post" action={`/p/${post.id}/remix`}>
              <CsrfInput />
              <button type="submit" className="btn btn-secondary btn-sm">
                ↻ Remix{" "}
                {post.remixCount ? <span className="muted">{compact(post.remixCount)}</span> : null}
              </button>
            </Form>
          ) : null}
        </div>
        <details className="embed">
          <summary className="small muted">Embed</summary>
          <textarea
            readOnly
            value={embed}
            rows={3}
            aria-label="Embed code"
            onFocus={(e) => e.currentTarget.select()}
          />
        </details>
        {isOwner ? (
          <div className="owner-tools row">
            <manage.Form method="post" action={`/p/${post.id}/manage`}>
              <CsrfInput />
              <input
                type="hidden"
                name="intent"
                value={post.status === "published" ? "unpublish" : "publish"}
              />
              <button
                type="submit"
                className="btn btn-secondary btn-sm"
                disabled={post.status === "removed"}
              >
                {post.status === "published" ? "Unpublish" : "Publish again"}
              </button>
            </manage.Form>
            <manage.Form method="post" action={`/p/${post.id}/manage`}>
              <CsrfInput />
              <input
                type="hidden"
                name="intent"
                value={post.allowRemix ? "forbid-remix" : "allow-remix"}
              />
              <button type="submit" className="btn btn-secondary btn-sm">
                {post.allowRemix ? "Turn off remixes" : "Allow remixes"}
              </button>
            </manage.Form>
            <manage.Form
              method="post"
              action={`/p/${post.id}/manage`}
              onSubmit={(e) => {
                if (!window.confirm("Delete this post? Remixes of it will say “original removed”."))
                  e.preventDefault();
              }}
            >
              <CsrfInput />
              <input type="hidden" name="intent" value="delete" />
              <button type="submit" className="btn btn-danger btn-sm">
                Delete
              </button>
            </manage.Form>
            {manage.data && !manage.data.ok ? (
              <p className="field-error">{manage.data.error}</p>
            ) : null}
          </div>
        ) : viewer ? (
          <ReportForm targetKind="post" targetId={post.id} label="Report video" />
        ) : null}
        {remixes.length ? (
          <section>
            <h2 className="section-title">Remixes</h2>
            <ul className="thumb-grid">
              {remixes.map((r) => (
                <li key={r.id}>
                  <Link to={`/p/${r.id}`} className="thumb">
                    {r.posterUrl ? <img src={r.posterUrl} alt={`Remix by @${r.username}`} /> : null}
                    <span className="thumb-label">@{r.username}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <Comments postId={post.id} comments={comments} signedIn={viewer !== null} />
      </div>
    </div>
  );
}
