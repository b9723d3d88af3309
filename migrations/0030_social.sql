-- Up Migration
-- The social platform: posts (published videos), likes, threaded comments, follows, blocks,
-- hashtags and mentions, per-user social counters, reports and the moderation log.
-- Notifications reuse the `notifications` table of 0020_generation.sql.
--
-- Counters (likes, comments, remixes, followers) are denormalized and changed in the same
-- transaction as the row they count, guarded by the row's unique key, so concurrent duplicates
-- count once. See shared/src/social/README.md for the ranking and pagination design.

-- Seconds since the epoch. date_part() on timestamptz is STABLE in general, but the epoch does not
-- depend on the time zone, so this wrapper may be IMMUTABLE (needed by the generated hot_score).
CREATE FUNCTION social_epoch(t timestamptz) RETURNS double precision
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_part('epoch', t) $$;

CREATE TABLE posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  author_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- The publish workflow's id: publishing twice (double click, retry, recovery) makes one post.
  publish_workflow_id text UNIQUE,
  draft_id uuid REFERENCES drafts(id) ON DELETE SET NULL,
  project_id uuid REFERENCES projects(id) ON DELETE SET NULL,
  caption text NOT NULL DEFAULT '' CHECK (length(caption) <= 2200),
  -- What a remix is prefilled with.
  prompt text NOT NULL DEFAULT '' CHECK (length(prompt) <= 4000),
  storyboard jsonb,
  style text,
  -- published: in feeds; unpublished: owner only; removed: by a moderator; deleted: by the owner
  -- (the row stays, emptied, so remix attribution chains survive: "original removed").
  status text NOT NULL DEFAULT 'published'
    CHECK (status IN ('published', 'unpublished', 'removed', 'deleted')),
  -- 'all': suitable for everyone (minors see only these); 'adults': hidden from minors.
  audience text NOT NULL DEFAULT 'all' CHECK (audience IN ('all', 'adults')),
  allow_remix boolean NOT NULL DEFAULT true,
  remix_of uuid REFERENCES posts(id) ON DELETE SET NULL,
  -- Files relative to DATA_DIR: the feed rendition, its poster, the watermarked download.
  video_path text,
  poster_path text,
  download_path text,
  duration_ms int,
  width int,
  height int,
  like_count int NOT NULL DEFAULT 0 CHECK (like_count >= 0),
  comment_count int NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
  remix_count int NOT NULL DEFAULT 0 CHECK (remix_count >= 0),
  published_at timestamptz NOT NULL DEFAULT now(),
  -- Recency decay and engagement in one static number (the "hot" trick): ln(engagement) plus the
  -- publication time in units of 12 hours. Ordering by it equals ordering by
  -- engagement * exp(-age / 12h) at any instant, yet it does not change as time passes, so keyset
  -- pagination over it is stable.
  hot_score double precision GENERATED ALWAYS AS (
    ln(1 + like_count + 3 * comment_count + 5 * remix_count) + social_epoch(published_at) / 43200.0
  ) STORED,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- For you: the global candidate stream, and the followed-creators stream.
CREATE INDEX posts_hot ON posts (hot_score DESC, id DESC) WHERE status = 'published';
CREATE INDEX posts_author_hot ON posts (author_id, hot_score DESC, id DESC) WHERE status = 'published';
-- Following tab, profiles, and the newest-posts baseline.
CREATE INDEX posts_author_recent ON posts (author_id, published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX posts_recent ON posts (published_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX posts_author_all ON posts (author_id, created_at DESC);
CREATE INDEX posts_remix_of ON posts (remix_of, published_at DESC) WHERE remix_of IS NOT NULL;

CREATE TABLE post_hashtags (
  post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  tag text NOT NULL CHECK (tag ~ '^[a-z0-9_]{1,50}$'),
  PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_hashtags_tag ON post_hashtags (tag, post_id);

CREATE TABLE post_mentions (
  post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, user_id)
);

CREATE TABLE likes (
  post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, user_id)
);
CREATE INDEX likes_user ON likes (user_id, created_at DESC);

CREATE TABLE comments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  post_id uuid NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  author_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- Replies thread under a top-level comment (one level of nesting, as in TikTok).
  parent_id uuid REFERENCES comments(id) ON DELETE CASCADE,
  body text NOT NULL CHECK (length(body) <= 2000),
  -- A deleted comment keeps its row (emptied) while it has replies, so the thread stays intact.
  deleted_at timestamptz,
  edited_at timestamptz,
  removed_by_moderator boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post ON comments (post_id, created_at);
CREATE INDEX comments_parent ON comments (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE follows (
  follower_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  followee_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (follower_id, followee_id),
  CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id, created_at DESC);

CREATE TABLE blocks (
  blocker_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  blocked_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (blocker_id, blocked_id),
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

-- Per-user social counters and settings (a row appears on first use).
CREATE TABLE social_profiles (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  follower_count int NOT NULL DEFAULT 0 CHECK (follower_count >= 0),
  following_count int NOT NULL DEFAULT 0 CHECK (following_count >= 0),
  liked_visibility text NOT NULL DEFAULT 'private' CHECK (liked_visibility IN ('public', 'private')),
  -- A moderator's "restrict to adults" on a profile: all its posts become adults-only.
  restricted_to_adults boolean NOT NULL DEFAULT false
);

CREATE TABLE reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reporter_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  target_kind text NOT NULL CHECK (target_kind IN ('post', 'comment', 'user')),
  target_id uuid NOT NULL,
  reason text NOT NULL CHECK (reason IN
    ('spam', 'harassment', 'hate', 'violence', 'sexual', 'self_harm', 'minor_safety', 'impersonation', 'copyright', 'other')),
  details text NOT NULL DEFAULT '' CHECK (length(details) <= 1000),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
  decision_id uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One open report per person and item.
CREATE UNIQUE INDEX reports_open_once ON reports (reporter_id, target_kind, target_id) WHERE status = 'open';
CREATE INDEX reports_queue ON reports (created_at) WHERE status = 'open';
CREATE INDEX reports_target ON reports (target_kind, target_id);

-- Every moderator decision, with who and why; never updated or deleted by the app.
CREATE TABLE moderation_decisions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  target_kind text NOT NULL CHECK (target_kind IN ('post', 'comment', 'user')),
  target_id uuid NOT NULL,
  moderator_id uuid NOT NULL REFERENCES users(id),
  action text NOT NULL CHECK (action IN ('keep', 'remove', 'restrict_adults')),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_decisions_target ON moderation_decisions (target_kind, target_id, created_at DESC);
ALTER TABLE reports ADD CONSTRAINT reports_decision_fk FOREIGN KEY (decision_id) REFERENCES moderation_decisions(id);

-- The live unread count reads this.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- Down Migration
DROP INDEX notifications_unread;
DROP TABLE reports, moderation_decisions, social_profiles, blocks, follows, comments, likes,
  post_mentions, post_hashtags, posts;
DROP FUNCTION social_epoch(timestamptz);
