import { useEffect, useState } from "react";
import { NavLink } from "react-router";

/**
 * The bell with the unread count, kept live by polling /notifications/count every 10 s (and at
 * once when the tab regains focus or a page says notifications changed).
 */
export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const r = await fetch("/notifications/count", { headers: { Accept: "application/json" } });
        if (r.ok && !stop) setUnread(((await r.json()) as { unread: number }).unread);
      } catch {
        // offline: keep the last count
      }
    };
    void poll();
    const t = setInterval(poll, 10_000);
    const onFocus = () => void poll();
    window.addEventListener("focus", onFocus);
    window.addEventListener("rh:notifications", onFocus);
    return () => {
      stop = true;
      clearInterval(t);
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
