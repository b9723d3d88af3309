-- Up Migration
-- Model backends configured per workspace (issue 15): the API key (sealed with AES-256-GCM under a
-- key derived from AUTH_SECRET; only its last 4 characters are kept in clear, for the settings
-- page), or the URL of the workspace's ComfyUI server, and the model chosen. One row per
-- workspace and backend; the workspace's default backend (the generate form's first choice, and
-- what OpenAI model names such as sora-2 run on in the Videos API) in its own table.

CREATE TABLE workspace_model_backends (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  backend text NOT NULL CHECK (backend ~ '^[a-z0-9-]{1,40}$'),
  secret_sealed text,
  secret_last4 text CHECK (secret_last4 IS NULL OR length(secret_last4) <= 4),
  base_url text CHECK (base_url IS NULL OR base_url ~ '^https?://'),
  model text CHECK (model IS NULL OR length(model) BETWEEN 1 AND 120),
  updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, backend),
  CHECK (secret_sealed IS NOT NULL OR base_url IS NOT NULL)
);

CREATE TABLE workspace_default_backends (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  backend text NOT NULL CHECK (backend ~ '^[a-z0-9-]{1,40}$'),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE workspace_default_backends;
DROP TABLE workspace_model_backends;
