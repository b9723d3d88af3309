import { SocialError } from "@reelhouse/shared/social/errors";
import {
  createdPosts,
  likedPosts,
  remixPosts,
  socialProfile,
} from "@reelhouse/shared/social/profiles.server";
import { type AppLoadContext, data } from "react-router";
import { viewerOf } from "./social.server.ts";

export type ProfileTab = "videos" | "liked" | "remixes";

/**
 * The social part of a profile page (rendered by <ProfileSocial>): counts, follow/block state and
 * the chosen list. A profile hidden by a block is a 404, like a missing one.
 */
export async function loadProfileSocial(
  context: AppLoadContext,
  username: string,
  tabParam: string | null,
) {
  const pool = context.services.pool;
  const v = viewerOf(context);
  try {
    const profile = await socialProfile(pool, v, username);
    const tab: ProfileTab = tabParam === "liked" || tabParam === "remixes" ? tabParam : "videos";
    let posts: Awaited<ReturnType<typeof createdPosts>>["posts"] = [];
    let likedHidden = false;
    if (tab === "videos") posts = (await createdPosts(pool, v, profile.userId)).posts;
    else if (tab === "remixes") posts = (await remixPosts(pool, v, profile.userId)).posts;
    else {
      try {
        posts = (await likedPosts(pool, v, profile.userId)).posts;
      } catch (err) {
        if (!(err instanceof SocialError && err.code === "forbidden")) throw err;
        likedHidden = true;
      }
    }
    return {
      profile,
      tab,
      likedHidden,
      signedIn: v !== null,
      posts: posts.map((p) => ({
        id: p.id,
        posterUrl: p.posterUrl,
        caption: p.caption,
        likeCount: p.likeCount,
        status: p.status,
        remixOf: p.remixOf,
      })),
    };
  } catch (err) {
    if (err instanceof SocialError) throw data(err.message, { status: err.status });
    throw err;
  }
}

export type ProfileSocialData = Awaited<ReturnType<typeof loadProfileSocial>>;
