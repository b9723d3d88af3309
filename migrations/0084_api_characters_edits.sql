-- Up Migration
-- The Videos API's characters and edits (issue 15). A character is a person cameo of the key's
-- user, made from the uploaded video through the cameo workflow (liveness, likeness guard); this
-- row only gives it the API's `char_…` id, its display name and the workspace it belongs to. The
-- cameo's consent rules ("who may cast") decide who may use it; deleting the cameo deletes this.
CREATE TABLE api_characters (
  id text PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  api_key_id uuid REFERENCES api_keys(id) ON DELETE SET NULL,
  cameo_id uuid NOT NULL REFERENCES cameos(id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX api_characters_workspace ON api_characters (workspace_id, lower(name));

-- An edit is a new video whose source is another one (POST /v1/videos/edits).
ALTER TABLE api_videos ADD COLUMN edited_from_video_id text;

-- Down Migration
ALTER TABLE api_videos DROP COLUMN edited_from_video_id;
DROP TABLE api_characters;
