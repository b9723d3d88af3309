-- Up Migration
-- Publish jobs: one row per durable `publish` workflow, inserted in the same transaction that
-- enqueues it. The workflow id is `publish:<draft id>`, so publishing a draft twice (double click,
-- retry) finds the existing job and makes one post.

CREATE TABLE publish_jobs (
  workflow_id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  draft_id uuid NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
  request jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  stage text NOT NULL DEFAULT 'queued',
  error_code text,
  error text,
  post_id uuid REFERENCES posts(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publish_jobs_user ON publish_jobs (user_id, created_at DESC);
CREATE TRIGGER publish_jobs_touch BEFORE UPDATE ON publish_jobs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Down Migration
DROP TABLE publish_jobs;
