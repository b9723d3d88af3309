import { env } from "@reelhouse/shared/env.server";
import { getPost } from "@reelhouse/shared/social/posts.server";
import { social } from "../utils/social.server.ts";
import type { Route } from "./+types/embed.$postId";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The embeddable player: a bare HTML page with the video and a link back, for <iframe>s on other
 * sites. Shown as an anonymous visitor would see the post (public, all-audience posts only), and
 * the only page allowed in frames (http/security.ts).
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const post = await social(() => getPost(context.services.pool, null, params.postId));
  const origin = env().PUBLIC_URL?.replace(/\/$/, "") ?? new URL(request.url).origin;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>@${esc(post.author.username)} on Reelhouse</title>
<style>html,body{margin:0;height:100%;background:#000;font:14px system-ui,sans-serif}video{width:100%;height:100%;object-fit:contain;display:block}
a{position:absolute;left:10px;bottom:10px;color:#fff;background:rgba(0,0,0,.55);padding:6px 10px;border-radius:999px;text-decoration:none}</style></head>
<body><video src="${esc(post.videoUrl ?? "")}" poster="${esc(post.posterUrl ?? "")}" controls muted autoplay loop playsinline></video>
<a href="${esc(`${origin}/p/${post.id}`)}" target="_blank" rel="noopener">▶ @${esc(post.author.username)} · Reelhouse</a></body></html>`;
  return new Response(html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
