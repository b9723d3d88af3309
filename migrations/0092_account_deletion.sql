-- Up Migration
-- Deleting an account (issue 17): the two references to a user or a post that would otherwise
-- block it.
-- 1. A moderator's decisions stay in the log after their account is gone, with no moderator.
ALTER TABLE moderation_decisions ALTER COLUMN moderator_id DROP NOT NULL;
ALTER TABLE moderation_decisions DROP CONSTRAINT moderation_decisions_moderator_id_fkey;
ALTER TABLE moderation_decisions ADD CONSTRAINT moderation_decisions_moderator_id_fkey
  FOREIGN KEY (moderator_id) REFERENCES users(id) ON DELETE SET NULL;
-- 2. A project opened by "Remix" of a post that is gone (its author deleted their account) is an
--    ordinary project: it no longer credits the original.
ALTER TABLE project_remixes DROP CONSTRAINT project_remixes_remix_of_fkey;
ALTER TABLE project_remixes ADD CONSTRAINT project_remixes_remix_of_fkey
  FOREIGN KEY (remix_of) REFERENCES posts(id) ON DELETE CASCADE;

-- Down Migration
ALTER TABLE project_remixes DROP CONSTRAINT project_remixes_remix_of_fkey;
ALTER TABLE project_remixes ADD CONSTRAINT project_remixes_remix_of_fkey
  FOREIGN KEY (remix_of) REFERENCES posts(id);
ALTER TABLE moderation_decisions DROP CONSTRAINT moderation_decisions_moderator_id_fkey;
ALTER TABLE moderation_decisions ADD CONSTRAINT moderation_decisions_moderator_id_fkey
  FOREIGN KEY (moderator_id) REFERENCES users(id);
-- Decisions of deleted moderators have no moderator: they cannot go back under NOT NULL.
UPDATE reports SET decision_id = NULL
 WHERE decision_id IN (SELECT id FROM moderation_decisions WHERE moderator_id IS NULL);
DELETE FROM moderation_decisions WHERE moderator_id IS NULL;
ALTER TABLE moderation_decisions ALTER COLUMN moderator_id SET NOT NULL;
