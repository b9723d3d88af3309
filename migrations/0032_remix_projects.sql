-- Up Migration
-- A project opened by "Remix" remembers the post it remixes, so publishing from it credits the
-- original ("Remix of @owner").
CREATE TABLE project_remixes (
  project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  remix_of uuid NOT NULL REFERENCES posts(id),
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE project_remixes;
