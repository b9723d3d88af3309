-- Up Migration
-- Feed pages take what changes with every like (the counters) from the indexes their candidate
-- scans already read, and what rarely changes (caption, media, author's name and photo, remix
-- attribution) from a per-process cache of post cards (shared/src/social/post-cards.server.ts).
-- Counters as INCLUDE columns cost no extra writes: every counter change moves hot_score, a key of
-- these indexes, so each such update writes new entries to them anyway.
DROP INDEX posts_hot;
CREATE INDEX posts_hot ON posts (hot_score DESC, id DESC)
  INCLUDE (author_id, published_at, audience, like_count, comment_count, remix_count)
  WHERE status = 'published';
DROP INDEX posts_author_hot;
CREATE INDEX posts_author_hot ON posts (author_id, hot_score DESC, id DESC)
  INCLUDE (published_at, audience, like_count, comment_count, remix_count)
  WHERE status = 'published';
DROP INDEX posts_author_recent;
CREATE INDEX posts_author_recent ON posts (author_id, published_at DESC, id DESC)
  INCLUDE (audience, like_count, comment_count, remix_count)
  WHERE status = 'published';

-- The cache learns of every change to a card's columns on channel `post_cards`: 'p:<post id>' when
-- a post's card columns change or the post goes, 'u:<user id>' when a user's name or photo change.
-- NOTIFY is sent at commit, so a reader never caches a version older than the last notification.
-- One function for both tables: the trigger's argument is the payload's prefix ('p:' or 'u:').
CREATE FUNCTION notify_card() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('post_cards', TG_ARGV[0] || OLD.id::text);
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER posts_card_changed AFTER UPDATE ON posts FOR EACH ROW
  WHEN (OLD.caption IS DISTINCT FROM NEW.caption OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD.audience IS DISTINCT FROM NEW.audience OR OLD.allow_remix IS DISTINCT FROM NEW.allow_remix
     OR OLD.style IS DISTINCT FROM NEW.style OR OLD.video_path IS DISTINCT FROM NEW.video_path
     OR OLD.poster_path IS DISTINCT FROM NEW.poster_path OR OLD.download_path IS DISTINCT FROM NEW.download_path
     OR OLD.duration_ms IS DISTINCT FROM NEW.duration_ms OR OLD.width IS DISTINCT FROM NEW.width
     OR OLD.height IS DISTINCT FROM NEW.height OR OLD.remix_of IS DISTINCT FROM NEW.remix_of
     OR OLD.author_id IS DISTINCT FROM NEW.author_id OR OLD.published_at IS DISTINCT FROM NEW.published_at)
  EXECUTE FUNCTION notify_card('p:');
CREATE TRIGGER posts_card_deleted AFTER DELETE ON posts FOR EACH ROW EXECUTE FUNCTION notify_card('p:');

CREATE TRIGGER users_card_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name
     OR OLD.photo_media_id IS DISTINCT FROM NEW.photo_media_id)
  EXECUTE FUNCTION notify_card('u:');
CREATE TRIGGER users_card_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION notify_card('u:');

-- Down Migration
DROP TRIGGER users_card_deleted ON users;
DROP TRIGGER users_card_changed ON users;
DROP TRIGGER posts_card_deleted ON posts;
DROP TRIGGER posts_card_changed ON posts;
DROP FUNCTION notify_card();
DROP INDEX posts_author_recent;
CREATE INDEX posts_author_recent ON posts (author_id, published_at DESC, id DESC)
  INCLUDE (audience) WHERE status = 'published';
DROP INDEX posts_author_hot;
CREATE INDEX posts_author_hot ON posts (author_id, hot_score DESC, id DESC)
  INCLUDE (published_at, audience) WHERE status = 'published';
DROP INDEX posts_hot;
CREATE INDEX posts_hot ON posts (hot_score DESC, id DESC)
  INCLUDE (author_id, published_at, audience) WHERE status = 'published';
