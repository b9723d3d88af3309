import { useEffect, useState } from "react";
import { NavLink } from "react-router";

/**
 * The bell with the unread count, kept live by the server-sent events of /notifications/stream
 * (pushed when a notification arrives or is read). If EventSource is missing or the stream fails,
 * it falls back to polling /notifications/count every 10 s. Either way it re-counts at once when
 * the tab regains focus or a page says notifications changed.
 */
export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setInterval> | null = null;
    let source: EventSource | null = null;
    const poll = async () => {
      try {
        const r = await fetch("/notifications/count", { headers: { Accept: "application/json" } });
        if (r.ok && !stop) setUnread(((await r.json()) as { unread: number }).unread);
      } catch {
        // offline: keep the last count
      }
    };
    const startPolling = () => {
      if (timer || stop) return;
      timer = setInterval(poll, 10_000);
    };
    void poll();
    if (typeof EventSource === "function") {
      source = new EventSource("/notifications/stream");
      source.onmessage = (e) => {
        try {
          const n = (JSON.parse(e.data as string) as { unread: number }).unread;
          if (!stop && typeof n === "number") setUnread(n);
        } catch {
          // ignore a malformed event
        }
      };
      source.onerror = () => {
        // CLOSED means the browser gave up (e.g. 401 or not an event stream): poll instead.
        // While it reconnects, poll too, so the badge does not go stale.
        startPolling();
        if (source?.readyState === EventSource.CLOSED) source = null;
      };
      source.onopen = () => {
        if (timer) clearInterval(timer);
        timer = null;
      };
    } else {
      startPolling();
    }
    const onFocus = () => void poll();
    window.addEventListener("focus", onFocus);
    window.addEventListener("rh:notifications", onFocus);
    return () => {
      stop = true;
      source?.close();
      if (timer) clearInterval(timer);
      window.removeEventListener("focus", onFocus);
      window.removeEventListener("rh:notifications", onFocus);
    };
  }, []);
  return (
    <NavLink
      to="/notifications"
      className="nav-link nav-bell"
      aria-label={`Notifications${unread ? `, ${unread} unread` : ""}`}
    >
      <svg
        width="20"
        height="20"
        viewBox="0 0 24 24"
        aria-hidden="true"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread ? (
        <span className="bell-count" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
