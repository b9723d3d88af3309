import { captionParts } from "@reelhouse/shared/social/text";
import { Link } from "react-router";

/** A caption with #hashtags linking to their tag page and @mentions to profiles. */
export function Caption({ text }: { text: string }) {
  return (
    <p className="caption">
      {captionParts(text).map((p, i) =>
        p.kind === "hashtag" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <Link key={i} to={`/tag/${p.tag}`} className="caption-tag">
            {p.text}
          </Link>
        ) : p.kind === "mention" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <Link key={i} to={`/u/${p.username}`} className="caption-mention">
            {p.text}
          </Link>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <span key={i}>{p.text}</span>
        ),
      )}
    </p>
  );
}

/** "Remix of @owner" linking the original, or "original removed" once it is gone. */
export function RemixLabel({
  remixOf,
}: {
  remixOf: { id: string; username: string | null; available: boolean } | null;
}) {
  if (!remixOf) return null;
  return remixOf.available ? (
    <Link to={`/p/${remixOf.id}`} className="remix-label">
      ↻ Remix of @{remixOf.username}
    </Link>
  ) : (
    <span className="remix-label remix-label-gone">↻ Remix · original removed</span>
  );
}

export const compact = (n: number) =>
  n >= 1_000_000
    ? `${(n / 1_000_000).toFixed(1)}M`
    : n >= 10_000
      ? `${Math.round(n / 1000)}K`
      : n >= 1000
        ? `${(n / 1000).toFixed(1)}K`
        : String(n);
