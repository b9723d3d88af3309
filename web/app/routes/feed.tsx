import { following, forYou } from "@reelhouse/shared/social/feed.server";
import { useCallback } from "react";
import { Link, type ShouldRevalidateFunctionArgs } from "react-router";
import { VerticalFeed } from "../components/social/VerticalFeed.tsx";
import "../components/social/social.css";
import { social, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/feed";

export function meta() {
  return [{ title: "Feed · Reelhouse" }];
}

/** A like from the feed changes nothing the feed loader computes: don't re-rank under the viewer. */
export function shouldRevalidate({
  formAction,
  defaultShouldRevalidate,
}: ShouldRevalidateFunctionArgs) {
  if (formAction?.startsWith("/p/")) return false;
  return defaultShouldRevalidate;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const tab = url.searchParams.get("tab") === "following" ? "following" : "foryou";
  const cursor = url.searchParams.get("cursor");
  const v = viewerOf(context);
  const pool = context.services.pool;
  const page = await social(() =>
    tab === "following" ? following(pool, v, cursor) : forYou(pool, v, cursor),
  );
  return { tab, signedIn: v !== null, posts: page.posts, nextCursor: page.nextCursor };
}

export default function Feed({ loaderData }: Route.ComponentProps) {
  const { tab, signedIn } = loaderData;
  const pageUrl = useCallback(
    (cursor: string) => `/feed?tab=${tab}&cursor=${encodeURIComponent(cursor)}`,
    [tab],
  );
  return (
    <div className="feed-page">
      <nav className="feed-tabs" aria-label="Feeds">
        <Link
          to="/feed"
          className={`feed-tab ${tab === "foryou" ? "feed-tab-on" : ""}`}
          aria-current={tab === "foryou" ? "page" : undefined}
        >
          For you
        </Link>
        {signedIn ? (
          <Link
            to="/feed?tab=following"
            className={`feed-tab ${tab === "following" ? "feed-tab-on" : ""}`}
            aria-current={tab === "following" ? "page" : undefined}
          >
            Following
          </Link>
        ) : null}
        <Link to="/trending" className="feed-tab">
          Trending
        </Link>
      </nav>
      <VerticalFeed key={tab} initial={loaderData} pageUrl={pageUrl} signedIn={signedIn} />
      <p className="feed-keys muted small" aria-hidden="true">
        ↑/↓ or j/k to move · m mute · l like
      </p>
    </div>
  );
}
