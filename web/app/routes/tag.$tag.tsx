import { tagPosts } from "@reelhouse/shared/social/feed.server";
import { Link } from "react-router";
import "../components/social/social.css";
import { social, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/tag.$tag";

export function meta({ params }: Route.MetaArgs) {
  return [{ title: `#${params.tag} · Reelhouse` }];
}

export async function loader({ context, params }: Route.LoaderArgs) {
  const posts = await social(() =>
    tagPosts(context.services.pool, viewerOf(context), params.tag, 60),
  );
  return { tag: params.tag.toLowerCase(), posts };
}

export default function Tag({ loaderData }: Route.ComponentProps) {
  return (
    <div className="stack-lg">
      <h1>#{loaderData.tag}</h1>
      {loaderData.posts.length === 0 ? (
        <p className="muted">No videos with this hashtag yet.</p>
      ) : null}
      <ul className="thumb-grid">
        {loaderData.posts.map((p) => (
          <li key={p.id}>
            <Link to={`/p/${p.id}`} className="thumb">
              {p.posterUrl ? (
                <img src={p.posterUrl} alt={p.caption || `Video by @${p.author.username}`} />
              ) : null}
              <span className="thumb-label">
                ♥ {p.likeCount} · @{p.author.username}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
