import type { Server } from "node:http";
import type { Socket } from "node:net";

/**
 * Slow clients on the collab server's HTTP side (issue 16 B7). Hocuspocus creates its own
 * http.Server, whose Node timeouts are checked only every 30 s; so each new connection also gets
 * a deadline of its own: it must have become a WebSocket (its upgrade request fully arrived)
 * within `requestTimeoutMs`, else it is answered 408 and closed. Plain HTTP requests (Hocuspocus
 * answers a greeting) close after their response. Upgraded connections are then governed by the
 * WebSocket layer (Hocuspocus pings, message limits).
 */
export function limitHttpConnections(
  server: Server,
  opts: { headersTimeoutMs: number; requestTimeoutMs: number },
): void {
  server.headersTimeout = Math.min(opts.headersTimeoutMs, opts.requestTimeoutMs);
  server.requestTimeout = opts.requestTimeoutMs;
  server.keepAliveTimeout = 1000;
  const deadlines = new WeakMap<Socket, NodeJS.Timeout>();
  server.on("connection", (socket: Socket) => {
    const timer = setTimeout(() => {
      if (socket.destroyed) return;
      socket.end("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      setTimeout(() => socket.destroy(), 500).unref();
    }, opts.requestTimeoutMs);
    timer.unref();
    deadlines.set(socket, timer);
    socket.once("close", () => clearTimeout(timer));
  });
  server.prependListener("upgrade", (_req, socket: Socket) => {
    clearTimeout(deadlines.get(socket));
  });
  server.prependListener("request", (_req, res) => {
    res.shouldKeepAlive = false;
  });
}
