-- Up Migration
-- The feeds read only a few columns of every candidate post (author, score, publication time,
-- audience) before they pick a page, so the indexes they walk carry those columns (INCLUDE) and the
-- scans are index-only: no heap page per candidate. Measured on the 1M-post bench data set
-- (npm run bench -- feed): Following read ~180 heap rows per request and For you ~100 before this.
-- The follows lookup both feeds start with reads (follower, newest first) straight from an index
-- instead of sorting the follower's heap rows.
DROP INDEX posts_hot;
CREATE INDEX posts_hot ON posts (hot_score DESC, id DESC)
  INCLUDE (author_id, published_at, audience) WHERE status = 'published';
DROP INDEX posts_author_hot;
CREATE INDEX posts_author_hot ON posts (author_id, hot_score DESC, id DESC)
  INCLUDE (published_at, audience) WHERE status = 'published';
DROP INDEX posts_author_recent;
CREATE INDEX posts_author_recent ON posts (author_id, published_at DESC, id DESC)
  INCLUDE (audience) WHERE status = 'published';
CREATE INDEX follows_follower_recent ON follows (follower_id, created_at DESC) INCLUDE (followee_id);

-- Index-only scans skip the heap only on pages the visibility map marks all-visible. Every like
-- rewrites a post row (its hot_score moves), clearing that page's bit until vacuum runs: vacuum
-- posts after 2% of it changed rather than the default 20%.
ALTER TABLE posts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02);

-- Down Migration
ALTER TABLE posts RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor);
DROP INDEX follows_follower_recent;
DROP INDEX posts_author_recent;
CREATE INDEX posts_author_recent ON posts (author_id, published_at DESC, id DESC) WHERE status = 'published';
DROP INDEX posts_author_hot;
CREATE INDEX posts_author_hot ON posts (author_id, hot_score DESC, id DESC) WHERE status = 'published';
DROP INDEX posts_hot;
CREATE INDEX posts_hot ON posts (hot_score DESC, id DESC) WHERE status = 'published';
