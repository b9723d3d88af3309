-- Up Migration
-- The public API (issue 15): API keys per user and workspace, their per-minute rate-limit windows,
-- the Videos API's video objects (one per generation job it started) and each workspace's API
-- settings (the project API videos are filed under, the backend `sora-2` names map to).

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  -- The first characters of the key, shown in lists so a person can tell keys apart.
  prefix text NOT NULL,
  -- sha256 of the whole key (hex); the key itself is shown once and never stored.
  secret_hash text NOT NULL UNIQUE,
  scopes text[] NOT NULL,
  rate_limit_per_minute int NOT NULL DEFAULT 60 CHECK (rate_limit_per_minute BETWEEN 1 AND 100000),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_owner ON api_keys (user_id, workspace_id, created_at DESC);

-- Fixed one-minute windows: one row per key and minute, counted with an upsert.
CREATE TABLE api_rate_windows (
  key_id uuid NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
  window_start timestamptz NOT NULL,
  hits int NOT NULL,
  PRIMARY KEY (key_id, window_start)
);

CREATE TABLE api_workspaces (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  -- The project the Videos API files its jobs and drafts under (made on first use).
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  -- The backend that OpenAI model names (sora-2, sora-2-pro, ...) run on in this workspace.
  sora_backend text NOT NULL DEFAULT 'previz'
);

CREATE TABLE api_videos (
  id text PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
  workflow_id text NOT NULL UNIQUE REFERENCES generation_jobs(workflow_id) ON DELETE CASCADE,
  model text NOT NULL,
  prompt text NOT NULL,
  seconds int NOT NULL,
  size text NOT NULL,
  remixed_from_video_id text,
  extended_from_video_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_videos_workspace ON api_videos (workspace_id, seq);

-- Down Migration
DROP TABLE api_videos;
DROP TABLE api_workspaces;
DROP TABLE api_rate_windows;
DROP TABLE api_keys;
