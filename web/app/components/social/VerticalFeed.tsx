import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useFetcher } from "react-router";
import { useCsrfToken } from "../ui.tsx";
import { Caption, compact, RemixLabel } from "./Caption.tsx";
import { Icon } from "./Icon.tsx";
import { releaseVelocity, SWIPE, swipeTarget } from "./swipe.ts";

export type FeedPost = {
  id: string;
  author: { id: string; username: string };
  caption: string;
  videoUrl: string | null;
  posterUrl: string | null;
  likeCount: number;
  commentCount: number;
  remixCount: number;
  likedByViewer: boolean;
  allowRemix: boolean;
  remixOf: { id: string; username: string | null; available: boolean } | null;
};

type Page = { posts: FeedPost[]; nextCursor: string | null };

/**
 * The full-screen vertical feed: one video per screen with scroll snap; the visible one plays
 * (muted until the person unmutes), the next two preload; ↑/↓ or j/k move, m mutes, l likes; on
 * touch screens the feed follows the finger and a swipe settles exactly one video on or back
 * (swipe.ts; native scroll snap let hard flicks skip videos). More pages load before the end.
 */
export function VerticalFeed({
  initial,
  pageUrl,
  signedIn,
}: {
  initial: Page;
  pageUrl: (cursor: string) => string;
  signedIn: boolean;
}) {
  // The parent keys this component by tab: a new tab starts a new list; revalidations don't reset it.
  const [posts, setPosts] = useState(initial.posts);
  const [cursor, setCursor] = useState(initial.nextCursor);
  const [active, setActive] = useState(0);
  const [muted, setMuted] = useState(true);
  const [liked, setLiked] = useState<Record<string, { liked: boolean; count: number }>>({});
  const [copied, setCopied] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const more = useFetcher<Page>();
  const likeFetcher = useFetcher();
  const csrf = useCsrfToken();

  // Append the next page; ids already shown are skipped (defensive: cursors never repeat).
  useEffect(() => {
    const d = more.data;
    if (!d || more.state !== "idle") return;
    setPosts((prev) => {
      const seen = new Set(prev.map((p) => p.id));
      return [...prev, ...d.posts.filter((p) => !seen.has(p.id))];
    });
    setCursor(d.nextCursor);
  }, [more.data, more.state]);

  useEffect(() => {
    if (cursor && more.state === "idle" && active >= posts.length - 3) more.load(pageUrl(cursor));
  }, [active, posts.length, cursor, more, pageUrl]);

  // The item at least 60% visible is the active one (re-observed when pages are appended).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the DOM items change with `posts`
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries)
          if (e.isIntersecting) setActive(Number((e.target as HTMLElement).dataset.index));
      },
      { root, threshold: 0.6 },
    );
    for (const el of root.querySelectorAll("[data-index]")) io.observe(el);
    return () => io.disconnect();
  }, [posts]);

  // Play the active video, pause the rest; preload the next two.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the DOM videos change with `posts`
  useEffect(() => {
    const root = box.current;
    if (!root) return;
    root.querySelectorAll<HTMLVideoElement>("video[data-vi]").forEach((v) => {
      const i = Number(v.dataset.vi);
      v.muted = muted;
      v.preload = i >= active && i <= active + 2 ? "auto" : "metadata";
      if (i === active) void v.play().catch(() => {});
      else if (!v.paused) v.pause();
    });
  }, [active, muted, posts]);

  // Touch (and pen) swipes: the feed follows the finger with snapping off (`feed-dragging`; CSS
  // touch-action leaves only pinch-zoom to the browser), then glides to the item swipeTarget
  // picks and snaps again. Mouse wheels, trackpads and the keyboard keep native scroll snap.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    type Drag = {
      id: number;
      from: number;
      startY: number;
      startTop: number;
      moved: boolean;
      samples: { t: number; y: number }[];
    };
    let drag: Drag | null = null;
    let settling: ReturnType<typeof setTimeout> | undefined;
    const snapAgain = () => {
      clearTimeout(settling);
      el.removeEventListener("scrollend", snapAgain);
      if (!drag?.moved) el.classList.remove("feed-dragging");
    };
    const settle = (index: number) => {
      const item = el.querySelectorAll<HTMLElement>("[data-index]")[index];
      const top = item?.offsetTop ?? el.scrollTop;
      if (Math.abs(el.scrollTop - top) < 1) return snapAgain();
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      el.addEventListener("scrollend", snapAgain);
      settling = setTimeout(snapAgain, 1000); // if scrollend never comes
      el.scrollTo({ top, behavior: smooth ? "smooth" : "instant" });
    };
    const down = (e: PointerEvent) => {
      if (e.pointerType === "mouse") return;
      if (drag) {
        // A second finger (pinch): not a swipe. Put the first one's drag back.
        const { from, moved } = drag;
        drag = null;
        if (moved) settle(from);
        return;
      }
      const height = el.clientHeight || 1;
      drag = {
        id: e.pointerId,
        from: Math.round(el.scrollTop / height),
        startY: e.clientY,
        startTop: el.scrollTop,
        moved: false,
        samples: [{ t: e.timeStamp, y: e.clientY }],
      };
    };
    const move = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const dy = e.clientY - drag.startY;
      if (!drag.moved && Math.abs(dy) < SWIPE.slopPx) return;
      if (!drag.moved) {
        drag.moved = true;
        clearTimeout(settling);
        el.removeEventListener("scrollend", snapAgain);
        el.classList.add("feed-dragging");
      }
      el.scrollTop = drag.startTop - dy;
      drag.samples.push({ t: e.timeStamp, y: e.clientY });
      if (drag.samples.length > 32) drag.samples.shift();
    };
    const up = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const d = drag;
      drag = null;
      if (!d.moved) return;
      const count = el.querySelectorAll("[data-index]").length;
      const dy = e.clientY - d.startY;
      d.samples.push({ t: e.timeStamp, y: e.clientY });
      const vy = releaseVelocity(d.samples);
      settle(swipeTarget({ from: d.from, dy, vy, height: el.clientHeight, count }));
    };
    const cancel = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      const { from, moved } = drag;
      drag = null;
      if (moved) settle(from);
    };
    el.addEventListener("pointerdown", down);
    el.addEventListener("pointermove", move);
    el.addEventListener("pointerup", up);
    el.addEventListener("pointercancel", cancel);
    return () => {
      clearTimeout(settling);
      el.removeEventListener("scrollend", snapAgain);
      el.removeEventListener("pointerdown", down);
      el.removeEventListener("pointermove", move);
      el.removeEventListener("pointerup", up);
      el.removeEventListener("pointercancel", cancel);
    };
  }, []);

  const go = useCallback(
    (delta: number) => {
      const root = box.current;
      if (!root) return;
      const next = Math.max(0, Math.min(posts.length - 1, active + delta));
      root.children[next]?.scrollIntoView({ behavior: "smooth", block: "start" });
    },
    [active, posts.length],
  );

  const toggleLike = useCallback(
    (p: FeedPost) => {
      if (!signedIn) return;
      const cur = liked[p.id] ?? { liked: p.likedByViewer, count: p.likeCount };
      const nextLiked = !cur.liked;
      setLiked((m) => ({
        ...m,
        [p.id]: { liked: nextLiked, count: cur.count + (nextLiked ? 1 : -1) },
      }));
      likeFetcher.submit(
        { csrf, intent: nextLiked ? "like" : "unlike" },
        { method: "post", action: `/p/${p.id}/like` },
      );
    },
    [liked, likeFetcher, csrf, signedIn],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
      if (e.key === "ArrowDown" || e.key === "j") {
        e.preventDefault();
        go(1);
      } else if (e.key === "ArrowUp" || e.key === "k") {
        e.preventDefault();
        go(-1);
      } else if (e.key === "m") setMuted((m) => !m);
      else if (e.key === "l" && posts[active]) toggleLike(posts[active]!);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, toggleLike, posts, active]);

  if (posts.length === 0) {
    return (
      <div className="feed-empty">
        <p>Nothing here yet.</p>
        <p className="muted small">Follow creators or publish a video to fill this feed.</p>
      </div>
    );
  }

  return (
    <div className="feed" ref={box} role="feed" aria-label="Video feed" data-testid="feed">
      {posts.map((p, i) => {
        const l = liked[p.id] ?? { liked: p.likedByViewer, count: p.likeCount };
        return (
          <article
            key={p.id}
            className="feed-item"
            data-index={i}
            data-post-id={p.id}
            aria-current={i === active ? "true" : undefined}
          >
            <div className="feed-stage">
              {p.videoUrl ? (
                <video
                  className="feed-video"
                  data-vi={i}
                  src={p.videoUrl}
                  poster={p.posterUrl ?? undefined}
                  loop
                  muted
                  playsInline
                  preload={i <= 2 ? "auto" : "metadata"}
                  onClick={() => setMuted((m) => !m)}
                />
              ) : (
                <div className="feed-video feed-video-missing">Video unavailable</div>
              )}
              <button
                type="button"
                className="feed-mute"
                onClick={() => setMuted((m) => !m)}
                aria-pressed={!muted}
              >
                <Icon name={muted ? "muted" : "sound"} size={16} />{" "}
                {muted ? "Tap to unmute" : "Sound on"}
              </button>
              <div className="feed-info">
                <Link to={`/u/${p.author.username}`} className="feed-author">
                  @{p.author.username}
                </Link>
                <RemixLabel remixOf={p.remixOf} />
                <Caption text={p.caption} />
              </div>
              <div className="feed-rail">
                <button
                  type="button"
                  className={`rail-btn ${l.liked ? "rail-on" : ""}`}
                  onClick={() => toggleLike(p)}
                  disabled={!signedIn}
                  aria-pressed={l.liked}
                  aria-label={l.liked ? "Unlike" : "Like"}
                  title={signedIn ? "Like (l)" : "Sign in to like"}
                >
                  <Icon name="heart" filled={l.liked} size={28} />
                  <span className="rail-count" data-testid="like-count">
                    {compact(l.count)}
                  </span>
                </button>
                <Link to={`/p/${p.id}#comments`} className="rail-btn" aria-label="Comments">
                  <Icon name="comment" size={28} />
                  <span className="rail-count">{compact(p.commentCount)}</span>
                </Link>
                <button
                  type="button"
                  className="rail-btn"
                  aria-label="Copy link"
                  onClick={() => {
                    void navigator.clipboard
                      ?.writeText(`${window.location.origin}/p/${p.id}`)
                      .catch(() => {});
                    setCopied(p.id);
                    setTimeout(() => setCopied(null), 1500);
                  }}
                >
                  <Icon name="share" size={28} />
                  <span className="rail-count">{copied === p.id ? "Copied" : "Share"}</span>
                </button>
                {p.allowRemix && signedIn ? (
                  <Link to={`/p/${p.id}`} className="rail-btn" aria-label="Remix">
                    <Icon name="remix" size={28} />
                    <span className="rail-count">{compact(p.remixCount)}</span>
                  </Link>
                ) : null}
              </div>
            </div>
          </article>
        );
      })}
      {more.state !== "idle" ? <div className="feed-loading">Loading…</div> : null}
    </div>
  );
}
