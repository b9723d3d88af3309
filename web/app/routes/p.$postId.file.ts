import { postFile } from "@reelhouse/shared/social/posts.server";
import { data } from "react-router";
import { fileResponse, social, viewerOf } from "../utils/social.server.ts";
import type { Route } from "./+types/p.$postId.file";

const FILES = { "video.mp4": "video", "poster.jpg": "poster", "download.mp4": "download" } as const;

/** /p/:id/video.mp4 | poster.jpg | download.mp4 — after the same access check as the post page. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const which = FILES[params.file as keyof typeof FILES];
  if (!which) throw data("Not found", { status: 404 });
  const rel = await social(() =>
    postFile(context.services.pool, viewerOf(context), params.postId, which),
  );
  return fileResponse(
    request,
    rel,
    which === "download" ? { download: `reelhouse-${params.postId.slice(0, 8)}.mp4` } : {},
  );
}
