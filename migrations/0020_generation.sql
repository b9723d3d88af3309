-- Up Migration
-- Generation jobs (one row per durable workflow; the workflow id is the idempotency key), the
-- drafts they produce, and notifications to people. DBOS keeps its own state in the `dbos` schema
-- of this same database (see docs/decisions/001-dbos-over-temporal.md); these tables are what the
-- web tier reads.

CREATE TABLE generation_jobs (
  workflow_id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('clip', 'sequence')),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  backend text NOT NULL,
  request jsonb NOT NULL,
  -- A shot of a storyboard sequence: its parent's workflow id and the shot's id.
  parent_workflow_id text REFERENCES generation_jobs(workflow_id) ON DELETE CASCADE,
  shot_id text,
  status text NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  stage text NOT NULL DEFAULT 'queued',
  progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  error_code text,
  error text,
  draft_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX generation_jobs_project ON generation_jobs (project_id, created_at DESC);
CREATE INDEX generation_jobs_parent ON generation_jobs (parent_workflow_id) WHERE parent_workflow_id IS NOT NULL;
CREATE TRIGGER generation_jobs_touch BEFORE UPDATE ON generation_jobs FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TABLE drafts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- One draft per workflow, however often a step is retried or a worker recovers it.
  workflow_id text NOT NULL UNIQUE,
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('clip', 'sequence')),
  shot_id text,
  backend text NOT NULL,
  prompt text NOT NULL DEFAULT '',
  video_media_id uuid NOT NULL REFERENCES media(id),
  poster_media_id uuid NOT NULL REFERENCES media(id),
  sprite_media_id uuid NOT NULL REFERENCES media(id),
  -- Files, relative to DATA_DIR.
  video_path text NOT NULL,
  poster_path text NOT NULL,
  sprite_path text NOT NULL,
  -- {columns, rows, tileWidth, tileHeight, intervalSeconds, count}
  sprite jsonb NOT NULL,
  probe jsonb NOT NULL,
  duration_ms int NOT NULL CHECK (duration_ms > 0),
  width int NOT NULL,
  height int NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drafts_project ON drafts (project_id, created_at DESC);
CREATE INDEX drafts_shot ON drafts (project_id, shot_id, created_at DESC) WHERE shot_id IS NOT NULL;

CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- Makes a retried "notify" step a no-op, e.g. 'generation:<workflow id>'.
  dedupe_key text UNIQUE,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

-- Down Migration
DROP TABLE notifications, drafts, generation_jobs;
