import { unreadCount } from "@reelhouse/shared/social/notifications.server";
import type { Route } from "./+types/notifications.count";

/** GET: `{ unread }` for the live badge (polled by NotificationBell). */
export async function loader({ context }: Route.LoaderArgs) {
  const user = context.auth.user;
  const unread = user ? await unreadCount(context.services.pool, user.id) : 0;
  return Response.json({ unread }, { headers: { "Cache-Control": "no-store" } });
}
