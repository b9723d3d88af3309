import { listInvites } from "@reelhouse/shared/accounts/invites.server";
import { getUserByUsername } from "@reelhouse/shared/accounts/users.server";
import { data, Link } from "react-router";
import { ProfileSocial } from "../components/social/ProfileSocial.tsx";
import { Avatar } from "../components/ui.tsx";
import { dayLabel, joinedLabel, mediaUrl } from "../utils/format.ts";
import { loadProfileSocial } from "../utils/profile-social.server.ts";
import type { Route } from "./+types/profile";

export function meta({ data: d }: Route.MetaArgs) {
  return [{ title: d ? `@${d.profile.username} · Reelhouse` : "Profile · Reelhouse" }];
}

export async function loader({ params, context, request }: Route.LoaderArgs) {
  const user = await getUserByUsername(context.services.pool, params.username);
  if (!user?.username) throw data("No one has that username.", { status: 404 });
  const isSelf = context.auth.user?.id === user.id;
  const invites = isSelf ? await listInvites(context.services.pool, user.id) : null;
  const social = await loadProfileSocial(
    context,
    user.username,
    new URL(request.url).searchParams.get("tab"),
  );
  return {
    social,
    profile: {
      username: user.username,
      bio: user.bio,
      photo: mediaUrl(user.photoMediaId),
      joined: joinedLabel(user.createdAt),
    },
    isSelf,
    invites: invites?.map((i) => ({
      code: i.display,
      redeemedBy: i.redeemedBy?.username ?? (i.redeemedBy ? "a new member" : null),
      redeemedByUsername: i.redeemedBy?.username ?? null,
      redeemedAt: i.redeemedAt ? dayLabel(i.redeemedAt) : null,
    })),
  };
}

export default function Profile({ loaderData }: Route.ComponentProps) {
  const { profile, isSelf, invites, social } = loaderData;
  return (
    <div className="stack-lg">
      <section className="profile-header card">
        <Avatar src={profile.photo} name={profile.username} size={96} />
        <div className="profile-meta">
          <h1>@{profile.username}</h1>
          {profile.bio ? (
            <p className="profile-bio">{profile.bio}</p>
          ) : (
            <p className="muted">No bio yet.</p>
          )}
          <p className="muted small">Joined {profile.joined}</p>
        </div>
      </section>
      <ProfileSocial data={social} />
      {isSelf && invites ? (
        <section className="card" aria-labelledby="invites-title">
          <h2 id="invites-title" className="section-title">
            Your invite codes
          </h2>
          <p className="muted small">
            Each code lets one person join. Share them with people you'd like to create with.
          </p>
          <ul className="invite-list">
            {invites.map((i) => (
              <li key={i.code} className={`invite ${i.redeemedBy ? "invite-used" : ""}`}>
                <span className="code-chip">{i.code}</span>
                {i.redeemedBy ? (
                  <span className="invite-status">
                    Redeemed by{" "}
                    {i.redeemedByUsername ? (
                      <Link to={`/u/${i.redeemedByUsername}`}>@{i.redeemedByUsername}</Link>
                    ) : (
                      i.redeemedBy
                    )}
                    {i.redeemedAt ? <span className="muted"> · {i.redeemedAt}</span> : null}
                  </span>
                ) : (
                  <span className="invite-status badge">Available</span>
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
