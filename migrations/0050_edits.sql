-- Up Migration
-- Edits (issue 13): an edit is a document — its decision list lives in the collaborative Yjs
-- document `edit.<id>.timeline` (shared/src/collab) and, as last rendered/saved, in `edl` here.
-- Renders are generation jobs of kind 'edit' (progress and cancel as for generation); the result
-- is a NEW draft (kind 'clip', backend 'edit', metadata.edit = {editId, sourceDraftIds}); the
-- source drafts never change.

CREATE TABLE edits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
  -- The drafts the edit was opened on, in order (later clips may reference any draft of the project).
  source_draft_ids uuid[] NOT NULL CHECK (cardinality(source_draft_ids) BETWEEN 1 AND 50),
  edl jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX edits_project ON edits (project_id, created_at DESC);
CREATE TRIGGER edits_touch BEFORE UPDATE ON edits FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE generation_jobs DROP CONSTRAINT generation_jobs_kind_check;
ALTER TABLE generation_jobs ADD CONSTRAINT generation_jobs_kind_check
  CHECK (kind IN ('clip', 'sequence', 'edit'));

-- Down Migration
DELETE FROM generation_jobs WHERE kind = 'edit';
ALTER TABLE generation_jobs DROP CONSTRAINT generation_jobs_kind_check;
ALTER TABLE generation_jobs ADD CONSTRAINT generation_jobs_kind_check CHECK (kind IN ('clip', 'sequence'));
DROP TABLE edits;
