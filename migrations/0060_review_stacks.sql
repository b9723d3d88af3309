-- Up Migration
-- Review (issue 14), part 1: version stacks and approvals.
--
-- A review item is "the thing being made" in a project: the project's prompt clip, one storyboard
-- shot, or the stitched sequence (item_key 'prompt', 'shot:<shot id>', 'sequence'). Every draft
-- that renders it again — a re-render, a new render, an edit (drafts.metadata.edit.sourceDraftIds:
-- the first source's item) — becomes its next version, v1, v2, …, in the same transaction that
-- stores the draft (workflows/src/steps/store.ts). A version is its draft: review_versions is keyed
-- by draft_id, so no version exists without its video and none is ever renumbered or dropped while
-- its draft exists. Which version is current is a pointer on the item; moving it deletes nothing.
--
-- Approval status lives on the version, with who set it and when; every change is also appended to
-- review_status_events (the history a client can audit). A workspace can require "approved" before
-- publishing (checked by checkPublish, which the publish workflow re-runs in its checks step) and
-- states who may publish a teammate's draft.

CREATE TABLE review_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  item_key text NOT NULL CHECK (item_key = 'prompt' OR item_key = 'sequence' OR item_key LIKE 'shot:_%'),
  kind text NOT NULL CHECK (kind IN ('clip', 'sequence')),
  current_draft_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, item_key)
);

CREATE TABLE review_versions (
  draft_id uuid PRIMARY KEY REFERENCES drafts(id) ON DELETE CASCADE,
  item_id uuid NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
  number int NOT NULL CHECK (number > 0),
  status text NOT NULL DEFAULT 'needs_review'
    CHECK (status IN ('needs_review', 'in_progress', 'changes_requested', 'approved')),
  -- Who set the status: a member (status_by) or a guest reviewer by the name they gave.
  status_by uuid REFERENCES users(id) ON DELETE SET NULL,
  status_by_guest text CHECK (length(status_by_guest) BETWEEN 1 AND 60),
  status_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, number)
);

ALTER TABLE review_items
  ADD CONSTRAINT review_items_current FOREIGN KEY (current_draft_id)
  REFERENCES review_versions(draft_id) ON DELETE SET NULL;

CREATE TABLE review_status_events (
  id bigserial PRIMARY KEY,
  draft_id uuid NOT NULL REFERENCES review_versions(draft_id) ON DELETE CASCADE,
  status text NOT NULL,
  by_user uuid REFERENCES users(id) ON DELETE SET NULL,
  by_guest text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_status_events_draft ON review_status_events (draft_id, at);

-- publish_rule: who may publish a draft someone else in the workspace made.
--   'editors'  — any editor or owner (the default; what the product did before this setting)
--   'owners'   — only owners; editors publish their own drafts only
--   'creator'  — nobody publishes a teammate's draft
-- Whoever publishes, the post is under the publisher's name.
ALTER TABLE workspaces
  ADD COLUMN require_approval_to_publish boolean NOT NULL DEFAULT false,
  ADD COLUMN publish_rule text NOT NULL DEFAULT 'editors'
    CHECK (publish_rule IN ('editors', 'owners', 'creator'));

-- Existing drafts stack by what they render, oldest first; the newest of each item is current.
INSERT INTO review_items (project_id, item_key, kind)
SELECT DISTINCT project_id,
       CASE WHEN kind = 'sequence' THEN 'sequence'
            WHEN shot_id IS NOT NULL AND shot_id <> '' THEN 'shot:' || shot_id
            ELSE 'prompt' END,
       kind
  FROM drafts
ON CONFLICT DO NOTHING;

INSERT INTO review_versions (draft_id, item_id, number, created_at)
SELECT d.id, i.id,
       row_number() OVER (PARTITION BY i.id ORDER BY d.created_at, d.id),
       d.created_at
  FROM drafts d
  JOIN review_items i ON i.project_id = d.project_id
   AND i.item_key = CASE WHEN d.kind = 'sequence' THEN 'sequence'
                         WHEN d.shot_id IS NOT NULL AND d.shot_id <> '' THEN 'shot:' || d.shot_id
                         ELSE 'prompt' END;

UPDATE review_items i SET current_draft_id = (
  SELECT v.draft_id FROM review_versions v WHERE v.item_id = i.id ORDER BY v.number DESC LIMIT 1);

-- Down Migration
ALTER TABLE workspaces DROP COLUMN publish_rule, DROP COLUMN require_approval_to_publish;
DROP TABLE review_status_events;
ALTER TABLE review_items DROP CONSTRAINT review_items_current;
DROP TABLE review_versions, review_items;
