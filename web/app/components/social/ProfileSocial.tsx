import { Link, useFetcher } from "react-router";
import type { ProfileSocialData } from "../../utils/profile-social.server.ts";
import { CsrfInput } from "../ui.tsx";
import { compact } from "./Caption.tsx";
import { ReportForm } from "./ReportForm.tsx";
import "./social.css";

/** Follower/following counts, follow and block buttons, and the Videos / Liked / Remixes grid. */
export function ProfileSocial({ data }: { data: ProfileSocialData }) {
  const { profile, tab, posts, likedHidden, signedIn } = data;
  const f = useFetcher<{ ok: boolean; error?: string }>();
  const intent = f.formData?.get("intent");
  const following =
    intent === "follow" ? true : intent === "unfollow" ? false : profile.viewerFollows;
  // The count follows an optimistic follow/unfollow at once.
  const followers =
    profile.followerCount +
    (following && !profile.viewerFollows ? 1 : !following && profile.viewerFollows ? -1 : 0);
  const base = `/u/${profile.username}`;
  return (
    <section className="stack" aria-label="Videos and connections">
      <div className="profile-stats row">
        <span>
          <strong data-testid="follower-count">{compact(followers)}</strong>{" "}
          <span className="muted">{followers === 1 ? "follower" : "followers"}</span>
        </span>
        <span>
          <strong>{compact(profile.followingCount)}</strong>{" "}
          <span className="muted">following</span>
        </span>
        <span>
          <strong>{compact(profile.postCount)}</strong>{" "}
          <span className="muted">{profile.postCount === 1 ? "video" : "videos"}</span>
        </span>
        {signedIn && !profile.isSelf ? (
          <div className="row">
            {!profile.viewerBlocked ? (
              <f.Form method="post" action={`${base}/follow`}>
                <CsrfInput />
                <input type="hidden" name="intent" value={following ? "unfollow" : "follow"} />
                <button
                  type="submit"
                  className={`btn btn-sm ${following ? "btn-secondary" : "btn-primary"}`}
                  data-testid="follow-button"
                >
                  {following ? "Following" : profile.followsViewer ? "Follow back" : "Follow"}
                </button>
              </f.Form>
            ) : null}
            <f.Form
              method="post"
              action={`${base}/follow`}
              onSubmit={(e) => {
                if (
                  !profile.viewerBlocked &&
                  !window.confirm(`Block @${profile.username}? You will no longer see each other.`)
                )
                  e.preventDefault();
              }}
            >
              <CsrfInput />
              <input
                type="hidden"
                name="intent"
                value={profile.viewerBlocked ? "unblock" : "block"}
              />
              <button type="submit" className="btn btn-ghost btn-sm">
                {profile.viewerBlocked ? "Unblock" : "Block"}
              </button>
            </f.Form>
            <ReportForm targetKind="user" targetId={profile.userId} label="Report" />
          </div>
        ) : null}
        {profile.isSelf ? (
          <f.Form method="post" action={`${base}/follow`} className="row small">
            <CsrfInput />
            <input type="hidden" name="intent" value="liked-visibility" />
            <input
              type="hidden"
              name="value"
              value={profile.likedVisibility === "public" ? "private" : "public"}
            />
            <span className="muted">Liked videos are {profile.likedVisibility}.</span>
            <button type="submit" className="link-btn">
              Make {profile.likedVisibility === "public" ? "private" : "public"}
            </button>
          </f.Form>
        ) : null}
      </div>
      {f.data && !f.data.ok ? <p className="field-error">{f.data.error}</p> : null}
      <nav className="profile-tabs" aria-label="Profile lists">
        {(["videos", "liked", "remixes"] as const).map((t) => (
          <Link
            key={t}
            to={t === "videos" ? base : `${base}?tab=${t}`}
            className={`feed-tab ${tab === t ? "feed-tab-on" : ""}`}
            aria-current={tab === t ? "page" : undefined}
          >
            {t === "videos" ? "Videos" : t === "liked" ? "Liked" : "Remixes"}
          </Link>
        ))}
      </nav>
      {likedHidden ? (
        <p className="muted">@{profile.username} keeps their liked videos private.</p>
      ) : null}
      {!likedHidden && posts.length === 0 ? <p className="muted">Nothing here yet.</p> : null}
      <ul className="thumb-grid">
        {posts.map((p) => (
          <li key={p.id}>
            <Link to={`/p/${p.id}`} className="thumb">
              {p.posterUrl ? <img src={p.posterUrl} alt={p.caption || "Video"} /> : null}
              <span className="thumb-label">
                ♥ {compact(p.likeCount)}
                {p.status !== "published" ? ` · ${p.status}` : ""}
                {p.remixOf ? " · remix" : ""}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
