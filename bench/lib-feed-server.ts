/**
 * The feed benchmark's HTTP server (a child process of bench/feed.ts): serves the For you, Following
 * and newest-posts endpoints by calling the same shared/src/social functions the web routes call,
 * after the same viewer lookup a signed-in request makes. Prints `{"port":N}` when listening.
 */
import http from "node:http";
import { createPool } from "@reelhouse/shared/db/pool.server";
import { following, forYou, newest } from "@reelhouse/shared/social/feed.server";
import { enablePostCardCache } from "@reelhouse/shared/social/post-cards.server";
import { loadViewer } from "@reelhouse/shared/social/viewer.server";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL required");
const pool = createPool(url, Number(process.env.BENCH_POOL ?? 10));
// As the web server does (web/server.ts): feed pages take post cards from this process's cache.
const cards = enablePostCardCache(pool, url);
await cards.ready();

/** User number n (0-based) → its uuid, as bench/feed.ts generates them. */
export const userUuid = (n: number) =>
  `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

const server = http.createServer(async (req, res) => {
  try {
    const u = new URL(req.url ?? "/", "http://x");
    const viewer = await loadViewer(pool, userUuid(Number(u.searchParams.get("viewer") ?? 0)));
    const cursor = u.searchParams.get("cursor");
    let body: unknown;
    if (u.pathname === "/for-you") body = await forYou(pool, viewer, cursor, 10);
    else if (u.pathname === "/following") body = await following(pool, viewer, cursor, 10);
    else if (u.pathname === "/newest") body = { posts: await newest(pool, viewer, 20) };
    else {
      res.writeHead(404).end();
      return;
    }
    const json = JSON.stringify(body);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(json),
    });
    res.end(json);
  } catch (err) {
    res.writeHead(500, { "content-type": "text/plain" }).end(String((err as Error).message));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  console.log(JSON.stringify({ port: typeof addr === "object" && addr ? addr.port : 0 }));
});
const stop = () => {
  server.close();
  void cards
    .stop()
    .then(() => pool.end())
    .then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
