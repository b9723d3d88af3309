-- Up Migration
-- Drafts can be renamed (issue 17 item 5): a title the person gives, shown instead of the prompt's
-- first line in the renders list. NULL means "not renamed".
ALTER TABLE drafts ADD COLUMN title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 120);

-- Down Migration
ALTER TABLE drafts DROP COLUMN title;
