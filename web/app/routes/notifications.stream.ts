import { unreadCount } from "@reelhouse/shared/social/notifications.server";
import type { Route } from "./+types/notifications.stream";

const HEARTBEAT_MS = 25_000;

/**
 * GET: server-sent events with the signed-in user's unread count (`data: {"unread":n}`), sent at
 * once and again whenever one of their notification rows is inserted, marked read or deleted
 * (the 0033 trigger → the process's one NotificationFeed LISTEN connection). Anonymous → 401.
 * The subscription ends when the client goes away. NotificationBell falls back to polling
 * /notifications/count if this stream fails.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const user = context.auth.user;
  if (!user) return new Response("Sign in to see notifications.", { status: 401 });
  const { pool, notificationFeed } = context.services;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let last = -1;
      let counting = false;
      let again = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      // Counts are coalesced: events arriving during a count cause one more count afterwards.
      const push = async () => {
        if (counting) {
          again = true;
          return;
        }
        counting = true;
        try {
          do {
            again = false;
            const n = await unreadCount(pool, user.id);
            if (n !== last) {
              last = n;
              send(`data: ${JSON.stringify({ unread: n })}\n\n`);
            }
          } while (again && !closed);
        } catch {
          // A failed count is retried by the next event or the client's reconnect.
        } finally {
          counting = false;
        }
      };
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed or errored
        }
      };
      request.signal.addEventListener("abort", cleanup, { once: true });
      send("retry: 5000\n\n");
      try {
        unsubscribe = await notificationFeed.subscribe(user.id, () => void push());
      } catch {
        cleanup();
        return;
      }
      if (closed || request.signal.aborted) {
        unsubscribe();
        return;
      }
      await push();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
