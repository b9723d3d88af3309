import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Pool, PoolClient } from "../db/pool.server.ts";
import { transaction } from "../db/pool.server.ts";
import { dataDir } from "../paths.server.ts";
import { publishRefusal } from "../review/publish-rules.server.ts";
import type { Role } from "../workspaces/roles.ts";
import { forbidden, invalid, notFound } from "./errors.ts";
import { parseHashtags, parseMentions } from "./text.ts";
import {
  isBlockedEitherWay,
  isUuid,
  type Queryable,
  seesAdultContent,
  type Viewer,
} from "./viewer.server.ts";

export type PostStatus = "published" | "unpublished" | "removed" | "deleted";
export type Audience = "all" | "adults";

/** A post as every route shows it. Media URLs are served by access-checked routes, never paths. */
export type PostView = {
  id: string;
  author: { id: string; username: string; displayName: string; photoMediaId: string | null };
  caption: string;
  status: PostStatus;
  audience: Audience;
  allowRemix: boolean;
  style: string | null;
  videoUrl: string | null;
  posterUrl: string | null;
  downloadUrl: string | null;
  durationMs: number | null;
  width: number | null;
  height: number | null;
  likeCount: number;
  commentCount: number;
  remixCount: number;
  likedByViewer: boolean;
  publishedAt: Date;
  /** "Remix of @owner": the original, or `available: false` once it is gone ("original removed"). */
  remixOf: { id: string; username: string | null; available: boolean } | null;
};

/**
 * What a feed shows of a post that rarely changes (caption, media, the author's name and photo,
 * remix attribution): a PostView without the counters and the viewer's like. `origAuthorId` tells
 * the card cache (post-cards.server.ts) which user's rename concerns it.
 */
export type PostCard = Omit<
  PostView,
  "likeCount" | "commentCount" | "remixCount" | "likedByViewer"
> & { origAuthorId: string | null };

/** What a PostView adds to its card: this moment's counters and the viewer's like. */
export type PostCounts = {
  likeCount: number;
  commentCount: number;
  remixCount: number;
  likedByViewer: boolean;
};

/** A PostCard as one result row (`POST_CARD_COLUMNS` selects exactly these). */
export type PostCardRow = {
  id: string;
  author_id: string;
  username: string;
  display_name: string;
  photo_media_id: string | null;
  caption: string;
  status: PostStatus;
  audience: Audience;
  allow_remix: boolean;
  style: string | null;
  video_path: string | null;
  poster_path: string | null;
  download_path: string | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  published_at: Date;
  remix_of: string | null;
  orig_status: PostStatus | null;
  orig_username: string | null;
  orig_author_id: string | null;
};

/** A PostView as one result row (`postViewColumns` selects exactly these). */
export type PostViewRow = PostCardRow & {
  like_count: number;
  comment_count: number;
  remix_count: number;
  liked: boolean;
};

/** The select list of a PostCard for the post aliased `p`, joined with POST_VIEW_JOINS. */
export const POST_CARD_COLUMNS = `p.id, p.author_id, u.username, u.display_name, u.photo_media_id,
   p.caption, p.status, p.audience, p.allow_remix, p.style, p.video_path, p.poster_path,
   p.download_path, p.duration_ms, p.width, p.height, p.published_at, p.remix_of,
   o.status AS orig_status, ou.username AS orig_username, o.author_id AS orig_author_id`;

/**
 * The select list of a PostView: the card's columns, the counters and whether the viewer liked it;
 * `viewerParam` is the placeholder of the viewer's id (null: nothing is liked).
 */
export const postViewColumns = (viewerParam: string) =>
  `${POST_CARD_COLUMNS}, p.like_count, p.comment_count, p.remix_count,
   EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ${viewerParam}) AS liked`;

/** The joins `POST_CARD_COLUMNS` reads from (author, remix original and its author). */
export const POST_VIEW_JOINS = `JOIN users u ON u.id = p.author_id
   LEFT JOIN posts o ON o.id = p.remix_of
   LEFT JOIN users ou ON ou.id = o.author_id`;

export const toCard = (r: PostCardRow): PostCard => ({
  id: r.id,
  author: {
    id: r.author_id,
    username: r.username,
    displayName: r.display_name,
    photoMediaId: r.photo_media_id,
  },
  caption: r.status === "deleted" ? "" : r.caption,
  status: r.status,
  audience: r.audience,
  allowRemix: r.allow_remix,
  style: r.style,
  videoUrl: r.video_path ? `/p/${r.id}/video.mp4` : null,
  posterUrl: r.poster_path ? `/p/${r.id}/poster.jpg` : null,
  downloadUrl: r.download_path ? `/p/${r.id}/download.mp4` : null,
  durationMs: r.duration_ms,
  width: r.width,
  height: r.height,
  publishedAt: r.published_at,
  remixOf: r.remix_of
    ? {
        id: r.remix_of,
        username: r.orig_status === "published" ? r.orig_username : null,
        available: r.orig_status === "published",
      }
    : null,
  origAuthorId: r.orig_author_id,
});

/** A card with this moment's counters and the viewer's like. */
export function withCounts(c: PostCard, counts: PostCounts): PostView {
  // Field by field: object rest/spread here cost a tenth of a feed request's CPU.
  return {
    id: c.id,
    author: c.author,
    caption: c.caption,
    status: c.status,
    audience: c.audience,
    allowRemix: c.allowRemix,
    style: c.style,
    videoUrl: c.videoUrl,
    posterUrl: c.posterUrl,
    downloadUrl: c.downloadUrl,
    durationMs: c.durationMs,
    width: c.width,
    height: c.height,
    likeCount: counts.likeCount,
    commentCount: counts.commentCount,
    remixCount: counts.remixCount,
    likedByViewer: counts.likedByViewer,
    publishedAt: c.publishedAt,
    remixOf: c.remixOf,
  };
}

export const toView = (r: PostViewRow): PostView =>
  withCounts(toCard(r), {
    likeCount: r.like_count,
    commentCount: r.comment_count,
    remixCount: r.remix_count,
    likedByViewer: r.liked,
  });

/** Loads posts by id (no access check: callers pass ids they already filtered), in `ids` order. */
export async function hydratePosts(
  q: Queryable,
  viewerId: string | null,
  ids: readonly string[],
): Promise<PostView[]> {
  if (ids.length === 0) return [];
  const r = await q.query<PostViewRow>({
    name: "social_hydrate",
    text: `SELECT ${postViewColumns("$2")} FROM posts p ${POST_VIEW_JOINS} WHERE p.id = ANY($1::uuid[])`,
    values: [ids, viewerId],
  });
  const byId = new Map(r.rows.map((row) => [row.id, toView(row)]));
  return ids.map((id) => byId.get(id)).filter((p): p is PostView => p !== undefined);
}

type AccessRow = {
  id: string;
  author_id: string;
  status: PostStatus;
  audience: Audience;
  allow_remix: boolean;
};

/**
 * The one access rule for reading a post. Published: everyone except a blocked pair, and minors or
 * anonymous visitors only for audience "all". Unpublished or removed: the owner and moderators.
 * Deleted: nobody. Anything invisible is "not found", whatever the reason.
 */
export function canRead(
  v: Viewer,
  p: Pick<AccessRow, "author_id" | "status" | "audience">,
  blocked: boolean,
): boolean {
  if (p.status === "deleted") return false;
  const owner = v !== null && v.id === p.author_id;
  if (v?.isModerator) return true;
  if (owner) return true;
  if (p.status !== "published") return false;
  if (blocked) return false;
  if (p.audience === "adults" && !seesAdultContent(v)) return false;
  return true;
}

/** The post's access row if the viewer may read it; not_found otherwise. */
export async function requireReadablePost(
  q: Queryable,
  v: Viewer,
  postId: string,
): Promise<AccessRow> {
  if (!isUuid(postId)) throw notFound("post");
  const r = await q.query<AccessRow>(
    "SELECT id, author_id, status, audience, allow_remix FROM posts WHERE id = $1",
    [postId],
  );
  const p = r.rows[0];
  if (!p) throw notFound("post");
  const blocked =
    v !== null && v.id !== p.author_id && (await isBlockedEitherWay(q, v.id, p.author_id));
  if (!canRead(v, p, blocked)) throw notFound("post");
  return p;
}

/** A post for its page (/p/:id), or not_found. */
export async function getPost(q: Queryable, v: Viewer, postId: string): Promise<PostView> {
  await requireReadablePost(q, v, postId);
  const [post] = await hydratePosts(q, v?.id ?? null, [postId]);
  if (!post) throw notFound("post");
  return post;
}

/** The stored file of a post (for the media routes), after the same access check. */
export async function postFile(
  q: Queryable,
  v: Viewer,
  postId: string,
  which: "video" | "poster" | "download",
): Promise<string> {
  await requireReadablePost(q, v, postId);
  const col = { video: "video_path", poster: "poster_path", download: "download_path" }[which];
  const r = await q.query<{ path: string | null }>(
    `SELECT ${col} AS path FROM posts WHERE id = $1`,
    [postId],
  );
  const path = r.rows[0]?.path;
  if (!path) throw notFound("file");
  return path;
}

async function requireOwnPost(q: Queryable, v: Viewer, postId: string): Promise<AccessRow> {
  if (!v) throw notFound("post");
  const p = await requireReadablePost(q, v, postId);
  if (p.author_id !== v.id) throw forbidden("only the post's owner can do this");
  return p;
}

/** Owner: take a post out of feeds (it stays, visible to the owner only), or put it back. */
export async function setPublished(
  q: Queryable,
  v: Viewer,
  postId: string,
  published: boolean,
): Promise<void> {
  const p = await requireOwnPost(q, v, postId);
  if (p.status === "removed") throw forbidden("a moderator removed this post");
  await q.query(
    "UPDATE posts SET status = $2 WHERE id = $1 AND status IN ('published', 'unpublished')",
    [postId, published ? "published" : "unpublished"],
  );
}

/** Owner: allow or forbid remixes of a post. */
export async function setAllowRemix(
  q: Queryable,
  v: Viewer,
  postId: string,
  allow: boolean,
): Promise<void> {
  await requireOwnPost(q, v, postId);
  await q.query("UPDATE posts SET allow_remix = $2 WHERE id = $1", [postId, allow]);
}

/**
 * Owner: delete a post. The row stays, emptied and invisible, so remixes of it still say
 * "Remix of … (original removed)" and chains through it survive; likes, comments and tags go.
 * After the transaction commits, the files the post owns are removed from disk (`files` lists
 * them); a delete that fails or is refused removes nothing.
 */
export async function deletePost(
  pool: Pool,
  v: Viewer,
  postId: string,
  root: string = dataDir(),
): Promise<{ files: string[] }> {
  const p = await requireOwnPost(pool, v, postId);
  const out = await transaction(pool, (c) => erasePost(c, p.id));
  await removePostFiles(root, out.files);
  return out;
}

/**
 * Empties a post inside the caller's transaction (no access check: `deletePost` is the owner's,
 * shared/src/cameos/removal.server.ts the cast person's) and returns the files to remove once it
 * commits (`removePostFiles`).
 */
export async function erasePost(c: PoolClient, postId: string): Promise<{ files: string[] }> {
  const r = await c.query<{
    video_path: string | null;
    poster_path: string | null;
    download_path: string | null;
    remix_of: string | null;
    status: PostStatus;
    draft_id: string | null;
    publish_workflow_id: string;
    draft_files: (string | null)[] | null;
  }>(
    `SELECT p.video_path, p.poster_path, p.download_path, p.remix_of, p.status, p.draft_id,
            p.publish_workflow_id, ARRAY[d.video_path, d.poster_path, d.sprite_path] AS draft_files
       FROM posts p LEFT JOIN drafts d ON d.id = p.draft_id WHERE p.id = $1 FOR UPDATE OF p`,
    [postId],
  );
  const row = r.rows[0]!;
  if (row.status === "deleted") return { files: [] };
  await c.query(
    `UPDATE posts SET status = 'deleted', caption = '', prompt = '', storyboard = NULL,
            video_path = NULL, poster_path = NULL, download_path = NULL, like_count = 0, comment_count = 0
      WHERE id = $1`,
    [postId],
  );
  if (row.remix_of) {
    await c.query("UPDATE posts SET remix_count = greatest(remix_count - 1, 0) WHERE id = $1", [
      row.remix_of,
    ]);
  }
  await c.query("DELETE FROM likes WHERE post_id = $1", [postId]);
  await c.query("DELETE FROM comments WHERE post_id = $1", [postId]);
  await c.query("DELETE FROM post_hashtags WHERE post_id = $1", [postId]);
  await c.query("DELETE FROM post_mentions WHERE post_id = $1", [postId]);
  return { files: ownedFiles(row) };
}

/**
 * The files a post owns: what its publish workflow wrote into `posts/<draft id>/` (rendition,
 * poster, watermarked download). Only the post published by `publish:<draft id>` owns that folder
 * (the workflow id is unique), and a path that is also one of the draft's own files is never
 * included, so a draft shared with other posts or still in its project keeps its files.
 */
function ownedFiles(row: {
  video_path: string | null;
  poster_path: string | null;
  download_path: string | null;
  draft_id: string | null;
  publish_workflow_id: string;
  draft_files: (string | null)[] | null;
}): string[] {
  if (!row.draft_id || row.publish_workflow_id !== `publish:${row.draft_id}`) return [];
  const dir = path.posix.join("posts", row.draft_id);
  const draftFiles = new Set((row.draft_files ?? []).filter(Boolean));
  return [row.video_path, row.poster_path, row.download_path].filter(
    (f): f is string =>
      !!f &&
      !draftFiles.has(f) &&
      path.posix.dirname(path.posix.normalize(f.replaceAll("\\", "/"))) === dir,
  );
}

/** Unlinks the files (relative to `root`), then the watermark and the folder if nothing else is left. */
export async function removePostFiles(root: string, files: string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const f of files) {
    const abs = path.resolve(root, f);
    if (!abs.startsWith(path.join(root, "posts") + path.sep)) continue;
    await rm(abs, { force: true }).catch(() => {});
    dirs.add(path.dirname(abs));
  }
  for (const d of dirs) {
    await rm(path.join(d, "watermark.png"), { force: true }).catch(() => {});
    await rmdir(d).catch(() => {});
  }
}

/**
 * The attribution chain of a remix, nearest first: each ancestor with its owner's username, or
 * `available: false` ("original removed") for one that was deleted, removed or unpublished. The walk
 * continues through a missing link, so a deletion in the middle does not cut the chain.
 */
export async function attributionChain(
  q: Queryable,
  postId: string,
  maxDepth = 20,
): Promise<{ id: string; username: string | null; available: boolean }[]> {
  if (!isUuid(postId)) return [];
  const r = await q.query<{ id: string; username: string; status: PostStatus; depth: number }>(
    `WITH RECURSIVE chain(id, depth) AS (
        SELECT remix_of, 1 FROM posts WHERE id = $1 AND remix_of IS NOT NULL
        UNION ALL
        SELECT p.remix_of, c.depth + 1 FROM chain c JOIN posts p ON p.id = c.id
         WHERE p.remix_of IS NOT NULL AND c.depth < $2)
     SELECT p.id, u.username, p.status, c.depth FROM chain c
       JOIN posts p ON p.id = c.id JOIN users u ON u.id = p.author_id ORDER BY c.depth`,
    [postId, maxDepth],
  );
  return r.rows.map((x) => ({
    id: x.id,
    username: x.status === "published" ? x.username : null,
    available: x.status === "published",
  }));
}

/** What a remix starts from: the original's prompt and storyboard, and who to credit. */
export type RemixSeed = {
  remixOf: string;
  ownerUsername: string;
  prompt: string;
  storyboard: unknown;
  style: string | null;
};

/** A remix may start only from a post the viewer can read and whose owner allows remixes. */
export async function remixSeed(q: Queryable, v: Viewer, postId: string): Promise<RemixSeed> {
  if (!v) throw notFound("post");
  const p = await requireReadablePost(q, v, postId);
  if (p.status !== "published") throw forbidden("only published posts can be remixed");
  if (!p.allow_remix && p.author_id !== v.id)
    throw forbidden("the owner does not allow remixes of this post");
  const r = await q.query<{
    prompt: string;
    storyboard: unknown;
    style: string | null;
    username: string;
  }>(
    "SELECT p.prompt, p.storyboard, p.style, u.username FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = $1",
    [postId],
  );
  const row = r.rows[0]!;
  return {
    remixOf: postId,
    ownerUsername: row.username,
    prompt: row.prompt,
    storyboard: row.storyboard,
    style: row.style,
  };
}

/** The publish form, parsed at the edge (web) and again by the workflow. */
export const publishRequestSchema = z.object({
  draftId: z.string().uuid(),
  caption: z.string().max(2200).default(""),
  audience: z.enum(["all", "adults"]).default("all"),
  allowRemix: z.boolean().default(true),
  remixOf: z.string().uuid().nullable().default(null),
});
export type PublishRequest = z.infer<typeof publishRequestSchema>;

export type PublishSource = {
  draftId: string;
  projectId: string;
  prompt: string;
  videoPath: string;
  durationMs: number;
  width: number;
  height: number;
  storyboard: unknown;
};

/**
 * Checks that `userId` may publish the draft (editor or owner of its project) and may credit the
 * remix original; returns what the workflow renders from. Refusals write nothing.
 */
export async function checkPublish(
  q: Queryable,
  userId: string,
  input: unknown,
): Promise<{ req: PublishRequest; source: PublishSource }> {
  // A malformed draft id is only a wrong id: "not found", like any draft the user cannot see.
  if (!isUuid((input as { draftId?: unknown } | null)?.draftId)) throw notFound("draft");
  const parsed = publishRequestSchema.safeParse(input);
  if (!parsed.success)
    throw invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const req = parsed.data;
  const d = await q.query<{
    id: string;
    project_id: string;
    prompt: string;
    video_path: string;
    duration_ms: number;
    width: number;
    height: number;
    metadata: Record<string, unknown>;
    role: string | null;
  }>(
    `SELECT d.id, d.project_id, d.prompt, d.video_path, d.duration_ms, d.width, d.height, d.metadata, m.role
       FROM drafts d JOIN projects pr ON pr.id = d.project_id
       LEFT JOIN workspace_members m ON m.workspace_id = pr.workspace_id AND m.user_id = $2
      WHERE d.id = $1`,
    [req.draftId, userId],
  );
  const draft = d.rows[0];
  // A draft of a project the user is not a member of is invisible: same answer as a wrong id.
  if (!draft || draft.role === null) throw notFound("draft");
  if (draft.role !== "owner" && draft.role !== "editor")
    throw forbidden("publishing needs the editor role on the project");
  // The workspace's rules: approval required, who may publish a teammate's draft (review/).
  const refusal = await publishRefusal(q, { draftId: draft.id, userId, role: draft.role as Role });
  if (refusal) throw forbidden(refusal);
  if (req.remixOf) {
    const viewer = await q.query<{ is_minor: boolean; is_moderator: boolean }>(
      "SELECT is_minor, is_moderator FROM users WHERE id = $1",
      [userId],
    );
    const u = viewer.rows[0];
    if (!u) throw notFound("user");
    await remixSeed(
      q,
      { id: userId, isMinor: u.is_minor, isModerator: u.is_moderator },
      req.remixOf,
    );
  }
  return {
    req,
    source: {
      draftId: draft.id,
      projectId: draft.project_id,
      prompt: draft.prompt,
      videoPath: draft.video_path,
      durationMs: draft.duration_ms,
      width: draft.width,
      height: draft.height,
      storyboard: draft.metadata?.storyboard ?? null,
    },
  };
}

/**
 * The visual style a draft was rendered in, for trending styles: the previz backend records its
 * shot spec in the draft's metadata (`metadata.spec.style`, written by the generate workflow's
 * store step); a storyboard sequence's draft lists its shots' drafts (`metadata.shots[].draftId`),
 * whose most common style wins (ties: the earliest shot). Null when no backend said.
 */
export async function draftStyle(q: Queryable, draftId: string | null): Promise<string | null> {
  if (!draftId || !isUuid(draftId)) return null;
  const r = await q.query<{ style: string | null }>(
    `SELECT coalesce(
              nullif(btrim(d.metadata->'spec'->>'style'), ''),
              (SELECT btrim(s.metadata->'spec'->>'style')
                 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(d.metadata->'shots') = 'array'
                                                THEN d.metadata->'shots' ELSE '[]'::jsonb END)
                      WITH ORDINALITY AS e(shot, i)
                 JOIN drafts s ON s.id = CASE WHEN e.shot->>'draftId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                              THEN (e.shot->>'draftId')::uuid END
                WHERE nullif(btrim(s.metadata->'spec'->>'style'), '') IS NOT NULL
                GROUP BY 1 ORDER BY count(*) DESC, min(e.i) LIMIT 1)) AS style
       FROM drafts d WHERE d.id = $1`,
    [draftId],
  );
  const style = r.rows[0]?.style;
  return style ? style.toLowerCase().slice(0, 40) : null;
}

/** A storyboard shot as stored on a post (the fields of collab/schema.ts `ShotFields`). */
export type StoredShot = {
  prompt: string;
  camera: string;
  durationSeconds: number;
  transition: "cut" | "fade" | "dissolve" | "wipe";
  notes: string;
};

/** The stitcher's transition kinds back to the storyboard's (the inverse of web's sequenceTransition). */
function storyboardTransition(kind: unknown): StoredShot["transition"] {
  if (kind === "fade" || kind === "fadeblack") return "fade";
  if (kind === "dissolve") return "dissolve";
  if (typeof kind === "string" && /^(wipe|slide)/.test(kind)) return "wipe";
  return "cut";
}

/**
 * The storyboard a storyboard-sequence draft was rendered from, so a remix can start from it: the
 * sequence job's input (`generation_jobs.request.shots`, each a generation request and the
 * transition into it) mapped back to storyboard shots, in order. Null for a single clip.
 */
export async function draftStoryboard(
  q: Queryable,
  draftId: string | null,
): Promise<StoredShot[] | null> {
  if (!draftId || !isUuid(draftId)) return null;
  const r = await q.query<{ shots: unknown }>(
    `SELECT j.request->'shots' AS shots FROM drafts d
       JOIN generation_jobs j ON j.workflow_id = d.workflow_id
      WHERE d.id = $1 AND d.kind = 'sequence'`,
    [draftId],
  );
  const shots = r.rows[0]?.shots;
  if (!Array.isArray(shots) || shots.length === 0) return null;
  return shots.slice(0, 100).map((raw) => {
    const s = (raw ?? {}) as {
      request?: {
        prompt?: { text?: unknown; sections?: Record<string, unknown> };
        durationSeconds?: unknown;
      };
      transition?: { kind?: unknown };
    };
    const prompt = s.request?.prompt;
    const camera = prompt?.sections?.camera;
    const duration = Number(s.request?.durationSeconds);
    return {
      prompt: (typeof prompt?.text === "string" ? prompt.text : "").slice(0, 4000),
      camera: (typeof camera === "string" ? camera : "").slice(0, 200),
      durationSeconds: Number.isFinite(duration) ? Math.min(60, Math.max(1, duration)) : 4,
      transition: storyboardTransition(s.transition?.kind),
      notes: "",
    };
  });
}

export type NewPost = {
  workflowId: string;
  authorId: string;
  req: PublishRequest;
  source: PublishSource;
  /** Default: the draft's render style (`draftStyle`). */
  style?: string | null;
  videoPath: string;
  posterPath: string;
  downloadPath: string;
};

/**
 * Inserts the post once per publish workflow: a second call with the same workflow id (retry,
 * recovery, double click) returns the same post with `created: false` and changes nothing.
 * Hashtags, mentions and the original's remix count are written in the same transaction.
 */
export async function insertPost(
  pool: Pool,
  n: NewPost,
  /** Runs first inside the insert's transaction; a throw rolls everything back (the cameo gate). */
  guard?: (c: PoolClient) => Promise<unknown>,
): Promise<{ postId: string; created: boolean }> {
  return transaction(pool, async (c) => {
    if (guard) {
      const done = await c.query("SELECT 1 FROM posts WHERE publish_workflow_id = $1", [
        n.workflowId,
      ]);
      // A retry after the post was committed returns it; only a new insert is gated.
      if (done.rowCount === 0) await guard(c);
    }
    const restricted = await c.query<{ restricted_to_adults: boolean }>(
      "SELECT restricted_to_adults FROM social_profiles WHERE user_id = $1",
      [n.authorId],
    );
    const audience = restricted.rows[0]?.restricted_to_adults ? "adults" : n.req.audience;
    const style = n.style !== undefined ? n.style : await draftStyle(c, n.source.draftId);
    const storyboard = n.source.storyboard ?? (await draftStoryboard(c, n.source.draftId));
    const ins = await c.query<{ id: string }>(
      `INSERT INTO posts (author_id, publish_workflow_id, draft_id, project_id, caption, prompt, storyboard, style,
                          audience, allow_remix, remix_of, video_path, poster_path, download_path,
                          duration_ms, width, height)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (publish_workflow_id) DO NOTHING RETURNING id`,
      [
        n.authorId,
        n.workflowId,
        n.source.draftId,
        n.source.projectId,
        n.req.caption,
        n.source.prompt.slice(0, 4000),
        storyboard === null || storyboard === undefined ? null : JSON.stringify(storyboard),
        style,
        audience,
        n.req.allowRemix,
        n.req.remixOf,
        n.videoPath,
        n.posterPath,
        n.downloadPath,
        n.source.durationMs,
        n.source.width,
        n.source.height,
      ],
    );
    const postId = ins.rows[0]?.id;
    if (!postId) {
      const existing = await c.query<{ id: string }>(
        "SELECT id FROM posts WHERE publish_workflow_id = $1",
        [n.workflowId],
      );
      return { postId: existing.rows[0]!.id, created: false };
    }
    const tags = parseHashtags(n.req.caption);
    if (tags.length) {
      await c.query(
        "INSERT INTO post_hashtags (post_id, tag) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING",
        [postId, tags],
      );
    }
    const mentions = parseMentions(n.req.caption);
    if (mentions.length) {
      await c.query(
        `INSERT INTO post_mentions (post_id, user_id)
         SELECT $1, id FROM users WHERE lower(username) = ANY($2::text[]) AND id <> $3 ON CONFLICT DO NOTHING`,
        [postId, mentions, n.authorId],
      );
    }
    if (n.req.remixOf) {
      await c.query("UPDATE posts SET remix_count = remix_count + 1 WHERE id = $1", [
        n.req.remixOf,
      ]);
    }
    return { postId, created: true };
  });
}
