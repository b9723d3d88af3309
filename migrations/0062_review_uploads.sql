-- Up Migration
-- Issue 14: a video file uploaded as the next version of a review stack is processed by the
-- durable `reviewUpload` workflow (transcode → probe → poster + spritesheet → draft), tracked by a
-- generation_jobs row of kind 'upload' like renders and edits are.
ALTER TABLE generation_jobs DROP CONSTRAINT generation_jobs_kind_check;
ALTER TABLE generation_jobs ADD CONSTRAINT generation_jobs_kind_check
  CHECK (kind IN ('clip', 'sequence', 'edit', 'upload'));

-- Down Migration
DELETE FROM generation_jobs WHERE kind = 'upload';
ALTER TABLE generation_jobs DROP CONSTRAINT generation_jobs_kind_check;
ALTER TABLE generation_jobs ADD CONSTRAINT generation_jobs_kind_check
  CHECK (kind IN ('clip', 'sequence', 'edit'));
