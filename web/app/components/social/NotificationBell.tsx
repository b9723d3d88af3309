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
      <span aria-hidden="true">🔔</span>
      {unread ? (
        <span className="bell-count" data-testid="unread-count">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
