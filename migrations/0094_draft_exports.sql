-- Up Migration
-- The draft's video as people get it (issue 16): the master (video_path) with the visible and the
-- invisible watermark, C2PA-signed after the marks. Served by the studio's draft files, review links
-- (guests and members) and the API's content; video_path stays the internal, unmarked master that
-- edits, extends and publishing read. NULL for drafts stored before exports existed.
ALTER TABLE drafts ADD COLUMN export_path text;
