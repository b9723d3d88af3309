import { trending } from "@reelhouse/shared/social/feed.server";
import { Link } from "react-router";
import "../components/social/social.css";
import { viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/trending";

export function meta() {
  return [{ title: "Trending · Reelhouse" }];
}

export async function loader({ context }: Route.LoaderArgs) {
  return trending(context.services.pool, viewerOf(context), 7, 30);
}

export default function Trending({ loaderData }: Route.ComponentProps) {
  const { hashtags, styles } = loaderData;
  return (
    <div className="stack-lg">
      <div>
        <h1>Trending</h1>
        <p className="muted">Hashtags and styles of the last 7 days, by videos and engagement.</p>
      </div>
      <div className="trend-cols">
        <section className="card">
          <h2 className="section-title">Hashtags</h2>
          {hashtags.length === 0 ? <p className="muted">No hashtags yet.</p> : null}
          <ol className="trend-list">
            {hashtags.map((t) => (
              <li key={t.key}>
                <Link to={`/tag/${t.key}`}>#{t.key}</Link>
                <span className="muted small">
                  {t.posts} video{t.posts === 1 ? "" : "s"} · {t.engagement} interactions
                </span>
              </li>
            ))}
          </ol>
        </section>
        <section className="card">
          <h2 className="section-title">Styles</h2>
          {styles.length === 0 ? <p className="muted">No styles yet.</p> : null}
          <ol className="trend-list">
            {styles.map((t) => (
              <li key={t.key}>
                <span>{t.key}</span>
                <span className="muted small">
                  {t.posts} video{t.posts === 1 ? "" : "s"} · {t.engagement} interactions
                </span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
