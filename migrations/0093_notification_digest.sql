-- Up Migration
-- The opt-in digest of unread notifications (issue 17): when each person's last digest went out,
-- so the hourly scheduled workflow sends at most one a day and only about notifications that
-- arrived since the last one.
ALTER TABLE users ADD COLUMN digest_sent_at timestamptz;
CREATE INDEX users_digest_due ON users (digest_sent_at NULLS FIRST) WHERE digest_opt_in;

-- Down Migration
DROP INDEX users_digest_due;
ALTER TABLE users DROP COLUMN digest_sent_at;
